import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from '../../errors/s3-error.js';
import type { Identity } from '../kit/identity.js';
import { ChunkSignatureChain } from './chunk-signatures.js';
import { checkScope, headerClaim, presignedClaim, type SigV4Claim } from './sigv4-claim.js';
import { canonicalRequest } from './sigv4-canonical.js';
import { verifySigV2 } from './sigv2.js';
import { EMPTY_SHA256, sha256Hex, signHex, signingKey } from './signing-key.js';
import { spacedHex } from './strict-encode.js';

/** What a body must still prove after the request's head has been verified. */
export interface PayloadProof {
  /** The hex SHA-256 the client signed for a plain body (XAmzContentSHA256Mismatch otherwise). */
  sha256Hex?: string;
  /** Signed aws-chunked bodies: each chunk's signature and the trailer's. */
  chunks?: ChunkSignatureChain;
}

export interface SignedRequest {
  method: string;
  /** The URL as sent: path still percent-encoded, query unparsed. */
  rawUrl: string;
  headers: IncomingHttpHeaders;
  rawHeaders: readonly string[];
  query: URLSearchParams;
  /** The bucket named by the Host header (virtual-hosted style), for SigV2's resource. */
  hostBucket?: string;
  /** The region the scope must name (the bucket's); undefined accepts any. */
  expectedRegion?: string;
  /** The request names a bucket and no key (SigV2 signs `/bucket/`). */
  bucketOnly?: boolean;
  now: number;
}

/** S3 allows 15 minutes between a request's signed time and its own clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;
/** SigV4 presigned URLs may live at most 7 days. */
const MAX_PRESIGN_SECONDS = 604_800;
const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
const PAYLOAD_LABELS = new Set([
  'UNSIGNED-PAYLOAD',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  STREAMING_SIGNED,
  STREAMING_SIGNED_TRAILER,
]);

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

const toAmzDate = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The signed time of a header-signed request: x-amz-date, else Date; absent or unreadable → 403. */
function requestTime(headers: IncomingHttpHeaders): number {
  const amz = one(headers['x-amz-date']);
  const ms = amz !== undefined ? (parseAmzDate(amz) ?? Date.parse(amz)) : Date.parse(one(headers.date) ?? '');
  // A date before 1970 is as unreadable to S3 as none (s3-tests' bad_date_before_epoch).
  if (!Number.isFinite(ms) || ms < 0)
    throw new S3Error('AccessDenied', {}, 'AWS authentication requires a valid Date or x-amz-date header');
  return ms;
}

function checkSkew(signedAt: number, now: number): void {
  if (Math.abs(now - signedAt) <= MAX_SKEW_MS) return;
  throw new S3Error('RequestTimeTooSkewed', {
    RequestTime: new Date(signedAt).toUTCString(),
    ServerTime: new Date(now).toISOString(),
    MaxAllowedSkewMilliseconds: MAX_SKEW_MS,
  });
}

/** The payload hash a header-signed request declares: required, a known label or 64 hex digits. */
function declaredPayloadHash(headers: IncomingHttpHeaders): string {
  const value = one(headers['x-amz-content-sha256']);
  if (value === undefined)
    throw new S3Error('InvalidRequest', {}, 'Missing required header for this request: x-amz-content-sha256');
  if (PAYLOAD_LABELS.has(value) || /^[0-9a-f]{64}$/.test(value)) return value;
  throw new S3Error(
    'InvalidArgument',
    { ArgumentName: 'x-amz-content-sha256', ArgumentValue: value },
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
  );
}

const hasBody = (headers: IncomingHttpHeaders): boolean =>
  headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;

/**
 * Verifies a request's signature (SigV4 header or query, SigV2 header or query) against the
 * caller's secret, with S3's errors for each way it can fail; returns the caller, or undefined for
 * an anonymous request, with what the body must still prove.
 */
