import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketLoggingCommand,
  S3Client,
  type S3ClientConfig,
  type TargetObjectKeyFormat,
} from '@aws-sdk/client-s3';
import { request } from 'undici';
import type { RunningServer } from '../../server/index.js';
import { parseAccessLogObject, type ParsedAccessLogRecord } from './access-log-parser.js';

// The SDK warns once per process that it will require Node 22; Node 20 is this project's floor.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** A header-signed look: signatures are not verified, but a request without one is anonymous. */
export const SIGNED_AUTH =
  'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';

/** What the client saw of one response: the values its access-log record must repeat. */
export interface Seen {
  method: string;
  path: string;
  status: number;
  requestId: string;
  hostId: string;
  /** Body bytes the client received. */
  bytes: number;
}

export const tempDir = (prefix = 's3scribe-al-'): Promise<string> => mkdtemp(join(tmpdir(), prefix));

/**
 * An S3 client that records every response it receives (status, ids, body bytes counted as the
 * SDK reads them), so a test can match each request to its log record.
 */
export function recordingClient(
  server: Pick<RunningServer, 's3ClientConfig'>,
  extra: S3ClientConfig = {},
): { s3: S3Client; seen: Seen[]; last: () => Seen } {
  const s3 = new S3Client({ ...server.s3ClientConfig, maxAttempts: 1, ...extra });
  const seen: Seen[] = [];
  type Next = (args: { request: unknown }) => Promise<{ response: unknown; output: unknown }>;
  // Placed right after the deserializer, so it sees the raw response before the body is parsed.
  const recorder = (next: Next) => async (args: { request: unknown }) => {
    const out = await next(args);
    const res = out.response as { statusCode: number; headers: Record<string, string>; body?: Readable };
    const req = args.request as { method: string; path: string };
    const entry: Seen = {
      method: req.method,
      path: req.path,
      status: res.statusCode,
      requestId: res.headers['x-amz-request-id'] ?? '',
      hostId: res.headers['x-amz-id-2'] ?? '',
      bytes: 0,
    };
    seen.push(entry);
    if (res.body && typeof res.body.pipe === 'function') {
      res.body = res.body.pipe(
        new Transform({
          transform(chunk: Buffer, _enc, done) {
            entry.bytes += chunk.length;
            done(null, chunk);
          },
        }),
      );
    }
    return out;
  };
  s3.middlewareStack.addRelativeTo(recorder as unknown as Parameters<S3Client['middlewareStack']['addRelativeTo']>[0], {
    name: 'recordResponses',
    relation: 'after',
    toMiddleware: 'deserializerMiddleware',
  });
  return { s3, seen, last: () => seen[seen.length - 1]! };
}

export interface RawResult extends Seen {
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/** One request exactly as written (undici); signed-looking unless `anonymous`. */
export async function raw(
  url: string,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer; anonymous?: boolean } = {},
): Promise<RawResult> {
  const headers: Record<string, string> = { ...opts.headers };
  if (!opts.anonymous && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization'))
    headers.authorization = SIGNED_AUTH;
  const res = await request(`${url}${path}`, { method: method as 'GET', headers, body: opts.body });
  const body = Buffer.from(await res.body.arrayBuffer());
  const h = (name: string): string => String(res.headers[name] ?? '');
  return {
    method,
    path,
    status: res.statusCode,
    requestId: h('x-amz-request-id'),
    hostId: h('x-amz-id-2'),
    bytes: body.length,
    text: body.toString('utf8'),
    headers: res.headers,
  };
}

export async function enableLogging(
  s3: S3Client,
  source: string,
  target: string,
  prefix: string,
  format?: TargetObjectKeyFormat,
): Promise<void> {
  await s3.send(
    new PutBucketLoggingCommand({
      Bucket: source,
      BucketLoggingStatus: {
        LoggingEnabled: { TargetBucket: target, TargetPrefix: prefix, TargetObjectKeyFormat: format },
      },
    }),
  );
}

/** The admin flush: every pending record is delivered before it answers. */
export async function adminFlush(url: string): Promise<{ records: number; objects: number }> {
  const res = await request(`${url}/_s3scribe/logs/flush`, {
    method: 'POST',
    headers: { 'x-s3scribe-admin': '1' },
  });
  const json = (await res.body.json()) as { flushed: { records: number; objects: number } };
  if (res.statusCode !== 200) throw new Error(`flush answered ${res.statusCode}`);
  return json.flushed;
}

export async function listKeys(s3: S3Client, bucket: string, prefix?: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(out.Contents ?? []).map((o) => o.Key!));
    token = out.NextContinuationToken;
  } while (token);
  return keys;
}

export interface LogObject {
  key: string;
  text: string;
  contentType?: string;
  records: ParsedAccessLogRecord[];
}

/** Downloads and strictly parses every log object under `prefix`. */
export async function readLogObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  fields: 26 | 27 = 26,
): Promise<LogObject[]> {
  const out: LogObject[] = [];
  for (const key of await listKeys(s3, bucket, prefix)) {
    const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = await obj.Body!.transformToString('utf8');
    out.push({ key, text, contentType: obj.ContentType, records: parseAccessLogObject(text, fields) });
  }
  return out;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * The Key field AWS writes (reference §2.4): RFC 3986 unreserved characters and `/` kept, every
 * other UTF-8 byte `%XX`; REST rows encode that once more (`%` → `%25`), BATCH rows do not.
 * Written independently of logging/key-encoding.ts so the test does not share its bugs.
 */
export function expectedLogKey(key: string, operation: string): string {
  const once = encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/');
  return /^(REST|WEBSITE)\./.test(operation) ? once.replace(/%/g, '%25') : once;
}

/** `[06/Feb/2019:00:00:38 +0000]` (without brackets) → ms since epoch. */
export function logTimeMs(time: string): number {
  const m = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) \+0000$/.exec(time);
  if (!m) throw new Error(`not a log time: ${time}`);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(m[2]!);
  return Date.UTC(+m[3]!, month, +m[1]!, +m[4]!, +m[5]!, +m[6]!);
}

/** `YYYY-MM-DD-HH-MM-SS` (UTC) → ms since epoch. */
export function keyTimeMs(stamp: string): number {
  const [y, mo, d, h, mi, s] = stamp.split('-').map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** UTC date parts of a time, zero-padded. */
export function utcParts(ms: number): { yyyy: string; mm: string; dd: string } {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return { yyyy: String(d.getUTCFullYear()), mm: p(d.getUTCMonth() + 1), dd: p(d.getUTCDate()) };
}

/** The default identity (README "Identities"): AWS's documentation example account. */
export const DEFAULT_ACCOUNT_ID = '123456789012';
export const DEFAULT_CANONICAL_ID = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';

let counter = 0;
/** A bucket name no other test in this process uses. */
export const uniqueBucket = (prefix: string): string =>
  `${prefix}-${process.pid}-${++counter}-${Math.random().toString(16).slice(2, 8)}`;
