import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../../logging/logged-request.js';
import type { LoggingConfig } from '../../../logging/logging-config.js';
import { AccessLogPipeline, type PipelineOptions } from '../../../logging/pipeline.js';
import { FsStorage } from '../../../storage/fs/fs-storage.js';
import type { Owner } from '../../../storage/storage.js';
import { parseAccessLogObject } from '../../helpers/access-log-parser.js';

const OWNER: Owner = { id: 'c'.repeat(64), displayName: 'owner' };
const REGION = 'us-east-1';
const SIMPLE_KEY = /^logs\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16}$/;

let root: string;
let dataDir: string;
let spoolDir: string;
let storage: FsStorage;
let warnings: { msg: string; detail: object }[];
let pipelines: AccessLogPipeline[];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 's3scribe-pipeline-'));
  dataDir = join(root, 'data');
  spoolDir = join(root, 'spool');
  storage = await FsStorage.open(dataDir);
  for (const name of ['src-bucket', 'log-bucket', 'plain-bucket']) {
    await storage.createBucket({ name, created: Date.now(), region: REGION, owner: OWNER });
  }
  // What PutBucketLogging stores for <LoggingEnabled><TargetBucket>log-bucket</…><TargetPrefix>logs/</…>.
  const logging: LoggingConfig = { targetBucket: 'log-bucket', targetPrefix: 'logs/', targetGrants: [] };
  await storage.putBucketConfig('src-bucket', 'logging', logging);
  warnings = [];
  pipelines = [];
});
afterEach(async () => {
  try {
    for (const p of pipelines) await p.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

let idCounter = 0;
async function start(over: Partial<PipelineOptions> = {}): Promise<AccessLogPipeline> {
  const pipeline = await AccessLogPipeline.start({
    storage,
    spoolDir,
    flushIntervalMs: 60_000,
    fieldSet: 'default',
    region: REGION,
    accountIdOf: () => '111122223333',
    mayDeliver: async () => true,
    warn: (msg, detail) => warnings.push({ msg, detail }),
    ids: { requestId: () => `SVCREQ${++idCounter}`, hostId: () => 'service-host-id' },
    ...over,
  });
  pipelines.push(pipeline);
  return pipeline;
}

const request = (over: Partial<LoggedRequest> = {}): LoggedRequest => ({
  requestId: 'REQ00000000000001',
  hostId: 'aG9zdA==',
  startTime: Date.UTC(2024, 5, 7, 8, 9, 10),
  startHr: 1_000_000_000n,
  lastByteInHr: 1_001_000_000n,
  firstByteOutHr: 1_004_000_000n,
  endHr: 1_009_000_000n,
  remoteIp: '192.0.2.7',
  host: 'localhost:9000',
  requestLine: 'GET /src-bucket/photo.jpg HTTP/1.1',
  userAgent: 'test-agent/1.0',
  operation: 'REST.GET.OBJECT',
  bucket: 'src-bucket',
  key: 'photo.jpg',
  requester: OWNER.id,
  signatureVersion: 'SigV4',
  authType: 'AuthHeader',
  aclRequired: false,
  status: 200,
  bytesSent: 42,
  objectSize: 42,
  extraRecords: [],
  ...over,
});

async function keys(bucket: string): Promise<string[]> {
  return (await storage.listObjects(bucket, { prefix: '', maxKeys: 1000 })).contents.map((o) => o.key);
}

async function text(bucket: string, key: string): Promise<string> {
  const opened = await storage.openObject(bucket, key);
  if (!opened) throw new Error(`no object ${bucket}/${key}`);
  const chunks: Buffer[] = [];
  for await (const c of opened.body()) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Polls (real time) until `check` holds; fails after `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('AccessLogPipeline', () => {
  it('a request on a bucket with logging becomes one parsable line in a log object in the target', async () => {
    const pipeline = await start();
    pipeline.accept(request());

    const result = await pipeline.flush();

    expect(result.records).toBe(1);
    expect(result.objects).toBe(1);
    expect(result.keys).toHaveLength(1);
    expect(result.keys[0]).toMatch(SIMPLE_KEY);
    expect(await keys('log-bucket')).toEqual(result.keys);
    const head = await storage.headObject('log-bucket', result.keys[0]);
    expect(head?.contentType).toBe('text/plain');
    expect(head?.owner).toEqual(OWNER);

    const records = parseAccessLogObject(await text('log-bucket', result.keys[0]));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      bucketOwner: OWNER.id,
      bucket: 'src-bucket',
      time: '07/Jun/2024:08:09:10 +0000',
      remoteIp: '192.0.2.7',
      requester: OWNER.id,
      requestId: 'REQ00000000000001',
      operation: 'REST.GET.OBJECT',
      key: 'photo.jpg',
      requestUri: 'GET /src-bucket/photo.jpg HTTP/1.1',
      httpStatus: '200',
      bytesSent: '42',
      objectSize: '42',
      totalTime: '9',
      turnAroundTime: '3',
      userAgent: 'test-agent/1.0',
      hostId: 'aG9zdA==',
      hostHeader: 'localhost:9000',
    });
    expect(await readdir(spoolDir)).toEqual([]);
    expect(warnings).toEqual([]);
    // Nothing left to deliver.
    expect(await pipeline.flush()).toEqual({ records: 0, objects: 0, keys: [] });
  });

  it('a request on a bucket without logging produces nothing', async () => {
    const pipeline = await start();
    pipeline.accept(request({ bucket: 'plain-bucket', requestLine: 'GET /plain-bucket/photo.jpg HTTP/1.1' }));
    pipeline.accept(request({ bucket: undefined, operation: 'REST.GET.SERVICE', key: undefined }));

    expect(await pipeline.flush()).toEqual({ records: 0, objects: 0, keys: [] });
    expect(await keys('log-bucket')).toEqual([]);
    expect(await keys('plain-bucket')).toEqual([]);
    expect(await readdir(spoolDir)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('each record goes to its own bucket’s configuration: a copy out of a logged bucket logs only the source GET', async () => {
    const pipeline = await start();
    pipeline.accept(
      request({
        requestId: 'REQCOPY0000000002',
        operation: 'REST.COPY.OBJECT',
        bucket: 'plain-bucket',
        key: 'copy.jpg',
        requestLine: 'PUT /plain-bucket/copy.jpg HTTP/1.1',
        extraRecords: [
          {
            operation: 'REST.COPY.OBJECT_GET',
            bucket: 'src-bucket',
            key: 'photo.jpg',
            httpStatus: 200,
            objectSize: 42,
          },
        ],
      }),
    );
    const result = await pipeline.flush();
    expect(result.records).toBe(1);
    const records = parseAccessLogObject(await text('log-bucket', result.keys[0]));
    expect(records.map((r) => [r.bucket, r.operation, r.key, r.requestId, r.bytesSent])).toEqual([
      ['src-bucket', 'REST.COPY.OBJECT_GET', 'photo.jpg', 'REQCOPY0000000002', '-'],
    ]);
  });

  it('a spool left by a previous pipeline is delivered at start, exactly once', async () => {
    // The first run accepts a request, its record reaches the spool file, and then the process dies.
    const crashed = await start();
    crashed.accept(request({ requestId: 'REQBEFORECRASH01' }));
    const spooledText = await until('the record to reach the spool', async () => {
      const logs = (await readdir(spoolDir)).filter((n) => n.endsWith('.log'));
      if (logs.length !== 1) return undefined;
      const t = await readFile(join(spoolDir, logs[0]), 'utf8');
      return t.endsWith('\n') ? t : undefined;
    });
    expect(await keys('log-bucket')).toEqual([]);

    // The next run, on a freshly opened store and the same spool directory.
    storage = await FsStorage.open(dataDir);
    await start();

    const delivered = await keys('log-bucket');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatch(SIMPLE_KEY);
    const body = await text('log-bucket', delivered[0]);
    expect(body).toBe(spooledText);
    expect(parseAccessLogObject(body).map((r) => [r.bucket, r.requestId])).toEqual([
      ['src-bucket', 'REQBEFORECRASH01'],
    ]);
    expect(await readdir(spoolDir)).toEqual([]);

    // Another start finds nothing left to deliver.
    const third = await start();
    expect(await keys('log-bucket')).toEqual(delivered);
    expect(await third.flush()).toEqual({ records: 0, objects: 0, keys: [] });

    // Even the dead run's in-memory batch, were it to flush, would not deliver it again.
    pipelines.splice(pipelines.indexOf(crashed), 1);
    await crashed.close();
    expect(await keys('log-bucket')).toEqual(delivered);
    expect(warnings).toEqual([]);
  });
});
