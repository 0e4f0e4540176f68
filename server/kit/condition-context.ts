import type { BucketInfo, ObjectMeta } from '../../storage/storage.js';
import type { ConditionLookup } from '../policy/conditions.js';
import type { S3Request } from './handler.js';

const AUTH_TYPE = { AuthHeader: 'REST-HEADER', QueryString: 'REST-QUERY-STRING' } as const;
const SIGNATURE_VERSION = { SigV4: 'AWS4-HMAC-SHA256', SigV2: 'AWS' } as const;

function tagsOf(header: string | undefined): Map<string, string> {
  return new Map(header ? new URLSearchParams(header) : []);
}

/**
 * The condition keys S3 fills for a request, computed only when a policy statement asks
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
 * Header keys exist only when the header was sent, as on AWS.
 */
export function conditionContext(req: S3Request, bucket: BucketInfo, object?: ObjectMeta): ConditionLookup {
  const { ctx, identity, headers, query } = req;
  const header = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v.join(',') : v;
  };
  return (key) => {
    if (key.startsWith('s3:requestobjecttag/')) return tagsOf(header('x-amz-tagging')).get(key.slice(20));
    if (key.startsWith('s3:existingobjecttag/')) {
      const wanted = key.slice(21);
      const tags = object?.tags ?? {};
      // Condition key names ignore case; tag keys do not, so an exact match wins.
      return tags[wanted] ?? Object.entries(tags).find(([k]) => k.toLowerCase() === wanted)?.[1];
    }
    if (key.startsWith('s3:x-amz-') || key === 's3:if-match' || key === 's3:if-none-match') return header(key.slice(3));
    switch (key) {
      case 'aws:sourceip':
        return ctx.remoteIp;
      case 'aws:securetransport':
        return ctx.tlsCipher ? 'true' : 'false';
      case 'aws:currenttime':
        return new Date().toISOString();
      case 'aws:epochtime':
        return String(Math.floor(Date.now() / 1000));
      case 'aws:useragent':
        return ctx.userAgent;
      case 'aws:referer':
        return ctx.referer;
      case 'aws:principalarn':
        return identity?.arn;
      case 'aws:principalaccount':
        return identity?.accountId;
      case 'aws:principaltype':
        return identity ? (identity.arn.endsWith(':root') ? 'Account' : 'User') : 'Anonymous';
      case 'aws:userid':
        return identity ? (identity.arn.endsWith(':root') ? identity.accountId : identity.arn) : 'anonymous';
      case 'aws:username':
        return identity?.arn.match(/:user\/(?:.*\/)?([^/]+)$/)?.[1];
      case 'aws:resourceaccount':
      case 's3:resourceaccount':
        return req.services.identities.accountIdOf(bucket.owner.id);
      case 's3:prefix':
      case 's3:delimiter':
      case 's3:max-keys':
        return query.get(key.slice(3)) ?? undefined;
      case 's3:versionid':
        return query.get('versionId') ?? undefined;
      case 's3:authtype':
        return ctx.authType && AUTH_TYPE[ctx.authType];
      case 's3:signatureversion':
        return ctx.signatureVersion && SIGNATURE_VERSION[ctx.signatureVersion];
      case 's3:tlsversion':
        return ctx.tlsVersion?.replace(/^TLSv/, '');
      case 's3:requestobjecttagkeys': {
        const tags = header('x-amz-tagging');
        return tags === undefined ? undefined : [...tagsOf(tags).keys()];
      }
      default:
        return undefined;
    }
  };
}
