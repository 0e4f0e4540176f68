import { type AclPermission, allowsEveryone } from '../acl/grants.js';
import { S3Error } from '../../errors/s3-error.js';
import { resourceArn } from '../policy/resource-arn.js';
import { evaluatePolicy } from '../policy/evaluate.js';
import { parsePolicy } from '../policy/policy-document.js';
import type { RequestContext } from './context.js';
import type { Services } from './handler.js';
import type { Identity } from './identity.js';
import type { AclCheck, OperationRow } from './handler.js';

/** Whether an ACL grants everyone the permission the operation's row names. */
async function allowedByAcl(
  services: Services,
  check: AclCheck | undefined,
  bucket: string,
  key: string | undefined,
): Promise<boolean> {
  if (check === undefined) return false;
  const [on, permission] = check.split(':') as ['bucket' | 'object', AclPermission];
  const { storage } = services;
  if (on === 'bucket') return allowsEveryone(await storage.getBucketConfig(bucket, 'acl'), permission);
  if (key === undefined) return false;
  const meta = await storage.headObject(bucket, key);
  return meta !== undefined && allowsEveryone(meta.acl, permission);
}

/**
 * With signature verification off, every signed request acts with its identity's full rights.
 * Anonymous requests get what the bucket policy or an ACL grants to everyone, as on AWS; when an
 * ACL is what allowed it, the access log's aclRequired field says `Yes`. Rows without an IAM
 * action (CORS preflights) are not authorized at all.
 */
export async function authorize(
  services: Services,
  ctx: RequestContext,
  identity: Identity | undefined,
  row: Pick<OperationRow, 'action' | 'acl'>,
  bucket?: string,
  key?: string,
): Promise<void> {
  if (identity || row.action === undefined) return;
  if (bucket === undefined || !(await services.storage.getBucket(bucket))) throw new S3Error('AccessDenied');
  const policy = await services.storage.getBucketConfig(bucket, 'policy');
  const decision =
    policy === undefined
      ? 'none'
      : evaluatePolicy(parsePolicy(policy, bucket), {
          principal: { anonymous: true },
          action: row.action,
          resource: resourceArn(bucket, key),
        });
  if (decision === 'allow') return;
  if (decision === 'none' && (await allowedByAcl(services, row.acl, bucket, key))) {
    ctx.aclRequired = true;
    return;
  }
  throw new S3Error('AccessDenied');
}
