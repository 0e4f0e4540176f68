import { createHmac, timingSafeEqual } from 'node:crypto';
import { S3Error } from '../../errors/s3-error.js';
import { decodeQueryComponent, signedHeaderValue, spacedHex } from './strict-encode.js';

/**
 * Query parameters that are part of SigV2's CanonicalizedResource (the sub-resources and the
 * response overrides); every other parameter is left out.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html#ConstructingTheCanonicalizedResourceElement
 */
const SUBRESOURCES = new Set([
  'accelerate',
  'acl',
  'analytics',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'partNumber',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'select-type',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'attributes',
]);

export interface SigV2Input {
  method: string;
  rawPath: string;
  rawQuery: string;
  rawHeaders: readonly string[];
  /** The bucket named by the Host header (virtual-hosted style), prepended to the resource. */
  hostBucket?: string;
  /** Query auth: the Expires parameter takes the Date line's place. */
  expires?: string;
  /** The request names a bucket and no key: its resource is `/bucket/`. */
  bucketOnly?: boolean;
}

function canonicalResource(input: SigV2Input): string {
  const sub: [string, string | undefined][] = [];
  for (const part of input.rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeQueryComponent(eq < 0 ? part : part.slice(0, eq));
    if (SUBRESOURCES.has(name)) sub.push([name, eq < 0 ? undefined : decodeQueryComponent(part.slice(eq + 1))]);
  }
  sub.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = sub.map(([name, value]) => (value === undefined ? name : `${name}=${value}`)).join('&');
  let path = input.hostBucket === undefined ? input.rawPath : `/${input.hostBucket}${input.rawPath}`;
  // A bucket's resource ends in `/` (botocore, boto and s3cmd sign `/bucket/` for `PUT /bucket`).
  if (input.bucketOnly && !path.endsWith('/')) path += '/';
  return query ? `${path}?${query}` : path;
}

/**
 * SigV2's StringToSign: method, Content-MD5, Content-Type, Date (empty when x-amz-date is sent;
 * Expires for query auth), the x-amz-* headers, and the resource.
 */
export function sigV2StringToSign(input: SigV2Input): string {
  const amzNames = new Set<string>();
  for (let i = 0; i < input.rawHeaders.length; i += 2) {
    const name = input.rawHeaders[i]!.toLowerCase();
    if (name.startsWith('x-amz-')) amzNames.add(name);
  }
  const amzLines = [...amzNames]
    .sort()
    .map((name) => `${name}:${signedHeaderValue(input.rawHeaders, name)}\n`)
    .join('');
  const date = input.expires ?? (amzNames.has('x-amz-date') ? '' : (signedHeaderValue(input.rawHeaders, 'date') ?? ''));
  return [
    input.method,
    signedHeaderValue(input.rawHeaders, 'content-md5') ?? '',
    signedHeaderValue(input.rawHeaders, 'content-type') ?? '',
    date,
    `${amzLines}${canonicalResource(input)}`,
  ].join('\n');
}

/** Base64 HMAC-SHA1 of the StringToSign; a mismatch is S3's SignatureDoesNotMatch with its V2 details. */
export function verifySigV2(input: SigV2Input, accessKeyId: string, secret: string, provided: string): void {
  const given = Buffer.from(provided, 'base64');
  const matches = (toSign: string): boolean => {
    const expected = createHmac('sha1', secret).update(toSign, 'utf8').digest();
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const stringToSign = sigV2StringToSign(input);
  if (matches(stringToSign)) return;
  // Some clients sign a bucket's resource without its `/`; S3 accepts either.
  if (input.bucketOnly && matches(sigV2StringToSign({ ...input, bucketOnly: false }))) return;
  throw new S3Error('SignatureDoesNotMatch', {
    AWSAccessKeyId: accessKeyId,
    StringToSign: stringToSign,
    SignatureProvided: provided,
    StringToSignBytes: spacedHex(stringToSign),
  });
}
