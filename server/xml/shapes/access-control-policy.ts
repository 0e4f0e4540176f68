import { S3Error } from '../../../errors/s3-error.js';
import type { AclGrant, Owner } from '../../../storage/storage.js';
import { asArray, textOf, type ParsedXml } from '../parse.js';
import type { XmlElement } from '../render.js';
import { ownerXml } from './owner.js';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const PERMISSIONS = ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'];
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

export function accessControlPolicyXml(owner: Owner, grants: AclGrant[]): XmlElement {
  return {
    Owner: ownerXml(owner),
    AccessControlList: {
      Grant: grants.map((g) => ({
        Grantee: {
          $: { 'xmlns:xsi': XSI, 'xsi:type': g.grantee.type },
          ...(g.grantee.type === 'CanonicalUser'
            ? { ID: g.grantee.id } // no DisplayName since November 2025, as ownerXml
            : g.grantee.type === 'Group'
              ? { URI: g.grantee.uri }
              : { EmailAddress: g.grantee.emailAddress }),
        },
        Permission: g.permission,
      })),
    },
  };
}

/** Grants of an AccessControlPolicy body (PutBucketAcl / PutObjectAcl). */
export function grantsFromXml(root: string, body: ParsedXml): AclGrant[] {
  if (root !== 'AccessControlPolicy') throw new S3Error('MalformedACLError');
  return asArray(obj(body.AccessControlList).Grant as unknown[]).map((g) => {
    const grantee = obj(obj(g).Grantee);
    const type = (obj(grantee.$)['xsi:type'] ?? obj(grantee.$).type) as string | undefined;
    const permission = textOf(obj(g).Permission) ?? '';
    if (!PERMISSIONS.includes(permission)) throw new S3Error('MalformedACLError');
    const p = permission as AclGrant['permission'];
    if (type === 'CanonicalUser' && textOf(grantee.ID))
      return { grantee: { type, id: textOf(grantee.ID)!, displayName: textOf(grantee.DisplayName) }, permission: p };
    if (type === 'Group' && textOf(grantee.URI)) return { grantee: { type, uri: textOf(grantee.URI)! }, permission: p };
    if (type === 'AmazonCustomerByEmail' && textOf(grantee.EmailAddress))
      return { grantee: { type, emailAddress: textOf(grantee.EmailAddress)! }, permission: p };
    throw new S3Error('MalformedACLError');
  });
}
