import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Agent, request } from 'undici';

/**
 * A small raw S3 client (undici, nothing signed) that writes every request into a Ledger: which
 * access-log record it must produce, its request id, and whether its response was complete
 * before a kill. Crash and soak suites match the delivered access logs against the ledger.
 * Used by test/integration/crash-kill9.test.ts, soak.test.ts and scripts/crash-rounds.mjs, soak.mjs.
 */

/** Signatures are not verified; a Credential makes the request signed (not anonymous). */
export const SIGNED_AUTH =
  'AWS4-HMAC-SHA256 Credential=crash/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';

/** What the access log must hold for a request: exactly one record, at most one, or nothing is checked. */
export type Expect = 'required' | 'optional' | 'none';
/**
 * pending: no complete response yet; acked: complete response before any kill (its record must
 * be delivered exactly once); late: completed after a kill was sent (in flight at the kill);
 * failed: no complete response ever.
 */
export type OpState = 'pending' | 'acked' | 'late' | 'failed';

export interface Op {
  /** Access-log Operation field of the request's own record (REST.PUT.OBJECT, ...). */
  op: string;
  bucket?: string;
  expect: Expect;
  state: OpState;
  /** Ledger clock when sent and when the response was complete. */
  sentAt: number;
  ackedAt?: number;
  /** Server incarnation (restarts so far) the request was sent to. */
  epoch: number;
  status?: number;
  requestId?: string;
  /** For reports only: method and path, and performance.now() of the complete answer. */
  what?: string;
  ackedMs?: number;
  /** Its record was reported missing once: not reported again. */
  missingReported?: boolean;
}

export class Ledger {
  readonly ops: Op[] = [];
  /** Buckets whose requests must be logged (their logging is on). */
  readonly loggingBuckets = new Set<string>();
  epoch = 0;
  frozen = false;
  /** performance.now() of each kill, by epoch. */
  readonly killMs: number[] = [];
  /** Called right after a response was received in full (before anything else runs). */
  onAck?: (entry: Op) => void;
  private clock = 0;
  /** Keep `what` (method and path) for every op; off in long soaks to save memory. */
  constructor(readonly keepDetail = true) {}

  tick(): number {
    return ++this.clock;
  }

  begin(op: string, bucket: string | undefined, expect: Expect | undefined, what: string): Op {
    const entry: Op = {
      op,
      bucket,
      expect: expect ?? (bucket !== undefined && this.loggingBuckets.has(bucket) ? 'required' : 'none'),
      state: 'pending',
      sentAt: this.tick(),
      epoch: this.epoch,
    };
    if (this.keepDetail) entry.what = what;
    if (entry.expect !== 'none' || this.keepDetail) this.ops.push(entry);
    return entry;
  }

  ack(entry: Op): void {
    entry.ackedAt = this.tick();
    if (this.keepDetail) entry.ackedMs = performance.now();
    entry.state = this.frozen || entry.epoch !== this.epoch ? 'late' : 'acked';
    if (entry.state === 'acked') this.onAck?.(entry);
  }

  fail(entry: Op): void {
    if (entry.state === 'pending') entry.state = 'failed';
  }

  /** The moment of a kill: responses completing from now on were in flight at the kill. */
  freeze(): number {
    this.frozen = true;
    this.killMs[this.epoch] = performance.now();
    return this.tick();
  }

  /** A new server incarnation. */
  thaw(): void {
    this.frozen = false;
    this.epoch++;
  }
}

export interface Res {
  status: number;
  requestId: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body, unless hashed only. */
  body?: Buffer;
  md5: string;
  size: number;
  /** <Code> of an error document. */
  code?: string;
  entry: Op;
}

export interface SendOptions {
  method: string;
  bucket?: string;
  key?: string;
  /** Raw query string without `?`. */
  query?: string;
  headers?: Record<string, string>;
  body?: Buffer | string | Readable;
  /** Access-log operation name of the request's record. */
  op: string;
  expect?: Expect;
  /** Hash the response body without keeping it (large GETs). */
  hashOnly?: boolean;
}

export const md5hex = (b: Buffer | string): string => createHash('md5').update(b).digest('hex');

export const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');

export class RawS3 {
  readonly agent: Agent;
  /** Responses received in full. */
  answered = 0;

  constructor(
    readonly url: string,
    readonly ledger: Ledger,
    connections = 16,
  ) {
    this.agent = new Agent({
      connections,
      keepAliveTimeout: 30_000,
      headersTimeout: 120_000,
      bodyTimeout: 120_000,
    });
  }

