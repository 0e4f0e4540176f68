import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from '../../errors/s3-error.js';

export interface PresentedAuth {
  accessKeyId: string;
  signatureVersion: 'SigV2' | 'SigV4';
  authType: 'AuthHeader' | 'QueryString';
}

/** SigV4 presigned URLs may live at most 7 days. */
const MAX_PRESIGN_SECONDS = 604800;

function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

/** How a request presents itself, before any check: what the access log records even for a refusal. */
export function presentedKind(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): Omit<PresentedAuth, 'accessKeyId'> | undefined {
  const header = headers.authorization;
  if (header) return { signatureVersion: header.startsWith('AWS ') ? 'SigV2' : 'SigV4', authType: 'AuthHeader' };
  if (query.has('X-Amz-Credential')) return { signatureVersion: 'SigV4', authType: 'QueryString' };
  if (query.has('AWSAccessKeyId')) return { signatureVersion: 'SigV2', authType: 'QueryString' };
  return undefined;
}

/**
 * Reads the credentials a request presents: header-signed (SigV4/SigV2), presigned (query string)
 * or none. Signatures are not verified; presigned expiry is, as S3 rejects expired URLs with 403
 * whoever signed them.
 */
export function presentedAuth(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  now = Date.now(),
): PresentedAuth | undefined {
  const header = headers.authorization;
  if (header) {
    if (header.startsWith('AWS4-HMAC-SHA256 ')) {
      const m = /Credential=([^/,\s]+)\//.exec(header);
      if (!m)
        throw new S3Error(
          'AuthorizationHeaderMalformed',
          {},
          'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
        );
      return { accessKeyId: m[1]!, signatureVersion: 'SigV4', authType: 'AuthHeader' };
    }
    if (header.startsWith('AWS ')) {
      const accessKeyId = header.slice(4).split(':')[0]!;
      return { accessKeyId, signatureVersion: 'SigV2', authType: 'AuthHeader' };
    }
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'Authorization', ArgumentValue: header },
      'Unsupported Authorization Type',
    );
  }
  const credential = query.get('X-Amz-Credential');
  if (query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256' && credential) {
    const date = parseAmzDate(query.get('X-Amz-Date') ?? '');
    const expires = Number(query.get('X-Amz-Expires'));
    if (date === undefined || !Number.isInteger(expires)) {
      throw new S3Error(
        'AuthorizationQueryParametersError',
        {},
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      );
    }
    if (expires < 0) throw new S3Error('AccessDenied', {}, 'X-Amz-Expires must be non-negative');
    if (expires > MAX_PRESIGN_SECONDS)
      throw new S3Error('AccessDenied', {}, 'X-Amz-Expires must be less than a week (in seconds) that is 7 days');
    if (date + expires * 1000 <= now) throw new S3Error('AccessDenied', {}, 'Request has expired');
    return { accessKeyId: credential.split('/')[0]!, signatureVersion: 'SigV4', authType: 'QueryString' };
  }
  const v2Key = query.get('AWSAccessKeyId');
  if (v2Key && query.has('Signature')) {
    const expires = Number(query.get('Expires'));
    if (Number.isFinite(expires) && expires * 1000 <= now) throw new S3Error('AccessDenied', {}, 'Request has expired');
    return { accessKeyId: v2Key, signatureVersion: 'SigV2', authType: 'QueryString' };
  }
  return undefined;
}
