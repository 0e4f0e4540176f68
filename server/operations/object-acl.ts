// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAcl.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectAcl.html
import { ownerGrant } from '../acl/grants.js';
import { S3Error } from '../../errors/s3-error.js';

import { checkRequestedAcl } from '../kit/bucket-guards.js';
import { header, type Handler } from '../kit/handler.js';
import { accessControlPolicyXml } from '../xml/shapes/access-control-policy.js';
import { xmlResponse } from '../xml/shapes/response.js';
import { requestedAcl } from '../kit/requested-acl.js';
import { requestedVersionId, versionHeader } from '../kit/versions.js';

export const getObjectAcl: Handler = async (req) => {
  const meta = req.object!;
  return xmlResponse(
    'AccessControlPolicy',
    accessControlPolicyXml(meta.owner, [ownerGrant(meta.owner), ...(meta.acl ?? [])]),
    versionHeader(meta),
  );
};

export const putObjectAcl: Handler = async (req) => {
  const meta = req.object!;
  const acl = await requestedAcl(req, meta.owner);
  checkRequestedAcl(req, acl, { canned: header(req, 'x-amz-acl'), replacesAcl: true });
  const updated = await req.services.storage.updateObject(req.bucket!, req.key!, requestedVersionId(req), { acl });
  if (!updated) throw new S3Error('NoSuchKey', { Key: req.key });
  return { status: 200, headers: versionHeader(updated) };
};
