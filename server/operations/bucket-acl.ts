// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAcl.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html
import { ownerGrant } from '../acl/grants.js';

import { checkRequestedAcl } from '../kit/bucket-guards.js';
import { header, type Handler } from '../kit/handler.js';
import { requestedAcl } from '../kit/requested-acl.js';
import { accessControlPolicyXml } from '../xml/shapes/access-control-policy.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const getBucketAcl: Handler = async (req) => {
  const bucket = req.bucketInfo!;
  const acl = (await req.services.storage.getBucketConfig(bucket.name, 'acl')) ?? [];
  return xmlResponse('AccessControlPolicy', accessControlPolicyXml(bucket.owner, [ownerGrant(bucket.owner), ...acl]));
};

export const putBucketAcl: Handler = async (req) => {
  const bucket = req.bucketInfo!;
  const acl = await requestedAcl(req, bucket.owner);
  checkRequestedAcl(req, acl, { canned: header(req, 'x-amz-acl'), replacesAcl: true });
  await req.services.storage.putBucketConfig(bucket.name, 'acl', acl);
  return { status: 200 };
};
