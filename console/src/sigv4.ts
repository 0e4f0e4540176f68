/**
 * AWS Signature Version 4 for S3 in the browser, with WebCrypto (a secure context: localhost,
 * 127.0.0.1 or HTTPS). https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export const UNSIGNED = 'UNSIGNED-PAYLOAD';
const enc = new TextEncoder();

function hex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? enc.encode(data) : data;
  return hex(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
}

async function hmac(key: ArrayBuffer | Uint8Array, data: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return crypto.subtle.sign('HMAC', k, enc.encode(data));
}

/** RFC 3986 encoding, as SigV4 wants it (`encodeURIComponent` leaves `!'()*` alone). */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A path-style S3 path: `/bucket/key`, each segment encoded once (S3 does not double-encode). */
export function s3Path(bucket?: string, key?: string): string {
  if (!bucket) return '/';
  return `/${uriEncode(bucket)}${key === undefined ? '' : `/${key.split('/').map(uriEncode).join('/')}`}`;
}

export function canonicalQuery(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function amzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

async function signingKey(c: Credentials, day: string): Promise<ArrayBuffer> {
  const kDate = await hmac(enc.encode(`AWS4${c.secretAccessKey}`), day);
  const kRegion = await hmac(kDate, c.region);
  const kService = await hmac(kRegion, 's3');
  return hmac(kService, 'aws4_request');
}

interface ToSign {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  payloadHash: string;
}

async function signature(c: Credentials, now: Date, req: ToSign): Promise<{ signed: string; sig: string }> {
  const date = amzDate(now);
  const day = date.slice(0, 8);
  const names = Object.keys(req.headers)
    .map((h) => h.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonical = [
    req.method,
    req.path,
    canonicalQuery(req.query),
    names.map((n) => `${n}:${lower[n]!.trim().replace(/\s+/g, ' ')}\n`).join(''),
    names.join(';'),
    req.payloadHash,
  ].join('\n');
  const scope = `${day}/${c.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, await sha256Hex(canonical)].join('\n');
  return { signed: names.join(';'), sig: hex(await hmac(await signingKey(c, day), stringToSign)) };
}

/** Headers to send with a request: the given ones plus host-independent SigV4 headers. */
export async function signHeaders(
  c: Credentials,
  method: string,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string>,
  payloadHash: string,
): Promise<Record<string, string>> {
  const now = new Date();
  const all = { ...headers, host: location.host, 'x-amz-date': amzDate(now), 'x-amz-content-sha256': payloadHash };
  const { signed, sig } = await signature(c, now, { method, path, query, headers: all, payloadHash });
  const scope = `${amzDate(now).slice(0, 8)}/${c.region}/s3/aws4_request`;
  const { host: _host, ...sent } = all;
  return {
    ...sent,
    authorization: `AWS4-HMAC-SHA256 Credential=${c.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${sig}`,
  };
}

/** A presigned GET URL (query-string auth), for downloads the browser saves itself. */
export async function presignGet(
  c: Credentials,
  path: string,
  query: Record<string, string>,
  expiresSeconds = 300,
): Promise<string> {
  const now = new Date();
  const scope = `${amzDate(now).slice(0, 8)}/${c.region}/s3/aws4_request`;
  const q = {
    ...query,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${c.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate(now),
    'X-Amz-Expires': String(expiresSeconds),
    'X-Amz-SignedHeaders': 'host',
  };
  const { sig } = await signature(c, now, {
    method: 'GET',
    path,
    query: q,
    headers: { host: location.host },
    payloadHash: UNSIGNED,
  });
  return `${path}?${canonicalQuery({ ...q, 'X-Amz-Signature': sig })}`;
}
