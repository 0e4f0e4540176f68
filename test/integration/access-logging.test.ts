import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../../server/index.js';
import type { ParsedAccessLogRecord } from '../helpers/access-log-parser.js';
import {
  adminFlush,
  DEFAULT_CANONICAL_ID,
  enableLogging,
  expectedLogKey,
  listKeys,
  logTimeMs,
  raw,
  readLogObjects,
  recordingClient,
  SIGNED_AUTH,
  tempDir,
  uniqueBucket,
  type LogObject,
  type Seen,
} from '../helpers/access-logs.js';

const MiB = 1024 * 1024;
const IAM_ALICE = 'arn:aws:iam::123456789012:user/alice';
const BIG = 8 * MiB;

/** One request of the workload and what its log record(s) must say. */
interface Sent {
  label: string;
  seen: Seen;
  bucket: string;
  operation: string;
  /** The object key as the client meant it; undefined → `-`. */
  key?: string;
  errorCode?: string;
  /** Expected Object Size; undefined → not checked. */
  objectSize?: number;
  auth: 'AuthHeader' | 'QueryString' | 'anonymous';
  /** Rows besides the request's own (copy source, per-key deletes). */
  extraRows?: number;
  /** Exact Request-URI, when the test wrote the request line itself. */
  requestUri?: string;
  userAgent?: string;
  aborted?: boolean;
  /** Host header sent, when not the endpoint's `127.0.0.1:PORT`. */
  host?: string;
  /** Requester expected, when not the default identity's canonical id. */
  requester?: string;
}

let dataDir: string;
let server: RunningServer;
let s3: S3Client;
let last: () => Seen;
let src: string;
let other: string;
let logs: string;
const sent: Sent[] = [];
let windowStart: number;
let windowEnd: number;
let flushed: { records: number; objects: number };
let logObjects: LogObject[];
let srcRecords: ParsedAccessLogRecord[];

const BODY = randomBytes(100);
const SPECIAL_KEYS = ['dir/with space.txt', 'quo"te\'s.txt', 'ünï/😀.bin', '1+1=2 & more.txt'];
const DELETE_KEYS = ['del/one', 'del/two two', 'del/ü+3'];

/** Sends with the recording SDK client and remembers the response. */
async function sdk<T>(
  send: Promise<T>,
  expectation: Omit<Sent, 'seen' | 'auth' | 'bucket'> & { bucket?: string },
): Promise<T> {
  const before = last?.();
  let out: T;
  try {
    out = await send;
  } catch (err) {
    if (last() === before) throw err;
    out = undefined as T;
  }
  sent.push({ bucket: src, auth: 'AuthHeader', ...expectation, seen: last() });
  return out;
}

/** A GET that reads one chunk of a large object and then drops the connection. */
function abortedDownload(url: string, path: string): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'GET', headers: { authorization: SIGNED_AUTH } }, (res) => {
      res.once('data', (chunk: Buffer) => {
        const seen: Seen = {
          method: 'GET',
          path,
          status: res.statusCode ?? 0,
          bytes: chunk.length,
          requestId: String(res.headers['x-amz-request-id']),
          hostId: String(res.headers['x-amz-id-2']),
        };
        req.destroy();
        resolve(seen);
      });
    });
    req.on('error', (err) => {
      if (!req.destroyed) reject(err);
    });
    req.end();
  });
}

const rowsOf = (s: Sent): ParsedAccessLogRecord[] => srcAndOther().filter((r) => r.requestId === s.seen.requestId);
const srcAndOther = (): ParsedAccessLogRecord[] => logObjects.flatMap((o) => o.records);
const mainRow = (s: Sent): ParsedAccessLogRecord | undefined => rowsOf(s).find((r) => r.operation === s.operation);
const byLabel = (label: string): Sent =>
  sent.find((s) => s.label === label) ??
  (() => {
    throw new Error(`no request ${label}`);
  })();

