import { rawQueryPairs, signedHeaderValue, strictEncode } from './strict-encode.js';

export interface CanonicalInput {
  method: string;
  /** The path as sent, still percent-encoded. */
  rawPath: string;
  /** The query string as sent, without `?`. */
  rawQuery: string;
  rawHeaders: readonly string[];
  signedHeaders: readonly string[];
  payloadHash: string;
  /** Presigned: X-Amz-Signature is the one parameter left out. */
  presigned: boolean;
}

/**
 * S3's canonical URI: each segment decoded and encoded once (S3 does not double-encode and does
 * not normalize `.` or `//`). A segment that cannot be decoded is used as sent.
 */
function canonicalUri(rawPath: string): string {
  if (/^[A-Za-z0-9\-._~/]*$/.test(rawPath)) return rawPath || '/';
  return (
    rawPath
      .split('/')
      .map((segment) => {
        try {
          return strictEncode(decodeURIComponent(segment));
        } catch {
          return segment;
        }
      })
      .join('/') || '/'
  );
}

function canonicalQuery(rawQuery: string, presigned: boolean): string {
  if (rawQuery === '') return '';
  const pairs = rawQueryPairs(rawQuery)
    .filter(([name]) => !(presigned && name === 'X-Amz-Signature'))
    .map(([name, value]) => [strictEncode(name), strictEncode(value)] as const);
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * The canonical request of SigV4, built from the request as it arrived.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 */
export function canonicalRequest(input: CanonicalInput): string {
  const headerLines = input.signedHeaders
    .map((name) => `${name}:${signedHeaderValue(input.rawHeaders, name) ?? ''}\n`)
    .join('');
  return [
    input.method,
    canonicalUri(input.rawPath),
    canonicalQuery(input.rawQuery, input.presigned),
    headerLines,
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}