  async send(o: SendOptions): Promise<Res> {
    const path = `${o.bucket === undefined ? '' : `/${o.bucket}`}${o.key === undefined ? '' : `/${encodeKey(o.key)}`}${o.bucket === undefined ? '/' : ''}${o.query ? `?${o.query}` : ''}`;
    const entry = this.ledger.begin(o.op, o.bucket, o.expect, `${o.method} ${path}`);
    try {
      const res = await request(`${this.url}${path}`, {
        dispatcher: this.agent,
        method: o.method as 'GET',
        headers: { authorization: SIGNED_AUTH, ...o.headers },
        body: o.body,
      });
      entry.status = res.statusCode;
      const rid = res.headers['x-amz-request-id'];
      entry.requestId = Array.isArray(rid) ? rid[0] : rid;
      const hash = createHash('md5');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
        if (!o.hashOnly) chunks.push(chunk);
      }
      this.ledger.ack(entry);
      this.answered++;
      const body = o.hashOnly ? undefined : Buffer.concat(chunks);
      const code = body && res.statusCode >= 300 ? /<Code>([^<]*)<\/Code>/.exec(body.toString('utf8'))?.[1] : undefined;
      return {
        status: res.statusCode,
        requestId: entry.requestId ?? '',
        headers: res.headers,
        body,
        md5: hash.digest('hex'),
        size,
        code,
        entry,
      };
    } catch (err) {
      this.ledger.fail(entry);
      throw err;
    }
  }

  close(): Promise<void> {
    return this.agent.destroy().catch(() => undefined);
  }

  // ---- operations --------------------------------------------------------------------------

  put(bucket: string, key: string, body: Buffer | Readable, size?: number, headers: Record<string, string> = {}) {
    const length = Buffer.isBuffer(body) ? body.length : size;
    return this.send({
      method: 'PUT',
      bucket,
      key,
      body,
      op: 'REST.PUT.OBJECT',
      headers: { ...(length === undefined ? {} : { 'content-length': String(length) }), ...headers },
    });
  }
  get(bucket: string, key: string, hashOnly = false) {
    return this.send({ method: 'GET', bucket, key, op: 'REST.GET.OBJECT', hashOnly });
  }
  head(bucket: string, key: string) {
    return this.send({ method: 'HEAD', bucket, key, op: 'REST.HEAD.OBJECT' });
  }
  del(bucket: string, key: string) {
    return this.send({ method: 'DELETE', bucket, key, op: 'REST.DELETE.OBJECT' });
  }
  copy(srcBucket: string, srcKey: string, bucket: string, key: string) {
    return this.send({
      method: 'PUT',
      bucket,
      key,
      op: 'REST.COPY.OBJECT',
      headers: { 'x-amz-copy-source': `/${srcBucket}/${encodeKey(srcKey)}` },
    });
  }
  async list(
    bucket: string,
    prefix = '',
  ): Promise<{ res: Res; entries: { key: string; etag: string; size: number }[] }> {
    const entries: { key: string; etag: string; size: number }[] = [];
    let token: string | undefined;
    let res: Res;
    do {
      const q = `list-type=2&prefix=${encodeURIComponent(prefix)}${token ? `&continuation-token=${encodeURIComponent(token)}` : ''}`;
      res = await this.send({ method: 'GET', bucket, query: q, op: 'REST.GET.BUCKET' });
      if (res.status !== 200) return { res, entries };
      const xml = res.body!.toString('utf8');
      for (const m of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        entries.push({
          key: xmlUnescape(/<Key>([^<]*)<\/Key>/.exec(m[1]!)![1]!),
          etag: xmlUnescape(/<ETag>([^<]*)<\/ETag>/.exec(m[1]!)?.[1] ?? ''),
          size: Number(/<Size>(\d+)<\/Size>/.exec(m[1]!)?.[1] ?? -1),
        });
      }
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml)
        ? xmlUnescape(/<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1] ?? '')
        : undefined;
    } while (token);
    return { res, entries };
  }
  createBucket(bucket: string) {
    return this.send({ method: 'PUT', bucket, op: 'REST.PUT.BUCKET', expect: 'none' });
  }
  deleteBucket(bucket: string) {
    return this.send({ method: 'DELETE', bucket, op: 'REST.DELETE.BUCKET' });
  }
  headBucket(bucket: string) {
    return this.send({ method: 'HEAD', bucket, op: 'REST.HEAD.BUCKET' });
  }
  putLogging(bucket: string, target: string, prefix: string) {
    const xml = `<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LoggingEnabled><TargetBucket>${target}</TargetBucket><TargetPrefix>${prefix}</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`;
    return this.send({
      method: 'PUT',
      bucket,
      query: 'logging',
      body: xml,
      op: 'REST.PUT.LOGGING_STATUS',
      expect: 'optional',
      headers: { 'content-type': 'application/xml' },
    });
  }
  async createUpload(bucket: string, key: string): Promise<{ res: Res; uploadId: string }> {
    const res = await this.send({ method: 'POST', bucket, key, query: 'uploads', op: 'REST.POST.UPLOADS' });
    return { res, uploadId: /<UploadId>([^<]*)<\/UploadId>/.exec(res.body!.toString('utf8'))?.[1] ?? '' };
  }
  uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Buffer) {
    return this.send({
      method: 'PUT',
      bucket,
      key,
      query: `partNumber=${partNumber}&uploadId=${uploadId}`,
      body,
      op: 'REST.PUT.PART',
      headers: { 'content-length': String(body.length) },
    });
  }
  /** Sends CompleteMultipartUpload; `parts` are [partNumber, etag]. */
  complete(bucket: string, key: string, uploadId: string, parts: [number, string][]) {
    const xml = `<CompleteMultipartUpload>${parts.map(([n, e]) => `<Part><PartNumber>${n}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
    return this.send({
      method: 'POST',
      bucket,
      key,
      query: `uploadId=${uploadId}`,
      body: xml,
      op: 'REST.POST.UPLOAD',
      headers: { 'content-type': 'application/xml' },
    });
  }
  abort(bucket: string, key: string, uploadId: string) {
    return this.send({ method: 'DELETE', bucket, key, query: `uploadId=${uploadId}`, op: 'REST.DELETE.UPLOAD' });
  }
  async listUploads(bucket: string, prefix = ''): Promise<{ res: Res; uploads: { key: string; uploadId: string }[] }> {
    const res = await this.send({
      method: 'GET',
      bucket,
      query: `uploads${prefix ? `&prefix=${encodeURIComponent(prefix)}` : ''}`,
      op: 'REST.GET.UPLOADS',
    });
    const uploads = [...(res.body?.toString('utf8') ?? '').matchAll(/<Upload>([\s\S]*?)<\/Upload>/g)].map((m) => ({
      key: xmlUnescape(/<Key>([^<]*)<\/Key>/.exec(m[1]!)?.[1] ?? ''),
      uploadId: /<UploadId>([^<]*)<\/UploadId>/.exec(m[1]!)?.[1] ?? '',
    }));
    return { res, uploads };
  }
  async listParts(bucket: string, key: string, uploadId: string): Promise<{ res: Res; parts: [number, string][] }> {
    const res = await this.send({ method: 'GET', bucket, key, query: `uploadId=${uploadId}`, op: 'REST.GET.UPLOAD' });
    const parts = [...(res.body?.toString('utf8') ?? '').matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(
      (m) =>
        [
          Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1]!)?.[1]),
          xmlUnescape(/<ETag>([^<]*)<\/ETag>/.exec(m[1]!)?.[1] ?? ''),
        ] as [number, string],
    );
    return { res, parts };
  }

  // ---- admin (not S3; never logged) --------------------------------------------------------

  async health(): Promise<number> {
    const res = await request(`${this.url}/_s3scribe/health`, { dispatcher: this.agent });
    await res.body.dump();
    return res.statusCode;
  }

  async flush(): Promise<{ records: number; objects: number }> {
    const res = await request(`${this.url}/_s3scribe/logs/flush`, {
      dispatcher: this.agent,
      method: 'POST',
      headers: { 'x-s3scribe-admin': '1' },
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`flush answered ${res.statusCode}: ${text}`);
    return (JSON.parse(text) as { flushed: { records: number; objects: number } }).flushed;
  }
}

export function xmlUnescape(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e]!;
  });
}

/** Random bytes with their MD5. */
export function randomBody(size: number): { buf: Buffer; md5: string } {
  const buf = size === 0 ? Buffer.alloc(0) : randomBytes(size);
  return { buf, md5: md5hex(buf) };
}

/**
 * Streams `buf` in slices; `onProgress(bytesHandedOver)` runs after each slice is handed to the
 * HTTP client (a kill from there lands while the body is still on its way).
 */
export function slicedStream(buf: Buffer, slice: number, onProgress?: (sent: number) => void): Readable {
  let offset = 0;
  return new Readable({
    highWaterMark: slice,
    read() {
      if (offset >= buf.length) {
        this.push(null);
        return;
      }
      const end = Math.min(offset + slice, buf.length);
      const chunk = buf.subarray(offset, end);
      offset = end;
      this.push(chunk);
      onProgress?.(offset);
    },
  });
}

/** Seeded PRNG (mulberry32), so a round's choices can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
