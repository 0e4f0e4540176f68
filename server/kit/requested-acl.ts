import type { AclGrant, Owner } from '../../storage/storage.js';
import { aclFromHeaders } from '../acl/grants.js';
import { readSmallBody } from '../protocol/read-body.js';
import { parseXml } from '../xml/parse.js';
import { grantsFromXml } from '../xml/shapes/access-control-policy.js';
import type { S3Request } from './handler.js';

/** The ACL a Put*Acl request sets: headers, else an AccessControlPolicy body (owner grant dropped). */
export async function requestedAcl(req: S3Request, owner: Owner): Promise<AclGrant[]> {
  const fromHeaders = aclFromHeaders(req.headers);
  if (fromHeaders) return fromHeaders;
  const { root, body } = await parseXml(await readSmallBody(req));
  return grantsFromXml(root, body).filter(
    (g) => !(g.grantee.type === 'CanonicalUser' && g.grantee.id === owner.id && g.permission === 'FULL_CONTROL'),
  );
}