export function verifyRequest(
  req: SignedRequest,
  lookup: (accessKeyId: string) => Identity | undefined,
): { identity: Identity; payload?: PayloadProof } | undefined {
  const authorization = one(req.headers.authorization);
  const q = req.rawUrl.indexOf('?');
  const rawPath = q < 0 ? req.rawUrl : req.rawUrl.slice(0, q);
  const rawQuery = q < 0 ? '' : req.rawUrl.slice(q + 1);

  if (authorization?.startsWith('AWS4-HMAC-SHA256')) {
    const signedAt = requestTime(req.headers);
    const claim = headerClaim(authorization, one(req.headers['x-amz-date']) ?? toAmzDate(signedAt));
    const identity = known(lookup, claim.accessKeyId);
    const payloadHash = declaredPayloadHash(req.headers);
    checkSkew(signedAt, req.now);
    checkScope(claim, req.expectedRegion);
    const key = verifySigV4(req, claim, identity, rawPath, rawQuery, payloadHash);
    if (payloadHash === STREAMING_SIGNED || payloadHash === STREAMING_SIGNED_TRAILER) {
      const chain = new ChunkSignatureChain(
        claim.signature,
        key,
        claim.amzDate,
        scopeOf(claim),
        payloadHash === STREAMING_SIGNED_TRAILER,
      );
      return { identity, payload: { chunks: chain } };
    }
    if (payloadHash.length === 64) {
      if (!hasBody(req.headers) && payloadHash !== EMPTY_SHA256)
        throw new S3Error('XAmzContentSHA256Mismatch', {
          ClientComputedContentSHA256: payloadHash,
          S3ComputedContentSHA256: EMPTY_SHA256,
        });
      return { identity, payload: { sha256Hex: payloadHash } };
    }
    return { identity };
  }
  if (authorization?.startsWith('AWS ')) {
    const colon = authorization.lastIndexOf(':');
    if (colon < 0)
      throw new S3Error(
        'InvalidArgument',
        { ArgumentName: 'Authorization', ArgumentValue: authorization },
        'AWS authorization header is invalid.  Expected AwsAccessKeyId:signature',
      );
    const accessKeyId = authorization.slice(4, colon).trim();
    const identity = known(lookup, accessKeyId);
    checkSkew(requestTime(req.headers), req.now);
    verifySigV2(sigV2Input(req, rawPath, rawQuery), accessKeyId, secretOf(identity), authorization.slice(colon + 1));
    return { identity };
  }
  if (authorization !== undefined)
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'Authorization', ArgumentValue: authorization },
      'Unsupported Authorization Type',
    );
  if (req.query.has('X-Amz-Credential') || req.query.has('X-Amz-Algorithm')) {
    const claim = presignedClaim(req.query);
    const identity = known(lookup, claim.accessKeyId);
    checkPresignedTime(claim, req.now);
    checkScope(claim, req.expectedRegion);
    const payloadHash = one(req.headers['x-amz-content-sha256']) ?? 'UNSIGNED-PAYLOAD';
    verifySigV4(req, claim, identity, rawPath, rawQuery, payloadHash);
    return { identity };
  }
  const v2Key = req.query.get('AWSAccessKeyId');
  if (v2Key !== null) {
    const signature = req.query.get('Signature');
    const expires = req.query.get('Expires');
    if (!signature || !expires)
      throw new S3Error(
        'AccessDenied',
        {},
        'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
      );
    const identity = known(lookup, v2Key);
    if (Number(expires) * 1000 <= req.now)
      throw new S3Error(
        'AccessDenied',
        { Expires: new Date(Number(expires) * 1000).toISOString(), ServerTime: new Date(req.now).toISOString() },
        'Request has expired',
      );
    verifySigV2({ ...sigV2Input(req, rawPath, rawQuery), expires }, v2Key, secretOf(identity), signature);
    return { identity };
  }
  return undefined;
}

const sigV2Input = (req: SignedRequest, rawPath: string, rawQuery: string) => ({
  method: req.method,
  rawPath,
  rawQuery,
  rawHeaders: req.rawHeaders,
  hostBucket: req.hostBucket,
  bucketOnly: req.bucketOnly,
});

function known(lookup: (accessKeyId: string) => Identity | undefined, accessKeyId: string): Identity {
  const identity = lookup(accessKeyId);
  if (!identity) throw new S3Error('InvalidAccessKeyId', { AWSAccessKeyId: accessKeyId });
  return identity;
}

/** Configuration requires a secret for every identity when signatures are verified. */
const secretOf = (identity: Identity): string => identity.secretAccessKey ?? '';

const scopeOf = (c: SigV4Claim): string => `${c.scopeDate}/${c.region}/${c.service}/${c.terminal}`;

function checkPresignedTime(claim: SigV4Claim, now: number): void {
  const signedAt = parseAmzDate(claim.amzDate)!;
  const expires = claim.expires!;
  // 403, as without verification (s3-tests test_object_raw_get_x_amz_expires_out_max_range).
  if (expires > MAX_PRESIGN_SECONDS)
    throw new S3Error('AccessDenied', {}, 'X-Amz-Expires must be less than a week (in seconds) that is 7 days');
  if (signedAt - now > MAX_SKEW_MS) throw new S3Error('AccessDenied', {}, 'Request is not valid yet');
  if (signedAt + expires * 1000 < now)
    throw new S3Error(
      'AccessDenied',
      {
        'X-Amz-Expires': expires,
        Expires: new Date(signedAt + expires * 1000).toISOString(),
        ServerTime: new Date(now).toISOString(),
      },
      'Request has expired',
    );
}

/** Recomputes the signature; returns the signing key (chunk signatures chain from it). */
function verifySigV4(
  req: SignedRequest,
  claim: SigV4Claim,
  identity: Identity,
  rawPath: string,
  rawQuery: string,
  payloadHash: string,
): Buffer {
  const canonical = canonicalRequest({
    method: req.method,
    rawPath,
    rawQuery,
    rawHeaders: req.rawHeaders,
    signedHeaders: claim.signedHeaders,
    payloadHash,
    presigned: claim.presigned,
  });
  const stringToSign = ['AWS4-HMAC-SHA256', claim.amzDate, scopeOf(claim), sha256Hex(canonical)].join('\n');
  const key = signingKey(secretOf(identity), claim.scopeDate, claim.region, claim.service);
  const expected = Buffer.from(signHex(key, stringToSign), 'hex');
  const given = Buffer.from(claim.signature, 'hex');
  if (given.length === expected.length && timingSafeEqual(given, expected)) return key;
  throw new S3Error('SignatureDoesNotMatch', {
    AWSAccessKeyId: claim.accessKeyId,
    StringToSign: stringToSign,
    SignatureProvided: claim.signature,
    StringToSignBytes: spacedHex(stringToSign),
    CanonicalRequest: canonical,
    CanonicalRequestBytes: spacedHex(canonical),
  });
}
