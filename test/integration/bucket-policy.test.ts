import { rm } from 'node:fs/promises';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../../server/index.js';
import {
  adminFlush,
  enableLogging,
  listKeys,
  raw,
  readLogObjects,
  recordingClient,
  tempDir,
  uniqueBucket,
} from '../helpers/access-logs.js';

let dataDir: string;
let server: RunningServer;
let s3: S3Client;

beforeAll(async () => {
  dataDir = await tempDir();
  server = await startServer({ port: 0, dataDir, logLevel: 'silent', flushInterval: 60_000 });
  s3 = recordingClient(server).s3;
});

afterAll(async () => {
  s3?.destroy();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function bucket(client: S3Client = s3, prefix = 'pol'): Promise<string> {
  const name = uniqueBucket(prefix);
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

async function s3Error(call: Promise<unknown>): Promise<{ name?: string; status?: number }> {
  return call.then(
    () => ({}),
    (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => ({
      name: e.name,
      status: e.$metadata?.httpStatusCode,
    }),
  );
}

const publicRead = (b: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` },
    ],
  });

/** The policy AWS documents for server access log delivery (reference §6). */
const logDelivery = (target: string, prefix: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'S3ServerAccessLogsPolicy',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: ['s3:PutObject'],
        Resource: `arn:aws:s3:::${target}/${prefix}*`,
      },
    ],
  });

describe('Bucket policies', () => {
  test('PutBucketPolicy: Put, Get and Delete round-trip', async () => {
    const b = await bucket();
    const policy = publicRead(b);
    const put = await s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: policy }));
    expect(put.$metadata.httpStatusCode).toBe(204);
    const got = await s3.send(new GetBucketPolicyCommand({ Bucket: b }));
    expect(got.$metadata.httpStatusCode).toBe(200);
    expect(JSON.parse(got.Policy!)).toEqual(JSON.parse(policy));
    const del = await s3.send(new DeleteBucketPolicyCommand({ Bucket: b }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect(await s3Error(s3.send(new GetBucketPolicyCommand({ Bucket: b })))).toEqual({
      name: 'NoSuchBucketPolicy',
      status: 404,
    });
  });

  test('GetBucketPolicy: a bucket without a policy is NoSuchBucketPolicy (404)', async () => {
    const b = await bucket();
    expect(await s3Error(s3.send(new GetBucketPolicyCommand({ Bucket: b })))).toEqual({
      name: 'NoSuchBucketPolicy',
      status: 404,
    });
  });

  test('PutBucketPolicy: a body that is not JSON is MalformedPolicy (400)', async () => {
    const b = await bucket();
    expect(
      await s3Error(
        s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: '{"Version": "2012-10-17", "Statement": [' })),
      ),
    ).toEqual({ name: 'MalformedPolicy', status: 400 });
    // Nothing was stored.
    expect(await s3Error(s3.send(new GetBucketPolicyCommand({ Bucket: b })))).toEqual({
      name: 'NoSuchBucketPolicy',
      status: 404,
    });
  });

  test('BucketPolicy: anonymous GetObject is AccessDenied until a policy grants it to "*"', async () => {
    const b = await bucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'public/file.txt', Body: 'hello' }));
    const denied = await raw(server.url, 'GET', `/${b}/public/file.txt`, { anonymous: true });
    expect(denied.status).toBe(403);
    expect(/<Code>([^<]*)<\/Code>/.exec(denied.text)?.[1]).toBe('AccessDenied');

    await s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: publicRead(b) }));
    const allowed = await raw(server.url, 'GET', `/${b}/public/file.txt`, { anonymous: true });
    expect(allowed.status).toBe(200);
    expect(allowed.text).toBe('hello');
    // The grant is s3:GetObject only: listing stays denied.
    const list = await raw(server.url, 'GET', `/${b}?list-type=2`, { anonymous: true });
    expect(list.status).toBe(403);

    await s3.send(new DeleteBucketPolicyCommand({ Bucket: b }));
    expect((await raw(server.url, 'GET', `/${b}/public/file.txt`, { anonymous: true })).status).toBe(403);
  });
});

describe('Log delivery permission (strict)', () => {
  let strict: RunningServer;
  let strictDir: string;
  let c: S3Client;
  let lastId: () => string;

  beforeAll(async () => {
    strictDir = await tempDir();
    strict = await startServer({
      port: 0,
      dataDir: strictDir,
      logLevel: 'silent',
      flushInterval: 60_000,
      loggingPermissionCheck: 'strict',
    });
    const client = recordingClient(strict);
    c = client.s3;
    lastId = () => client.last().requestId;
  });

  afterAll(async () => {
    c?.destroy();
    await strict?.close();
    await rm(strictDir, { recursive: true, force: true });
  });

  test('BucketPolicy: strict mode delivers nothing to a target without a log-delivery policy', async () => {
    const src = await bucket(c, 'src');
    const logs = await bucket(c, 'logs');
    await enableLogging(c, src, logs, 'logs/');
    await c.send(new PutObjectCommand({ Bucket: src, Key: 'k', Body: 'v' }));
    const flushed = await adminFlush(strict.url);
    expect(flushed.objects).toBe(0);
    expect(await listKeys(c, logs)).toEqual([]);
  });

  test('BucketPolicy: strict mode delivers once the target policy lets logging.s3.amazonaws.com PutObject under the prefix', async () => {
    const src = await bucket(c, 'src');
    const logs = await bucket(c, 'logs');
    await c.send(new PutBucketPolicyCommand({ Bucket: logs, Policy: logDelivery(logs, 'logs/') }));
    await enableLogging(c, src, logs, 'logs/');
    await c.send(new PutObjectCommand({ Bucket: src, Key: 'k', Body: 'v' }));
    const id = lastId();
    const flushed = await adminFlush(strict.url);
    expect(flushed.objects).toBe(1);
    const records = (await readLogObjects(c, logs, 'logs/')).flatMap((o) => o.records);
    expect(records.filter((r) => r.requestId === id)).toHaveLength(1);
  });

  test('BucketPolicy: strict mode refuses a policy whose Resource does not cover the TargetPrefix', async () => {
    const src = await bucket(c, 'src');
    const logs = await bucket(c, 'logs');
    await c.send(new PutBucketPolicyCommand({ Bucket: logs, Policy: logDelivery(logs, 'elsewhere/') }));
    await enableLogging(c, src, logs, 'logs/');
    await c.send(new PutObjectCommand({ Bucket: src, Key: 'k', Body: 'v' }));
    await adminFlush(strict.url);
    expect(await listKeys(c, logs)).toEqual([]);
  });

  test('BucketPolicy: strict mode honours the walkthrough policy that requires s3:x-amz-acl bucket-owner-full-control', async () => {
    const src = await bucket(c, 'src');
    const logs = await bucket(c, 'logs');
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${logs}/*`,
          Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
        },
      ],
    };
    await c.send(new PutBucketPolicyCommand({ Bucket: logs, Policy: JSON.stringify(policy) }));
    await enableLogging(c, src, logs, 'logs/');
    await c.send(new PutObjectCommand({ Bucket: src, Key: 'k', Body: 'v' }));
    const id = lastId();
    expect((await adminFlush(strict.url)).objects).toBe(1);
    const records = (await readLogObjects(c, logs, 'logs/')).flatMap((o) => o.records);
    expect(records.filter((r) => r.requestId === id)).toHaveLength(1);
  });

  test('BucketPolicy: strict mode delivers where the target ACL grants the Log Delivery group WRITE (legacy)', async () => {
    const src = await bucket(c, 'src');
    const logs = await bucket(c, 'logs');
    await c.send(new PutBucketAclCommand({ Bucket: logs, ACL: 'log-delivery-write' }));
    await enableLogging(c, src, logs, 'logs/');
    await c.send(new PutObjectCommand({ Bucket: src, Key: 'k', Body: 'v' }));
    const id = lastId();
    expect((await adminFlush(strict.url)).objects).toBe(1);
    const records = (await readLogObjects(c, logs, 'logs/')).flatMap((o) => o.records);
    expect(records.filter((r) => r.requestId === id)).toHaveLength(1);
  });

  test('BucketPolicy: strict mode refuses delivery where the policy explicitly denies the logging service', async () => {
    const src = await bucket(c, 'src');
    const logs = await bucket(c, 'logs');
    await c.send(new PutBucketAclCommand({ Bucket: logs, ACL: 'log-delivery-write' }));
    const deny = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${logs}/*`,
        },
      ],
    };
    await c.send(new PutBucketPolicyCommand({ Bucket: logs, Policy: JSON.stringify(deny) }));
    await enableLogging(c, src, logs, 'logs/');
    await c.send(new PutObjectCommand({ Bucket: src, Key: 'k', Body: 'v' }));
    await adminFlush(strict.url);
    expect(await listKeys(c, logs)).toEqual([]);
  });
});

describe('GetBucketPolicyStatus', () => {
  let dir: string;
  let srv: RunningServer;
  let c: S3Client;
  beforeAll(async () => {
    dir = await tempDir();
    srv = await startServer({ port: 0, dataDir: dir, logLevel: 'silent', flushInterval: 60_000 });
    c = recordingClient(srv).s3;
  });
  afterAll(async () => {
    c?.destroy();
    await srv?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('GetBucketPolicyStatus: IsPublic for an Allow to everyone; false for one account; NoSuchBucketPolicy without a policy', async () => {
    const b = await bucket(c, 'status');
    const status = () => c.send(new GetBucketPolicyStatusCommand({ Bucket: b }));
    await expect(status()).rejects.toMatchObject({ name: 'NoSuchBucketPolicy' });
    const allow = (Principal: unknown) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal, Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` }],
      });
    await c.send(new PutBucketPolicyCommand({ Bucket: b, Policy: allow('*') }));
    expect((await status()).PolicyStatus?.IsPublic).toBe(true);
    await c.send(new PutBucketPolicyCommand({ Bucket: b, Policy: allow({ AWS: '111122223333' }) }));
    expect((await status()).PolicyStatus?.IsPublic).toBe(false);
  });

  test('Access log: GetBucketPolicyStatus is REST.GET.POLICY_STATUS', async () => {
    const b = await bucket(c, 'status-log');
    const logs = await bucket(c, 'status-logs');
    await enableLogging(c, b, logs, 's/');
    await c.send(new PutBucketPolicyCommand({ Bucket: b, Policy: logDelivery(b, 'x/') }));
    await c.send(new GetBucketPolicyStatusCommand({ Bucket: b }));
    await adminFlush(srv.url);
    const records = (await readLogObjects(c, logs, 's/')).flatMap((o) => o.records);
    expect(records.find((r) => r.operation === 'REST.GET.POLICY_STATUS')).toMatchObject({
      httpStatus: '200',
      key: '-',
    });
  });
});