beforeAll(async () => {
  dataDir = await tempDir();
  server = await startServer({
    port: 0,
    dataDir,
    logLevel: 'silent',
    flushInterval: 60_000,
    // An IAM user of the default account: its requests log its ARN as Requester (§1 field 5, §10).
    identities: [{ accessKeyId: 'alice-key', arn: IAM_ALICE }],
  });
  // s3ClientConfig carries the first configured identity's key; the workload runs as the root one.
  const client = recordingClient(server, { credentials: { accessKeyId: 'root-key', secretAccessKey: 'x' } });
  s3 = client.s3;
  last = client.last;
  src = uniqueBucket('src');
  other = uniqueBucket('other');
  logs = uniqueBucket('logs');
  for (const b of [src, other, logs]) await s3.send(new CreateBucketCommand({ Bucket: b }));
  await enableLogging(s3, src, logs, 'logs/');
  await enableLogging(s3, other, logs, 'logs/');
  // The big object is written before the window: only its aborted download is of interest.
  await s3.send(new PutObjectCommand({ Bucket: src, Key: 'big.bin', Body: randomBytes(BIG) }));
  await s3.send(new PutObjectCommand({ Bucket: other, Key: 'seed.txt', Body: 'seed' }));

  windowStart = Date.now();
  // First, so the server has long seen the connection drop when the logs are flushed.
  const abortedSeen = await abortedDownload(server.url, `/${src}/big.bin`);
  sent.push({
    label: 'aborted GET',
    seen: abortedSeen,
    bucket: src,
    operation: 'REST.GET.OBJECT',
    key: 'big.bin',
    objectSize: BIG,
    auth: 'AuthHeader',
    aborted: true,
  });

  await sdk(s3.send(new PutObjectCommand({ Bucket: src, Key: 'data.bin', Body: BODY })), {
    label: 'PUT',
    operation: 'REST.PUT.OBJECT',
    key: 'data.bin',
    objectSize: 100,
  });
  const got = await sdk(s3.send(new GetObjectCommand({ Bucket: src, Key: 'data.bin' })), {
    label: 'GET',
    operation: 'REST.GET.OBJECT',
    key: 'data.bin',
    objectSize: 100,
  });
  expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(BODY);
  await sdk(s3.send(new HeadObjectCommand({ Bucket: src, Key: 'data.bin' })), {
    label: 'HEAD',
    operation: 'REST.HEAD.OBJECT',
    key: 'data.bin',
    objectSize: 100,
  });
  const ranged = await sdk(s3.send(new GetObjectCommand({ Bucket: src, Key: 'data.bin', Range: 'bytes=0-9' })), {
    label: 'ranged GET',
    operation: 'REST.GET.OBJECT',
    key: 'data.bin',
    objectSize: 100,
  });
  expect((await ranged.Body!.transformToByteArray()).length).toBe(10);

  const missing = await raw(server.url, 'GET', `/${src}/missing-key`);
  sent.push({
    label: 'GET 404',
    seen: missing,
    bucket: src,
    operation: 'REST.GET.OBJECT',
    key: 'missing-key',
    errorCode: 'NoSuchKey',
    auth: 'AuthHeader',
    requestUri: `GET /${src}/missing-key HTTP/1.1`,
  });
  const headMissing = await raw(server.url, 'HEAD', `/${src}/missing-key`);
  sent.push({
    label: 'HEAD 404',
    seen: headMissing,
    bucket: src,
    operation: 'REST.HEAD.OBJECT',
    key: 'missing-key',
    errorCode: 'NoSuchKey',
    auth: 'AuthHeader',
    requestUri: `HEAD /${src}/missing-key HTTP/1.1`,
  });

  for (const key of DELETE_KEYS) {
    await sdk(s3.send(new PutObjectCommand({ Bucket: src, Key: key, Body: key })), {
      label: `PUT ${key}`,
      operation: 'REST.PUT.OBJECT',
      key,
      objectSize: Buffer.byteLength(key),
    });
  }
  await sdk(
    s3.send(new DeleteObjectsCommand({ Bucket: src, Delete: { Objects: DELETE_KEYS.map((Key) => ({ Key })) } })),
    { label: 'DeleteObjects', operation: 'REST.POST.MULTI_OBJECT_DELETE', extraRows: 3 },
  );

  const mpKey = 'mp/multi part.bin';
  const mpu = await sdk(s3.send(new CreateMultipartUploadCommand({ Bucket: src, Key: mpKey })), {
    label: 'CreateMultipartUpload',
    operation: 'REST.POST.UPLOADS',
    key: mpKey,
  });
  const part = await sdk(
    s3.send(new UploadPartCommand({ Bucket: src, Key: mpKey, UploadId: mpu.UploadId, PartNumber: 1, Body: BODY })),
    { label: 'UploadPart', operation: 'REST.PUT.PART', key: mpKey },
  );
  await sdk(
    s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: src,
        Key: mpKey,
        UploadId: mpu.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    ),
    { label: 'CompleteMultipartUpload', operation: 'REST.POST.UPLOAD', key: mpKey },
  );

  await sdk(s3.send(new ListObjectsV2Command({ Bucket: src })), {
    label: 'ListObjectsV2',
    operation: 'REST.GET.BUCKET',
  });
  await sdk(s3.send(new CopyObjectCommand({ Bucket: src, Key: 'copy.bin', CopySource: `${src}/data.bin` })), {
    label: 'CopyObject',
    operation: 'REST.COPY.OBJECT',
    key: 'copy.bin',
    extraRows: 1,
  });

  // A copy whose source bucket logs elsewhere: the _GET row belongs to the source's log (§3).
  await sdk(s3.send(new CopyObjectCommand({ Bucket: src, Key: 'from-other.txt', CopySource: `${other}/seed.txt` })), {
    label: 'cross-bucket CopyObject',
    operation: 'REST.COPY.OBJECT',
    key: 'from-other.txt',
    extraRows: 1,
  });

  // The rest of the §3 table that s3scribe implements.
  await sdk(s3.send(new DeleteObjectCommand({ Bucket: src, Key: 'copy.bin' })), {
    label: 'DeleteObject',
    operation: 'REST.DELETE.OBJECT',
    key: 'copy.bin',
  });
  await sdk(s3.send(new HeadBucketCommand({ Bucket: src })), { label: 'HeadBucket', operation: 'REST.HEAD.BUCKET' });
  await sdk(s3.send(new GetBucketLocationCommand({ Bucket: src })), {
    label: 'GetBucketLocation',
    operation: 'REST.GET.LOCATION',
  });
  await sdk(s3.send(new GetBucketLoggingCommand({ Bucket: src })), {
    label: 'GetBucketLogging',
    operation: 'REST.GET.LOGGING_STATUS',
  });
  await sdk(s3.send(new GetBucketPolicyCommand({ Bucket: src })), {
    label: 'GetBucketPolicy 404',
    operation: 'REST.GET.BUCKETPOLICY',
    errorCode: 'NoSuchBucketPolicy',
  });
  const mpu2 = await sdk(s3.send(new CreateMultipartUploadCommand({ Bucket: src, Key: 'mp/copied' })), {
    label: 'CreateMultipartUpload 2',
    operation: 'REST.POST.UPLOADS',
    key: 'mp/copied',
  });
  await sdk(
    s3.send(
      new UploadPartCopyCommand({
        Bucket: src,
        Key: 'mp/copied',
        UploadId: mpu2.UploadId,
        PartNumber: 1,
        CopySource: `${src}/data.bin`,
      }),
    ),
    { label: 'UploadPartCopy', operation: 'REST.COPY.PART', key: 'mp/copied', extraRows: 1 },
  );
  await sdk(s3.send(new ListPartsCommand({ Bucket: src, Key: 'mp/copied', UploadId: mpu2.UploadId })), {
    label: 'ListParts',
    operation: 'REST.GET.UPLOAD',
    key: 'mp/copied',
  });
  await sdk(s3.send(new ListMultipartUploadsCommand({ Bucket: src })), {
    label: 'ListMultipartUploads',
    operation: 'REST.GET.UPLOADS',
  });
  await sdk(s3.send(new AbortMultipartUploadCommand({ Bucket: src, Key: 'mp/copied', UploadId: mpu2.UploadId })), {
    label: 'AbortMultipartUpload',
    operation: 'REST.DELETE.UPLOAD',
    key: 'mp/copied',
  });

  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: src, Key: 'data.bin' }), { expiresIn: 300 });
  const presigned = await raw(server.url, 'GET', url.slice(server.url.length), { anonymous: true });
  expect(presigned.status).toBe(200);
  sent.push({
    label: 'presigned GET',
    seen: presigned,
    bucket: src,
    operation: 'REST.GET.OBJECT',
    key: 'data.bin',
    objectSize: 100,
    auth: 'QueryString',
    requestUri: `GET ${url.slice(server.url.length)} HTTP/1.1`,
  });

  const anonymous = await raw(server.url, 'GET', `/${src}/data.bin`, { anonymous: true });
  sent.push({
    label: 'anonymous GET',
    seen: anonymous,
    bucket: src,
    operation: 'REST.GET.OBJECT',
    key: 'data.bin',
    errorCode: 'AccessDenied',
    auth: 'anonymous',
    requestUri: `GET /${src}/data.bin HTTP/1.1`,
  });

  // Expired a year ago: rejected before authentication, still logged with the auth as presented (§9.7).
  const expiredPath = url
    .slice(server.url.length)
    .replace(/X-Amz-Date=\d{8}T\d{6}Z/, `X-Amz-Date=${new Date().getUTCFullYear() - 1}0101T000000Z`);
  const expired = await raw(server.url, 'GET', expiredPath, { anonymous: true });
  expect(expired.status).toBe(403);
  sent.push({
    label: 'expired presigned GET',
    seen: expired,
    bucket: src,
    operation: 'REST.GET.OBJECT',
    key: 'data.bin',
    errorCode: 'AccessDenied',
    auth: 'QueryString',
    requestUri: `GET ${expiredPath} HTTP/1.1`,
  });

  for (const key of SPECIAL_KEYS) {
    await sdk(s3.send(new PutObjectCommand({ Bucket: src, Key: key, Body: key })), {
      label: `PUT ${key}`,
      operation: 'REST.PUT.OBJECT',
      key,
      objectSize: Buffer.byteLength(key),
    });
    const o = await sdk(s3.send(new GetObjectCommand({ Bucket: src, Key: key })), {
      label: `GET ${key}`,
      operation: 'REST.GET.OBJECT',
      key,
      objectSize: Buffer.byteLength(key),
    });
    expect(await o.Body!.transformToString()).toBe(key);
  }

  const ua = 'tester "quoted" agent/1.0';
  const quoted = await raw(server.url, 'GET', `/${src}/data.bin?x-custom=1`, { headers: { 'user-agent': ua } });
  sent.push({
    label: 'quoted UA',
    seen: quoted,
    bucket: src,
    operation: 'REST.GET.OBJECT',
    key: 'data.bin',
    objectSize: 100,
    auth: 'AuthHeader',
    userAgent: ua,
    requestUri: `GET /${src}/data.bin?x-custom=1 HTTP/1.1`,
  });

  const etag = String(got.ETag);
  const notModified = await raw(server.url, 'GET', `/${src}/data.bin`, { headers: { 'if-none-match': etag } });
  expect(notModified.status).toBe(304);
  sent.push({
    label: 'GET 304',
    seen: notModified,
    bucket: src,
    operation: 'REST.GET.OBJECT',
    key: 'data.bin',
    objectSize: 100,
    auth: 'AuthHeader',
    requestUri: `GET /${src}/data.bin HTTP/1.1`,
  });

  const vhost = `${src}.localhost:${server.port}`;
  const virtual = await raw(server.url, 'GET', '/data.bin', { headers: { host: vhost } });
  expect(virtual.status).toBe(200);
  sent.push({
    label: 'virtual-hosted GET',
    seen: virtual,
    bucket: src,
    operation: 'REST.GET.OBJECT',
    key: 'data.bin',
    objectSize: 100,
    auth: 'AuthHeader',
    requestUri: 'GET /data.bin HTTP/1.1',
    host: vhost,
  });

  const iam = await raw(server.url, 'GET', `/${src}/data.bin`, {
    headers: {
      authorization:
        'AWS4-HMAC-SHA256 Credential=alice-key/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00',
    },
  });
  sent.push({
    label: 'IAM user GET',
    seen: iam,
    bucket: src,
    operation: 'REST.GET.OBJECT',
    key: 'data.bin',
    objectSize: 100,
    auth: 'AuthHeader',
    requester: IAM_ALICE,
    requestUri: `GET /${src}/data.bin HTTP/1.1`,
  });

  await sdk(s3.send(new PutObjectCommand({ Bucket: other, Key: 'o.txt', Body: 'other' })), {
    label: 'PUT other',
    bucket: other,
    operation: 'REST.PUT.OBJECT',
    key: 'o.txt',
    objectSize: 5,
  });
  await sdk(
    s3.send(new GetObjectCommand({ Bucket: other, Key: 'o.txt' })).then(async (o) => {
      await o.Body!.transformToString();
      return o;
    }),
    { label: 'GET other', bucket: other, operation: 'REST.GET.OBJECT', key: 'o.txt', objectSize: 5 },
  );
  windowEnd = Date.now();

  flushed = await adminFlush(server.url);
  logObjects = await readLogObjects(s3, logs, 'logs/');
  srcRecords = logObjects.filter((o) => o.records[0]?.bucket === src).flatMap((o) => o.records);
}, 30_000);

