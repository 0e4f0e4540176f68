import { execFile, execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLoggingCommand,
  PutBucketLoggingCommand,
  type BucketLoggingStatus,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../../server/index.js';
import { DEFAULT_CANONICAL_ID, raw, recordingClient, tempDir, uniqueBucket } from '../helpers/access-logs.js';

const run = promisify(execFile);

/** The AWS CLI is installed in CI; elsewhere its test runs only where `aws` is on PATH. */
const awsCli = ((): boolean => {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
})();

let dataDir: string;
let server: RunningServer;
let s3: S3Client;
let bob: S3Client;
const BOB_ACCOUNT = '210987654321';
const BOB_CANONICAL = 'b0b'.padEnd(64, '0');

beforeAll(async () => {
  dataDir = await tempDir();
  server = await startServer({
    port: 0,
    dataDir,
    logLevel: 'silent',
    flushInterval: 60_000,
    // A second account, to own buckets the default identity does not.
    identities: [{ accessKeyId: 'bob-key', accountId: BOB_ACCOUNT, canonicalId: BOB_CANONICAL, displayName: 'bob' }],
  });
  // s3ClientConfig carries the first configured identity (bob); the tests run as the default one.
  s3 = recordingClient(server, { credentials: { accessKeyId: 'owner-key', secretAccessKey: 'x' } }).s3;
  bob = recordingClient(server, { credentials: { accessKeyId: 'bob-key', secretAccessKey: 'x' } }).s3;
});

afterAll(async () => {
  s3?.destroy();
  bob?.destroy();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A fresh source and target pair. */
async function pair(): Promise<{ src: string; logs: string }> {
  const src = uniqueBucket('src');
  const logs = uniqueBucket('logs');
  await s3.send(new CreateBucketCommand({ Bucket: src }));
  await s3.send(new CreateBucketCommand({ Bucket: logs }));
  return { src, logs };
}

async function roundTrip(src: string, status: BucketLoggingStatus): Promise<BucketLoggingStatus['LoggingEnabled']> {
  const put = await s3.send(new PutBucketLoggingCommand({ Bucket: src, BucketLoggingStatus: status }));
  expect(put.$metadata.httpStatusCode).toBe(200);
  const got = await s3.send(new GetBucketLoggingCommand({ Bucket: src }));
  expect(got.$metadata.httpStatusCode).toBe(200);
  return got.LoggingEnabled;
}

async function rawPutLogging(bucket: string, body: string): Promise<{ status: number; code?: string; text: string }> {
  const res = await raw(server.url, 'PUT', `/${bucket}?logging`, {
    body,
    headers: { 'content-type': 'application/xml' },
  });
  return { status: res.status, code: /<Code>([^<]*)<\/Code>/.exec(res.text)?.[1], text: res.text };
}

const enabled = (logs: string, inner: string): string =>
  `<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LoggingEnabled><TargetBucket>${logs}</TargetBucket>` +
  `<TargetPrefix>logs/</TargetPrefix>${inner}</LoggingEnabled></BucketLoggingStatus>`;

describe('PutBucketLogging / GetBucketLogging', () => {
  test('PutBucketLogging: TargetPrefix and a CanonicalUser grant round-trip through GetBucketLogging', async () => {
    const { src, logs } = await pair();
    const got = await roundTrip(src, {
      LoggingEnabled: {
        TargetBucket: logs,
        TargetPrefix: 'access/',
        TargetGrants: [{ Grantee: { Type: 'CanonicalUser', ID: DEFAULT_CANONICAL_ID }, Permission: 'READ' }],
      },
    });
    expect(got?.TargetBucket).toBe(logs);
    expect(got?.TargetPrefix).toBe('access/');
    expect(got?.TargetGrants).toHaveLength(1);
    expect(got?.TargetGrants?.[0]).toMatchObject({
      Grantee: { Type: 'CanonicalUser', ID: DEFAULT_CANONICAL_ID },
      Permission: 'READ',
    });
  });

  test('PutBucketLogging: TargetObjectKeyFormat SimplePrefix round-trips', async () => {
    const { src, logs } = await pair();
    const got = await roundTrip(src, {
      LoggingEnabled: { TargetBucket: logs, TargetPrefix: 'logs/', TargetObjectKeyFormat: { SimplePrefix: {} } },
    });
    expect(got?.TargetObjectKeyFormat?.SimplePrefix).toBeDefined();
    expect(got?.TargetObjectKeyFormat?.PartitionedPrefix).toBeUndefined();
  });

  test.each(['EventTime', 'DeliveryTime'] as const)(
    'PutBucketLogging: PartitionedPrefix %s round-trips',
    async (source) => {
      const { src, logs } = await pair();
      const got = await roundTrip(src, {
        LoggingEnabled: {
          TargetBucket: logs,
          TargetPrefix: 'logs/',
          TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: source } },
        },
      });
      expect(got?.TargetObjectKeyFormat?.PartitionedPrefix?.PartitionDateSource).toBe(source);
      expect(got?.TargetObjectKeyFormat?.SimplePrefix).toBeUndefined();
    },
  );

  test('PutBucketLogging: an empty BucketLoggingStatus turns logging off', async () => {
    const { src, logs } = await pair();
    await roundTrip(src, { LoggingEnabled: { TargetBucket: logs, TargetPrefix: 'logs/' } });
    const off = await roundTrip(src, {});
    expect(off).toBeUndefined();
    // Reference §6: GetBucketLogging answers a BucketLoggingStatus with no children.
    const res = await raw(server.url, 'GET', `/${src}?logging`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<BucketLoggingStatus[^>]*(\/>|>\s*<\/BucketLoggingStatus>)/);
    expect(res.text).not.toContain('LoggingEnabled');
  });

  test('GetBucketLogging: a bucket never configured has no LoggingEnabled', async () => {
    const { src } = await pair();
    const got = await s3.send(new GetBucketLoggingCommand({ Bucket: src }));
    expect(got.$metadata.httpStatusCode).toBe(200);
    expect(got.LoggingEnabled).toBeUndefined();
  });

  test('PutBucketLogging: a missing target bucket is InvalidTargetBucketForLogging (400)', async () => {
    const { src } = await pair();
    const err = await s3
      .send(
        new PutBucketLoggingCommand({
          Bucket: src,
          BucketLoggingStatus: { LoggingEnabled: { TargetBucket: uniqueBucket('nowhere'), TargetPrefix: 'logs/' } },
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e as { name: string; $metadata: { httpStatusCode?: number } },
      );
    expect({ name: err?.name, status: err?.$metadata.httpStatusCode }).toEqual({
      name: 'InvalidTargetBucketForLogging',
      status: 400,
    });
    // Nothing was stored.
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: src }))).LoggingEnabled).toBeUndefined();
  });

  test('PutBucketLogging: the InvalidTargetBucketForLogging error names the target bucket (reference §6)', async () => {
    const { src } = await pair();
    const missing = uniqueBucket('nowhere');
    const res = await rawPutLogging(
      src,
      `<BucketLoggingStatus><LoggingEnabled><TargetBucket>${missing}</TargetBucket><TargetPrefix>logs/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`,
    );
    expect({ status: res.status, code: res.code }).toEqual({ status: 400, code: 'InvalidTargetBucketForLogging' });
    expect(res.text).toContain('<Message>The target bucket for logging does not exist</Message>');
    expect(res.text).toContain(`<TargetBucket>${missing}</TargetBucket>`);
  });

  test('PutBucketLogging: a target owned by another account is InvalidTargetBucketForLogging (400)', async () => {
    const { src } = await pair();
    const foreign = uniqueBucket('foreign');
    await bob.send(new CreateBucketCommand({ Bucket: foreign }));
    const res = await rawPutLogging(
      src,
      `<BucketLoggingStatus><LoggingEnabled><TargetBucket>${foreign}</TargetBucket><TargetPrefix>logs/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`,
    );
    expect({ status: res.status, code: res.code }).toEqual({ status: 400, code: 'InvalidTargetBucketForLogging' });
    expect(res.text).toContain(
      '<Message>The owner for the bucket to be logged and the target bucket must be the same.</Message>',
    );
  });

  test('PutBucketLogging: only the bucket owner may configure logging (AccessDenied 403)', async () => {
    const { src, logs } = await pair();
    const err = await bob
      .send(
        new PutBucketLoggingCommand({
          Bucket: src,
          BucketLoggingStatus: { LoggingEnabled: { TargetBucket: logs, TargetPrefix: 'logs/' } },
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e as { name: string; $metadata: { httpStatusCode?: number } },
      );
    expect({ name: err?.name, status: err?.$metadata.httpStatusCode }).toEqual({ name: 'AccessDenied', status: 403 });
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: src }))).LoggingEnabled).toBeUndefined();
  });

  test('PutBucketLogging: a body that is not XML is MalformedXML (400)', async () => {
    const { src } = await pair();
    const res = await rawPutLogging(src, 'this is <not xml');
    expect({ status: res.status, code: res.code }).toEqual({ status: 400, code: 'MalformedXML' });
  });

  test('PutBucketLogging: both SimplePrefix and PartitionedPrefix is MalformedXML (400)', async () => {
    const { src, logs } = await pair();
    const res = await rawPutLogging(
      src,
      enabled(
        logs,
        '<TargetObjectKeyFormat><SimplePrefix/><PartitionedPrefix><PartitionDateSource>EventTime</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat>',
      ),
    );
    expect({ status: res.status, code: res.code }).toEqual({ status: 400, code: 'MalformedXML' });
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: src }))).LoggingEnabled).toBeUndefined();
  });

  test('PutBucketLogging: an unknown PartitionDateSource is MalformedXML (400)', async () => {
    const { src, logs } = await pair();
    const res = await rawPutLogging(
      src,
      enabled(
        logs,
        '<TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>ArrivalTime</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat>',
      ),
    );
    expect({ status: res.status, code: res.code }).toEqual({ status: 400, code: 'MalformedXML' });
  });

  test("PutBucketLogging: the User Guide's doc.s3.amazonaws.com namespace is accepted", async () => {
    // Reference §6: accept any or no xmlns on input.
    const { src, logs } = await pair();
    const body = `<BucketLoggingStatus xmlns="http://doc.s3.amazonaws.com/2006-03-01"><LoggingEnabled><TargetBucket>${logs}</TargetBucket><TargetPrefix>x/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`;
    const res = await rawPutLogging(src, body);
    expect(res.status).toBe(200);
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: src }))).LoggingEnabled?.TargetPrefix).toBe('x/');
  });

  test('PutBucketLogging: the configuration survives a restart on the same data dir', async () => {
    const dir = await tempDir();
    try {
      const first = await startServer({ port: 0, dataDir: dir, logLevel: 'silent', flushInterval: 60_000 });
      const c1 = recordingClient(first).s3;
      await c1.send(new CreateBucketCommand({ Bucket: 'restart-src' }));
      await c1.send(new CreateBucketCommand({ Bucket: 'restart-logs' }));
      await c1.send(
        new PutBucketLoggingCommand({
          Bucket: 'restart-src',
          BucketLoggingStatus: {
            LoggingEnabled: {
              TargetBucket: 'restart-logs',
              TargetPrefix: 'p/',
              TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'DeliveryTime' } },
            },
          },
        }),
      );
      c1.destroy();
      await first.close();

      const second = await startServer({ port: 0, dataDir: dir, logLevel: 'silent', flushInterval: 60_000 });
      const c2 = recordingClient(second).s3;
      try {
        const got = await c2.send(new GetBucketLoggingCommand({ Bucket: 'restart-src' }));
        expect(got.LoggingEnabled?.TargetBucket).toBe('restart-logs');
        expect(got.LoggingEnabled?.TargetPrefix).toBe('p/');
        expect(got.LoggingEnabled?.TargetObjectKeyFormat?.PartitionedPrefix?.PartitionDateSource).toBe('DeliveryTime');
      } finally {
        c2.destroy();
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('DeleteBucket: deleting the source bucket removes its logging configuration', async () => {
    const { src, logs } = await pair();
    await roundTrip(src, { LoggingEnabled: { TargetBucket: logs, TargetPrefix: 'logs/' } });
    await s3.send(new DeleteBucketCommand({ Bucket: src }));
    await s3.send(new CreateBucketCommand({ Bucket: src }));
    const got = await s3.send(new GetBucketLoggingCommand({ Bucket: src }));
    expect(got.LoggingEnabled).toBeUndefined();
  });

  test.runIf(awsCli)(
    'PutBucketLogging: the AWS CLI flow round-trips (put-bucket-logging, get-bucket-logging)',
    async () => {
      const { src, logs } = await pair();
      const env = {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
      };
      const common = ['--endpoint-url', server.url, 's3api'];
      await run(
        'aws',
        [
          ...common,
          'put-bucket-logging',
          '--bucket',
          src,
          '--bucket-logging-status',
          JSON.stringify({ LoggingEnabled: { TargetBucket: logs, TargetPrefix: 'prefix/' } }),
        ],
        { env, timeout: 20_000 },
      );
      const { stdout } = await run('aws', [...common, 'get-bucket-logging', '--bucket', src, '--output', 'json'], {
        env,
        timeout: 20_000,
      });
      expect(JSON.parse(stdout)).toEqual({ LoggingEnabled: { TargetBucket: logs, TargetPrefix: 'prefix/' } });
    },
  );
});
