import { allowsEveryone } from '../acl/grants.js';
import { S3Error } from '../../errors/s3-error.js';
import { iamActionOf, resourceArn } from '../policy/action-names.js';
import { evaluatePolicy } from '../policy/evaluate.js';
import { parsePolicy } from '../policy/policy-document.js';
import type { RequestContext } from './context.js';
import type { Services } from './handler.js';
import type { Identity } from './identity.js';

/** What an ACL must grant AllUsers for an anonymous call: on the bucket, or on the object. */
const BUCKET_READ = new Set(['ListObjects', 'ListObjectsV2', 'HeadBucket', 'ListMultipartUploads']);
const BUCKET_WRITE = new Set([
  'PutObject',
  'CopyObject',
  'CreateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
  'DeleteObject',
  'DeleteObjects',
]);
const OBJECT_READ = new Set(['GetObject', 'HeadObject']);

async function allowedByAcl(
  services: Services,
  operation: string,
  bucket: string,
  key: string | undefined,
): Promise<boolean> {
  const { storage } = services;
  if (BUCKET_READ.has(operation)) return allowsEveryone(await storage.getBucketConfig(bucket, 'acl'), 'READ');
  if (BUCKET_WRITE.has(operation)) return allowsEveryone(await storage.getBucketConfig(bucket, 'acl'), 'WRITE');
  if (OBJECT_READ.has(operation) && key !== undefined) {
    const meta = await storage.headObject(bucket, key);
    return meta !== undefined && allowsEveryone(meta.acl, 'READ');
  }
  return false;
}

/**
 * With signature verification off, every signed request acts with its identity's full rights.
 * Anonymous requests get what the bucket policy or an ACL grants to everyone, as on AWS; when an
 * ACL is what allowed it, the access log's aclRequired field says `Yes`.
 */
export async function authorize(
  services: Services,
  ctx: RequestContext,
  identity: Identity | undefined,
  operation: string,
  bucket?: string,
  key?: string,
): Promise<void> {
  if (identity || operation === 'OptionsPreflight') return;
  if (bucket === undefined || !(await services.storage.getBucket(bucket))) throw new S3Error('AccessDenied');
  const policy = await services.storage.getBucketConfig(bucket, 'policy');
  const decision =
    policy === undefined
      ? 'none'
      : evaluatePolicy(parsePolicy(policy, bucket), {
          principal: { anonymous: true },
          action: iamActionOf(operation),
          resource: resourceArn(bucket, key),
        });
  if (decision === 'allow') return;
  if (decision === 'none' && (await allowedByAcl(services, operation, bucket, key))) {
    ctx.aclRequired = true;
    return;
  }
  throw new S3Error('AccessDenied');
}
