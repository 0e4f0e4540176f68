// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLegalHold.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectLegalHold.html
import { S3Error } from '../../errors/s3-error.js';
import type { Handler } from '../kit/handler.js';
import { requireLockEnabled } from '../kit/object-lock.js';
import { requestedVersionId, versionHeader } from '../kit/versions.js';
import { requireIntegrityHeader } from '../protocol/integrity.js';
import { readXmlDocument } from '../protocol/xml-document.js';
import { legalHoldFrom, legalHoldXml } from '../xml/shapes/object-lock.js';
import { xmlResponse } from '../xml/shapes/response.js';

/** A version whose legal hold was never set has none to show: NoSuchObjectLockConfiguration. */
export const getObjectLegalHold: Handler = async (req) => {
  requireLockEnabled(req);
  const status = req.object!.legalHold;
  if (!status) throw new S3Error('NoSuchObjectLockConfiguration');
  return xmlResponse('LegalHold', legalHoldXml(status));
};

/** Turns a version's legal hold ON or OFF; it has no period, and no bypass applies to it. */
export const putObjectLegalHold: Handler = async (req) => {
  requireLockEnabled(req);
  requireIntegrityHeader(req.headers);
  const { root, body } = await readXmlDocument(req);
  const legalHold = legalHoldFrom(root, body);
  const updated = await req.services.storage.updateObject(req.bucket!, req.key!, requestedVersionId(req), {
    legalHold,
  });
  if (!updated) throw new S3Error('NoSuchKey', { Key: req.key });
  return { status: 200, headers: versionHeader(updated) };
};
