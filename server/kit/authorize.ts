import { S3Error } from '../../errors/s3-error.js';
import type { BucketInfo } from '../../storage/storage.js';
import { ACL_HEADER_NAMES, type AclPermission, allows } from '../acl/grants.js';
import { evaluatePolicy, type PolicyDecision, type PolicyPrincipal, storedPolicy } from '../policy/evaluate.js';
import { resourceArn } from '../policy/resource-arn.js';
import { conditionContext } from './condition-context.js';
import type { AclCheck, OperationRow, S3Request } from './handler.js';

/** What is checked: an operation's row, or the part of one a sub-request needs (a copy source, one key). */
export type AccessCheck = Pick<OperationRow, 'action' | 'acl' | 'aclHeaderAction'>;

// The bucket owner's root can always manage the bucket policy, whatever it says (AWS's lockout rule).
const POLICY_MANAGEMENT = new Set(['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy']);

/**
 * Whether an ACL gives the caller the permission the operation's row names: on the bucket, or on
 * the object (whose owner holds every permission on it).
 */
async function allowedByAcl(
  req: S3Request,
  check: AclCheck | undefined,
  bucket: string,
  key: string | undefined,
): Promise<boolean> {
  if (check === undefined) return false;
  const [on, permission] = check.split(':') as ['bucket' | 'object', AclPermission];
  const { storage } = req.services;
  const caller = req.identity?.canonicalId;
  if (on === 'bucket') return allows(await storage.getBucketConfig(bucket, 'acl'), permission, caller);
  if (key === undefined) return false;
  const meta = await storage.headObject(bucket, key, req.query.get('versionId') ?? undefined);
  // Reading a key that does not exist: NoSuchKey for a caller who may list the bucket (a
  // public-read bucket's anonymous reader among them), AccessDenied for anyone else.
  if (meta === undefined && permission === 'READ') throw await missingKeyError({ ...req, key });
  return meta !== undefined && (meta.owner.id === caller || allows(meta.acl, permission, caller));
}

function principalOf(req: S3Request): PolicyPrincipal {
  const id = req.identity;
  return id ? { accountId: id.accountId, arn: id.arn, canonicalId: id.canonicalId } : { anonymous: true };
}

/**
 * Decides a request as S3 does for bucket policies and ACLs
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html):
 * an explicit Deny in the bucket policy refuses anyone it names, signed or not; the bucket owner's
 * account otherwise has full rights; anyone else (another account, or anonymous) needs an Allow
 * from the policy or, without one, an ACL grant (to them, to AuthenticatedUsers or AllUsers), and
 * then the access log's aclRequired field says `Yes`. Setting an ACL through headers (x-amz-acl,
 * x-amz-grant-*) also needs the row's `aclHeaderAction` (s3:PutObjectAcl). Rows without an IAM
 * action (CORS preflights) are not authorized at all.
 */
export async function authorize(
  req: S3Request,
  check: AccessCheck = req.row,
  target: { bucket?: string; key?: string } = req,
): Promise<void> {
  const { bucket, key } = target;
  if (check.action === undefined) return;
  // Without a bucket (ListBuckets) there is no policy or ACL: only a signed caller is served.
  if (bucket === undefined) {
    if (!req.identity) throw new S3Error('AccessDenied');
    return;
  }
  // Read from memory without awaiting: most buckets have no policy, and then nothing here waits.
  const state = req.services.storage.peekBucket(bucket);
  // A missing bucket is NoSuchBucket for anyone, anonymous callers included, as S3 answers it
  // (ceph/s3-tests test_object_raw_get_bucket_gone): the row's precondition says so.
  if (!state) return;
  const { info } = state;
  const actions = [check.action];
  if (check.aclHeaderAction && ACL_HEADER_NAMES.some((h) => req.headers[h] !== undefined))
    actions.push(check.aclHeaderAction);
  const policy = state.config.policy;
  const decisions =
    policy === undefined
      ? actions.map((): PolicyDecision => 'none')
      : await policyDecisions(req, info, policy, actions, key);
  if (req.identity) {
    const ownAccount = req.identity.canonicalId === info.owner.id;
    const ownerRoot = ownAccount && req.identity.arn.endsWith(':root');
    if (decisions.includes('deny') && !(ownerRoot && POLICY_MANAGEMENT.has(check.action))) {
      throw new S3Error('AccessDenied');
    }
    // Only the owner's account may manage the bucket policy: another account gets 405 even with an
    // Allow (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html).
    if (!ownAccount && POLICY_MANAGEMENT.has(check.action)) {
      throw new S3Error('MethodNotAllowed', { Method: req.method, ResourceType: 'BUCKETPOLICY' });
    }
    // The bucket owner's account acts with full rights (its keys stand for the account: s3scribe
    // has no identity policies); another account needs a policy Allow or an ACL grant.
    if (ownAccount) return;
  }
  // Block Public Access: RestrictPublicBuckets takes away what a public policy gives anonymous
  // callers, IgnorePublicAcls what AllUsers grants give them
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
  const block = state.config.publicAccessBlock;
  if (decisions.every((d) => d === 'allow') && !block?.restrictPublicBuckets) return;
  if (decisions[0] === 'none' && !block?.ignorePublicAcls && (await allowedByAcl(req, check.acl, info.name, key))) {
    req.ctx.aclRequired = true;
    return;
  }
  throw new S3Error('AccessDenied');
}

/** What the bucket's policy (its stored text) says of each action. */
async function policyDecisions(
  req: S3Request,
  bucket: BucketInfo,
  text: string,
  actions: string[],
  key: string | undefined,
): Promise<PolicyDecision[]> {
  const policy = storedPolicy(text, bucket.name);
  const principal = principalOf(req);
  const resource = resourceArn(bucket.name, key);
  // Existing tags cost a metadata read: only for policies that ask about them.
  const object =
    key !== undefined && /ExistingObjectTag/i.test(text)
      ? await req.services.storage.headObject(bucket.name, key)
      : undefined;
  const context = conditionContext(req, bucket, object);
  return actions.map((action) => evaluatePolicy(policy, { principal, action, resource, context }));
}

/**
 * The error for a key that does not exist: NoSuchKey only for a caller who may list the bucket;
 * anyone else gets AccessDenied, so keys cannot be probed
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions").
 */
export async function missingKeyError(req: S3Request): Promise<S3Error> {
  try {
    await authorize(req, { action: 's3:ListBucket', acl: 'bucket:READ' }, { bucket: req.bucket });
    return new S3Error('NoSuchKey', { Key: req.key });
  } catch {
    return new S3Error('AccessDenied');
  }
}
