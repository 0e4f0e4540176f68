// What a bucket's PublicAccessBlock and Object Ownership settings refuse, checked where it is cheap
// and certain (the settings are read from memory):
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html,
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
import { S3Error } from '../../errors/s3-error.js';
import type { AclGrant, BucketConfig } from '../../storage/storage.js';
import { ACL_HEADER_NAMES, ALL_USERS, AUTHENTICATED_USERS, aclFromHeaders } from '../acl/grants.js';
import type { PolicyDocument, PolicyStatement } from '../policy/policy-document.js';
import type { S3Request } from './handler.js';

const PUBLIC_GROUPS = [ALL_USERS, AUTHENTICATED_USERS];

const configOf = (req: S3Request): BucketConfig | undefined =>
  req.bucket === undefined ? undefined : req.services.storage.peekBucket(req.bucket)?.config;

/** "Public" for an ACL: a grant to AllUsers or AuthenticatedUsers. */
export const isPublicAcl = (acl: readonly AclGrant[]): boolean =>
  acl.some((g) => g.grantee.type === 'Group' && PUBLIC_GROUPS.includes(g.grantee.uri));

/**
 * An ACL a request sets (grants beside the owner's; `canned` is its x-amz-acl): BucketOwnerEnforced
 * disables ACLs, so only `bucket-owner-full-control` (or no ACL) passes on an object write and no
 * Put*Acl passes at all (400 AccessControlListNotSupported; ceph/s3-tests
 * _test_object_ownership_bucket_owner_enforced); BlockPublicAcls refuses a public ACL with 403
 * AccessDenied (s3-tests test_block_public_put_bucket_acls, test_block_public_object_canned_acls).
 */
export function checkRequestedAcl(
  req: S3Request,
  acl: readonly AclGrant[],
  how: { canned?: string; replacesAcl: boolean },
): void {
  const config = configOf(req);
  if (!config) return;
  if (
    config.ownershipControls === 'BucketOwnerEnforced' &&
    (how.replacesAcl || how.canned !== 'bucket-owner-full-control')
  )
    throw new S3Error('AccessControlListNotSupported');
  if (config.publicAccessBlock?.blockPublicAcls && isPublicAcl(acl)) throw new S3Error('AccessDenied');
}

/** The same checks for an object write (PutObject, CopyObject, CreateMultipartUpload) that sets an ACL by header. */
export function checkAclHeaders(req: S3Request): void {
  const config = configOf(req);
  const guarded = config?.ownershipControls === 'BucketOwnerEnforced' || config?.publicAccessBlock?.blockPublicAcls;
  if (!guarded || !ACL_HEADER_NAMES.some((h) => req.headers[h] !== undefined)) return;
  const acl = aclFromHeaders(req.headers) ?? [];
  const canned = req.headers['x-amz-acl'];
  checkRequestedAcl(req, acl, { canned: typeof canned === 'string' ? canned : undefined, replacesAcl: false });
}

// Condition keys that tie a statement to fixed accounts, networks or sources, so that "*" is not
// public ("The meaning of public" in the Block Public Access guide).
const RESTRICTING_KEYS = new Set(
  [
    'aws:SourceIp',
    'aws:SourceArn',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceAccount',
    'aws:SourceOwner',
    'aws:SourceOrgID',
    'aws:PrincipalAccount',
    'aws:PrincipalArn',
    'aws:PrincipalOrgID',
    'aws:userid',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
  ].map((k) => k.toLowerCase()),
);

const everyone = (s: PolicyStatement): boolean => {
  if (s.NotPrincipal !== undefined) return true;
  const p = s.Principal;
  if (p === '*') return true;
  const aws = p?.AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
};

function restricted(s: PolicyStatement): boolean {
  for (const [operator, entries] of Object.entries(s.Condition ?? {})) {
    if (/IfExists$/.test(operator)) continue;
    for (const [key, value] of Object.entries(entries)) {
      const values = (Array.isArray(value) ? value : [value]).map(String);
      if (RESTRICTING_KEYS.has(key.toLowerCase()) && values.every((v) => !v.includes('*') && v !== '0.0.0.0/0'))
        return true;
    }
  }
  return false;
}

/** Whether a policy grants access to anyone: an Allow to `*` (or with NotPrincipal) that no fixed condition restricts. */
export const isPublicPolicy = (doc: PolicyDocument): boolean =>
  doc.Statement.some((s) => s.Effect === 'Allow' && everyone(s) && !restricted(s));

/** BlockPublicPolicy refuses a public policy with 403 AccessDenied (s3-tests test_block_public_policy). */
export function checkPolicy(req: S3Request, doc: PolicyDocument): void {
  if (configOf(req)?.publicAccessBlock?.blockPublicPolicy && isPublicPolicy(doc)) throw new S3Error('AccessDenied');
}