afterAll(async () => {
  s3?.destroy();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('Access logging: a mixed workload', () => {
  test('AccessLogging: one flush writes one log object per source bucket, never mixing buckets', () => {
    // Reference §5: each log object holds records of one source bucket only.
    expect(logObjects).toHaveLength(2);
    const buckets = logObjects.map((o) => [...new Set(o.records.map((r) => r.bucket))]);
    expect(buckets.sort()).toEqual([[other], [src]].sort());
    expect(flushed.objects).toBe(2);
    expect(flushed.records).toBe(srcAndOther().length);
  });

  test('AccessLogging: every request appears exactly once, with the request id and host id of its response', () => {
    for (const s of sent) {
      const rows = rowsOf(s);
      expect.soft(rows.length, `${s.label}: rows with request id ${s.seen.requestId}`).toBe(1 + (s.extraRows ?? 0));
      expect
        .soft(
          rows.filter((r) => r.operation === s.operation),
          `${s.label}: ${s.operation} rows`,
        )
        .toHaveLength(1);
      for (const r of rows) expect.soft(r.hostId, `${s.label}: Host Id = x-amz-id-2 (§2.7)`).toBe(s.seen.hostId);
      expect.soft(mainRow(s)?.bucket, `${s.label}: bucket`).toBe(s.bucket);
    }
    // Request ids are unique per request.
    expect(new Set(sent.map((s) => s.seen.requestId)).size).toBe(sent.length);
  });

  test('AccessLogging: HTTP status and Error Code repeat the response (reference §4)', () => {
    for (const s of sent) {
      const r = mainRow(s);
      expect.soft(r?.httpStatus, `${s.label}: status`).toBe(String(s.seen.status));
      expect.soft(r?.errorCode, `${s.label}: error code`).toBe(s.errorCode ?? '-');
    }
    expect(byLabel('ranged GET').seen.status).toBe(206);
    expect(byLabel('GET 404').seen.status).toBe(404);
    expect(byLabel('anonymous GET').seen.status).toBe(403);
  });

  test('AccessLogging: Bytes Sent equals the body bytes the client received, `-` for none (reference §2.3)', () => {
    for (const s of sent.filter((x) => !x.aborted && x.label !== 'HEAD 404')) {
      const r = mainRow(s);
      expect.soft(r?.bytesSent, `${s.label}: bytes sent`).toBe(s.seen.bytes === 0 ? '-' : String(s.seen.bytes));
    }
    expect(mainRow(byLabel('ranged GET'))?.bytesSent).toBe('10');
    expect(mainRow(byLabel('GET'))?.bytesSent).toBe('100');
    expect(mainRow(byLabel('PUT'))?.bytesSent).toBe('-');
    expect(mainRow(byLabel('HEAD'))?.bytesSent).toBe('-');
  });

  test('AccessLogging: a HEAD 404 logs NoSuchKey and the size of the error document it did not send (reference §4)', () => {
    const head = mainRow(byLabel('HEAD 404'));
    expect(byLabel('HEAD 404').seen.bytes).toBe(0);
    // The GET 404 for the same key carries the same document (ids have fixed lengths).
    expect(head?.errorCode).toBe('NoSuchKey');
    expect(head?.bytesSent).toBe(String(byLabel('GET 404').seen.bytes));
  });

  test('AccessLogging: Object Size is the whole object, also for a ranged GET', () => {
    for (const s of sent.filter((x) => x.objectSize !== undefined)) {
      expect.soft(mainRow(s)?.objectSize, `${s.label}: object size`).toBe(String(s.objectSize));
    }
    expect(mainRow(byLabel('ListObjectsV2'))?.objectSize).toBe('-');
  });

  test('AccessLogging: operation names follow reference §3', () => {
    for (const s of sent) expect.soft(mainRow(s)?.operation, s.label).toBe(s.operation);
    expect(
      rowsOf(byLabel('CopyObject'))
        .map((r) => r.operation)
        .sort(),
    ).toEqual(['REST.COPY.OBJECT', 'REST.COPY.OBJECT_GET']);
    expect(
      rowsOf(byLabel('DeleteObjects'))
        .map((r) => r.operation)
        .sort(),
    ).toEqual(['BATCH.DELETE.OBJECT', 'BATCH.DELETE.OBJECT', 'BATCH.DELETE.OBJECT', 'REST.POST.MULTI_OBJECT_DELETE']);
  });

  test('AccessLogging: keys are URL-encoded twice on REST rows, `/` kept (reference §2.4)', () => {
    for (const s of sent) {
      expect
        .soft(mainRow(s)?.key, `${s.label}: key`)
        .toBe(s.key === undefined ? '-' : expectedLogKey(s.key, s.operation));
    }
    // Spot checks written out by hand.
    expect(mainRow(byLabel('PUT dir/with space.txt'))?.key).toBe('dir/with%2520space.txt');
    expect(mainRow(byLabel('PUT quo"te\'s.txt'))?.key).toBe('quo%2522te%2527s.txt');
    expect(mainRow(byLabel('PUT 1+1=2 & more.txt'))?.key).toBe('1%252B1%253D2%2520%2526%2520more.txt');
    expect(mainRow(byLabel('PUT ünï/😀.bin'))?.key).toBe('%25C3%25BCn%25C3%25AF/%25F0%259F%2598%2580.bin');
  });

  test('AccessLogging: DeleteObjects writes MULTI_OBJECT_DELETE plus one bare BATCH.DELETE.OBJECT per key (reference §3)', () => {
    const s = byLabel('DeleteObjects');
    const rows = rowsOf(s);
    const post = rows.find((r) => r.operation === 'REST.POST.MULTI_OBJECT_DELETE');
    expect(post).toMatchObject({ key: '-', objectSize: '-', httpStatus: '200', bytesSent: String(s.seen.bytes) });
    // The SDK sends `POST /bucket/?delete=`; the line is logged as sent (§2.5).
    expect(post?.requestUri).toMatch(new RegExp(`^POST /${src}/?\\?delete=? HTTP/1\\.1$`));
    const batch = rows.filter((r) => r.operation === 'BATCH.DELETE.OBJECT');
    expect(batch.map((r) => r.key).sort()).toEqual(
      DELETE_KEYS.map((k) => expectedLogKey(k, 'BATCH.DELETE.OBJECT')).sort(),
    );
    expect(batch.map((r) => r.key)).toContain('del/two%20two');
    for (const r of batch) {
      expect(r).toMatchObject({
        requestUri: '-',
        referer: '-',
        userAgent: '-',
        httpStatus: '204',
        bytesSent: '-',
        objectSize: '-',
        totalTime: '-',
        turnAroundTime: '-',
        hostId: s.seen.hostId,
        bucket: src,
      });
    }
    // BATCH rows are written with a bare `-`, not `"-"` ([REAL21]).
    const text = logObjects.map((o) => o.text).join('');
    for (const line of text.split('\n').filter((l) => l.includes(' BATCH.DELETE.OBJECT '))) {
      expect(line).toMatch(/ BATCH\.DELETE\.OBJECT \S+ - 204 - - - - - - - - /);
    }
  });

  test('AccessLogging: CopyObject writes REST.COPY.OBJECT and REST.COPY.OBJECT_GET with one request id', () => {
    const s = byLabel('CopyObject');
    const rows = rowsOf(s);
    const put = rows.find((r) => r.operation === 'REST.COPY.OBJECT');
    const get = rows.find((r) => r.operation === 'REST.COPY.OBJECT_GET');
    expect(put).toMatchObject({ key: 'copy.bin', bucket: src, httpStatus: '200', bytesSent: String(s.seen.bytes) });
    expect(get).toMatchObject({ key: 'data.bin', bucket: src, httpStatus: '200', errorCode: '-', versionId: '-' });
    expect(get?.objectSize).toBe('100');
    expect(get?.hostId).toBe(s.seen.hostId);
  });

  test("AccessLogging: a cross-bucket copy logs COPY.OBJECT_GET in the source bucket's log object (reference §3)", () => {
    const s = byLabel('cross-bucket CopyObject');
    const objectOf = (op: string) =>
      logObjects.find((o) => o.records.some((r) => r.requestId === s.seen.requestId && r.operation === op));
    const get = objectOf('REST.COPY.OBJECT_GET');
    const put = objectOf('REST.COPY.OBJECT');
    expect(get?.records.find((r) => r.requestId === s.seen.requestId)).toMatchObject({
      bucket: other,
      key: 'seed.txt',
      httpStatus: '200',
      objectSize: '4',
    });
    expect(put?.records[0]?.bucket).toBe(src);
    expect(get?.key).not.toBe(put?.key);
  });

  test('AccessLogging: UploadPartCopy writes REST.COPY.PART and REST.COPY.PART_GET with one request id (reference §3)', () => {
    const rows = rowsOf(byLabel('UploadPartCopy'));
    expect(rows.map((r) => r.operation).sort()).toEqual(['REST.COPY.PART', 'REST.COPY.PART_GET']);
    expect(rows.find((r) => r.operation === 'REST.COPY.PART_GET')).toMatchObject({ key: 'data.bin', bucket: src });
  });

  test('AccessLogging: an expired presigned GET logs 403 AccessDenied with SigV4/QueryString as presented (reference §9.7)', () => {
    const r = mainRow(byLabel('expired presigned GET'));
    expect(r).toMatchObject({
      httpStatus: '403',
      errorCode: 'AccessDenied',
      signatureVersion: 'SigV4',
      authType: 'QueryString',
    });
    expect(r?.requestUri).toContain('X-Amz-Signature=');
  });

  test('AccessLogging: a presigned GET logs QueryString, SigV4 and the signature in the Request-URI (reference §2.8)', () => {
    const r = mainRow(byLabel('presigned GET'));
    expect(r).toMatchObject({
      authType: 'QueryString',
      signatureVersion: 'SigV4',
      requester: DEFAULT_CANONICAL_ID,
      httpStatus: '200',
      bytesSent: '100',
    });
    expect(r?.requestUri).toContain('X-Amz-Signature=');
    expect(r?.requestUri).toBe(byLabel('presigned GET').requestUri);
  });

  test('AccessLogging: an anonymous GET logs 403 AccessDenied with requester, signature version and auth type `-`', () => {
    const r = mainRow(byLabel('anonymous GET'));
    expect(r).toMatchObject({
      httpStatus: '403',
      errorCode: 'AccessDenied',
      requester: '-',
      signatureVersion: '-',
      authType: '-',
    });
  });

  test('AccessLogging: header-signed requests log SigV4, AuthHeader and the canonical id or IAM ARN as Requester (reference §10)', () => {
    for (const s of sent.filter((x) => x.auth === 'AuthHeader')) {
      expect.soft(mainRow(s), s.label).toMatchObject({
        requester: s.requester ?? DEFAULT_CANONICAL_ID,
        signatureVersion: 'SigV4',
        authType: 'AuthHeader',
      });
    }
    expect(mainRow(byLabel('IAM user GET'))?.requester).toBe(IAM_ALICE);
  });

  test('AccessLogging: a User-Agent containing `"` is written raw (reference §2.2)', () => {
    const s = byLabel('quoted UA');
    expect(mainRow(s)?.userAgent).toBe(s.userAgent);
    const text = logObjects.map((o) => o.text).join('');
    expect(text).toContain(' "tester "quoted" agent/1.0" ');
  });

  test('AccessLogging: Request-URI is the request line as sent, query and x- parameters kept (reference §2.5)', () => {
    for (const s of sent.filter((x) => x.requestUri !== undefined)) {
      expect.soft(mainRow(s)?.requestUri, s.label).toBe(s.requestUri);
    }
    for (const s of sent.filter((x) => x.requestUri === undefined && !x.aborted)) {
      expect
        .soft(
          mainRow(s)?.requestUri.startsWith(`${s.seen.method} ${s.seen.path}`),
          `${s.label}: ${mainRow(s)?.requestUri}`,
        )
        .toBe(true);
      expect.soft(mainRow(s)?.requestUri.endsWith(' HTTP/1.1'), s.label).toBe(true);
    }
  });

  test('AccessLogging: a 304 logs no error code and Bytes Sent `-` (reference §4, §9.5)', () => {
    expect(mainRow(byLabel('GET 304'))).toMatchObject({ httpStatus: '304', errorCode: '-', bytesSent: '-' });
  });

  test('AccessLogging: a virtual-hosted request logs its bucket, a Request-URI without it and its Host (reference §2.5, §1 field 23)', () => {
    const s = byLabel('virtual-hosted GET');
    expect(mainRow(s)).toMatchObject({
      bucket: src,
      key: 'data.bin',
      requestUri: 'GET /data.bin HTTP/1.1',
      hostHeader: s.host,
      bytesSent: '100',
    });
  });

  test('AccessLogging: an aborted download logs status 200 and only the bytes actually sent (reference §9.6)', () => {
    const s = byLabel('aborted GET');
    expect(s.seen.status).toBe(200);
    const r = mainRow(s);
    expect(r?.httpStatus).toBe('200');
    expect(r?.bytesSent).not.toBe('-');
    const bytes = Number(r?.bytesSent);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(BIG);
    expect(r?.objectSize).toBe(String(BIG));
  });

  test('AccessLogging: time of receipt, remote IP, Host header, bucket owner and times', () => {
    const lo = Math.floor(windowStart / 1000) * 1000;
    for (const s of sent) {
      for (const r of rowsOf(s)) {
        const t = logTimeMs(r.time);
        expect
          .soft(
            t >= lo && t <= windowEnd,
            `${s.label}: time ${r.time} in [${new Date(lo).toISOString()}, ${new Date(windowEnd).toISOString()}]`,
          )
          .toBe(true);
        expect.soft(r.remoteIp, s.label).toBe('127.0.0.1');
        expect.soft(r.hostHeader, s.label).toBe(s.host ?? `127.0.0.1:${server.port}`);
        expect.soft(r.bucketOwner, s.label).toBe(DEFAULT_CANONICAL_ID);
        // Plain HTTP: no cipher suite, no TLS version (§2.8).
        expect.soft([r.cipherSuite, r.tlsVersion], s.label).toEqual(['-', '-']);
        // Turn-around (last request byte → first response byte) lies within Total Time (§1 14-15).
        if (r.totalTime !== '-' && r.turnAroundTime !== '-') {
          expect
            .soft(
              Number(r.turnAroundTime) <= Number(r.totalTime),
              `${s.label}: turn-around ${r.turnAroundTime} <= total ${r.totalTime}`,
            )
            .toBe(true);
        }
      }
    }
    expect(srcRecords.length).toBeGreaterThan(0);
  });

  test('AccessLogging: a later flush writes a new log object holding only the new records', async () => {
    const before = new Set(await listKeys(s3, logs, 'logs/'));
    const res = await raw(server.url, 'GET', `/${src}/data.bin`);
    await adminFlush(server.url);
    const fresh = (await readLogObjects(s3, logs, 'logs/')).filter((o) => !before.has(o.key));
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.records.map((r) => r.requestId)).toEqual([res.requestId]);
  });

  test('AccessLogging: the `latest` field set writes 27 fields, the Region last', async () => {
    const dir = await tempDir();
    const latest = await startServer({
      port: 0,
      dataDir: dir,
      logLevel: 'silent',
      flushInterval: 60_000,
      accessLogFields: 'latest',
    });
    const { s3: c, last: lastSeen } = recordingClient(latest);
    try {
      await c.send(new CreateBucketCommand({ Bucket: 'latest-src' }));
      await c.send(new CreateBucketCommand({ Bucket: 'latest-logs' }));
      await enableLogging(c, 'latest-src', 'latest-logs', 'logs/');
      await c.send(new PutObjectCommand({ Bucket: 'latest-src', Key: 'k', Body: 'v' }));
      const id = lastSeen().requestId;
      await adminFlush(latest.url);
      const objects = await readLogObjects(c, 'latest-logs', 'logs/', 27);
      const records = objects.flatMap((o) => o.records);
      expect(records.map((r) => r.requestId)).toContain(id);
      for (const r of records) expect(r.region).toBe('us-east-1');
      // And the 26-field parser refuses them: the 27th field is really there.
      await expect(readLogObjects(c, 'latest-logs', 'logs/', 26)).rejects.toThrow();
    } finally {
      c.destroy();
      await latest.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
