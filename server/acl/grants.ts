import { S3Error } from '../../errors/s3-error.js';
import type { AclGrant, Owner } from '../../storage/storage.js';

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

const group = (uri: string, permission: AclGrant['permission']): AclGrant => ({
  grantee: { type: 'Group', uri },
  permission,
});

/**
 * Canned ACLs as grants beside the owner's FULL_CONTROL.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
 */
const CANNED: Record<string, AclGrant[]> = {
  private: [],
  'public-read': [group(ALL_USERS, 'READ')],
  'public-read-write': [group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE')],
  'authenticated-read': [group(AUTHENTICATED_USERS, 'READ')],
  'aws-exec-read': [],
  'bucket-owner-read': [],
  'bucket-owner-full-control': [],
  'log-delivery-write': [group(LOG_DELIVERY, 'WRITE'), group(LOG_DELIVERY, 'READ_ACP')],
};

const GRANT_HEADERS: [string, AclGrant['permission']][] = [
  ['x-amz-grant-full-control', 'FULL_CONTROL'],
  ['x-amz-grant-read', 'READ'],
  ['x-amz-grant-write', 'WRITE'],
  ['x-amz-grant-read-acp', 'READ_ACP'],
  ['x-amz-grant-write-acp', 'WRITE_ACP'],
];

/** Every request header that sets an ACL: the canned one and the grant headers. */
export const ACL_HEADER_NAMES = ['x-amz-acl', ...GRANT_HEADERS.map(([name]) => name)];

function granteesOf(value: string, permission: AclGrant['permission']): AclGrant[] {
  return value.split(',').map((part) => {
    const m = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/.exec(part);
    if (!m) throw new S3Error('InvalidArgument', {}, 'Invalid grant header value');
    const [, kind, v] = m;
    const grantee: AclGrant['grantee'] =
      kind === 'id'
        ? { type: 'CanonicalUser', id: v! }
        : kind === 'uri'
          ? { type: 'Group', uri: v! }
          : { type: 'AmazonCustomerByEmail', emailAddress: v! };
    return { grantee, permission };
  });
}

/** The ACL a request sets through x-amz-acl or x-amz-grant-* headers; undefined when it sets none. */
export function aclFromHeaders(h: Record<string, string | string[] | undefined>): AclGrant[] | undefined {
  const canned = h['x-amz-acl'];
  const grants = GRANT_HEADERS.filter(([name]) => typeof h[name] === 'string');
  if (typeof canned === 'string') {
    if (grants.length)
      throw new S3Error('InvalidRequest', {}, 'Specifying both Canned ACLs and Header Grants is not allowed');
    const acl = CANNED[canned];
    if (!acl) throw new S3Error('InvalidArgument', { ArgumentName: 'x-amz-acl', ArgumentValue: canned });
    return acl;
  }
  if (!grants.length) return undefined;
  return grants.flatMap(([name, permission]) => granteesOf(h[name] as string, permission));
}

/** Whether an ACL lets anonymous callers (the AllUsers group) have a permission. */
export type AclPermission = 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';

export function allowsEveryone(acl: AclGrant[] | undefined, permission: AclPermission): boolean {
  return allows(acl, permission, undefined);
}

/**
 * Whether an ACL gives a caller a permission: grants to everyone, to every signed caller
 * (AuthenticatedUsers) when `canonicalId` is set, or to that canonical user; FULL_CONTROL counts.
 */
export function allows(
  acl: AclGrant[] | undefined,
  permission: AclPermission,
  canonicalId: string | undefined,
): boolean {
  return (acl ?? []).some((g) => {
    if (g.permission !== permission && g.permission !== 'FULL_CONTROL') return false;
    const who = g.grantee;
    if (who.type === 'Group')
      return who.uri === ALL_USERS || (canonicalId !== undefined && who.uri === AUTHENTICATED_USERS);
    return who.type === 'CanonicalUser' && canonicalId !== undefined && who.id === canonicalId;
  });
}

export const ownerGrant = (owner: Owner): AclGrant => ({
  grantee: { type: 'CanonicalUser', id: owner.id, displayName: owner.displayName },
  permission: 'FULL_CONTROL',
});
