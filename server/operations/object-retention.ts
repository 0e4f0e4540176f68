// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectRetention.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectRetention.html
import { S3Error } from '../../errors/s3-error.js';
import type { Handler } from '../kit/handler.js';
import { bypassesGovernance, lockedError, requireLockEnabled } from '../kit/object-lock.js';
import { requestedVersionId, versionHeader } from '../kit/versions.js';
import { requireIntegrityHeader } from '../protocol/integrity.js';
import { retentionChange } from '../protocol/object-lock.js';
import { readXmlDocument } from '../protocol/xml-document.js';
import { retentionFrom, retentionXml } from '../xml/shapes/object-lock.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const getObjectRetention: Handler = async (req) => {
  requireLockEnabled(req);
  const retention = req.object!.retention;
  if (!retention) throw new S3Error('NoSuchObjectLockConfiguration');
  return xmlResponse('Retention', retentionXml(retention));
};

/**
 * Sets, extends, shortens or removes a version's retention. An active COMPLIANCE retention can
 * only be extended; an active GOVERNANCE one can be shortened, removed or changed in mode only
 * with x-amz-bypass-governance-retention (and s3:BypassGovernanceRetention). The check runs under
 * the key's lock, against the version as stored.
 */
export const putObjectRetention: Handler = async (req) => {
  requireLockEnabled(req);
  requireIntegrityHeader(req.headers);
  const now = Date.now();
  const { root, body } = await readXmlDocument(req);
  const retention = retentionFrom(root, body, now);
  const bypass = await bypassesGovernance(req);
  const updated = await req.services.storage.updateObject(
    req.bucket!,
    req.key!,
    requestedVersionId(req),
    { retention },
    (target) => {
      const change = retentionChange(target?.retention, retention, now);
      if (change === 'refused' || (change === 'bypass' && !bypass)) throw lockedError();
    },
  );
  if (!updated) throw new S3Error('NoSuchKey', { Key: req.key });
  return { status: 200, headers: versionHeader(updated) };
};
