// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAcl.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html
import { aclFromHeaders, ownerGrant } from '../acl/grants.js';
import { readSmallBody } from '../protocol/read-body.js';
import { requireBucket } from '../s3/bucket-access.js';
import type { Handler, S3Request } from '../s3/handler.js';
import { parseXml } from '../xml/parse.js';
import { accessControlPolicyXml, grantsFromXml } from '../xml/shapes/access-control-policy.js';
import { xmlResponse } from '../xml/shapes/response.js';
import type { AclGrant, Owner } from '../../storage/storage.js';

/** The ACL a Put*Acl request sets: headers, else an AccessControlPolicy body (owner grant dropped). */
export async function requestedAcl(req: S3Request, owner: Owner): Promise<AclGrant[]> {
  const fromHeaders = aclFromHeaders(req.headers);
  if (fromHeaders) return fromHeaders;
  const { root, body } = await parseXml(await readSmallBody(req));
  return grantsFromXml(root, body).filter(
    (g) => !(g.grantee.type === 'CanonicalUser' && g.grantee.id === owner.id && g.permission === 'FULL_CONTROL'),
  );
}

export const getBucketAcl: Handler = async (req) => {
  const bucket = await requireBucket(req);
  const acl = (await req.services.storage.getBucketConfig(bucket.name, 'acl')) ?? [];
  return xmlResponse('AccessControlPolicy', accessControlPolicyXml(bucket.owner, [ownerGrant(bucket.owner), ...acl]));
};

export const putBucketAcl: Handler = async (req) => {
  const bucket = await requireBucket(req);
  await req.services.storage.putBucketConfig(bucket.name, 'acl', await requestedAcl(req, bucket.owner));
  return { status: 200 };
};
