import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningServer, startServer } from '../../server/index.js';
import { adminFlush, readLogObjects, uniqueBucket } from '../helpers/access-logs.js';
import { makeDataRoot, s3ClientFor } from '../helpers/server.js';

// A lifecycle "day" of 200 ms: rules with Days: 1 fall due after a short wait, and the server's own
// daily pass runs every 200 ms too; `runPass` (the admin endpoint) makes sure one ran after the wait.
const DAY_MS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Lifecycle rules that run', () => {
  let root: string;
  let server: RunningServer;
  let s3: S3Client;

  beforeAll(async () => {
    root = await makeDataRoot();
    server = await startServer({ port: 0, dataDir: join(root, 'data'), logLevel: 'silent', lifecycleDayMs: DAY_MS });
    s3 = s3ClientFor(server);
  });
  afterAll(async () => {
    s3?.destroy();
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  const runPass = async () => {
    const res = await fetch(`${server.url}/_s3scribe/lifecycle/run`, {
      method: 'POST',
      headers: { 'x-s3scribe-admin': '1' },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { lifecycle: Record<string, number> }).lifecycle;
  };

  /** A bucket logging into a fresh target, with the given lifecycle rules. */
  async function bucketWith(rules: object[], versioned = false): Promise<{ bucket: string; logs: string }> {
    const bucket = uniqueBucket('lc');
    const logs = uniqueBucket('lc-logs');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new CreateBucketCommand({ Bucket: logs }));
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket: bucket,
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: logs, TargetPrefix: 'l/' } },
      }),
    );
    if (versioned)
      await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: rules as never },
      }),
    );
    return { bucket, logs };
  }

  const records = async (logs: string) => {
    await adminFlush(server.url);
    return (await readLogObjects(s3, logs, 'l/'))
      .flatMap((o) => o.records)
      .filter((r) => r.operation.startsWith('S3.'));
  };

  test('Expiration: objects under the rule’s prefix are deleted once due, logged as S3.EXPIRE.OBJECT by AmazonS3', async () => {
    const { bucket, logs } = await bucketWith([
      { ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
    ]);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tmp/a', Body: 'aaaa' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'keep/b', Body: 'b' }));
    await sleep(DAY_MS * 1.5);
    await runPass();
    const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(left.Contents?.map((o) => o.Key)).toEqual(['keep/b']);
    const [rec] = await records(logs);
    expect(rec).toMatchObject({
      operation: 'S3.EXPIRE.OBJECT',
      key: 'tmp/a',
      remoteIp: '-',
      requester: 'AmazonS3',
      requestUri: '-',
      httpStatus: '-',
      objectSize: '4',
    });
  });

  test('Versioned: a due current version gets a delete marker (S3.CREATE.DELETEMARKER); noncurrent versions and a lone marker expire', async () => {
    const { bucket, logs } = await bucketWith(
      [
        { ID: 'cur', Status: 'Enabled', Filter: { Prefix: 'cur/' }, Expiration: { Days: 1 } },
        {
          ID: 'old',
          Status: 'Enabled',
          Filter: { Prefix: 'old/' },
          NoncurrentVersionExpiration: { NoncurrentDays: 1 },
          Expiration: { ExpiredObjectDeleteMarker: true },
        },
      ],
      true,
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cur/x', Body: 'x' }));
    const v1 = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'old/y', Body: 'y1' }))).VersionId;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'old/y', Body: 'y2' }));
    await sleep(DAY_MS * 1.5);
    await runPass();
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(versions.DeleteMarkers?.map((m) => m.Key)).toEqual(['cur/x']);
    expect(versions.Versions?.map((v) => [v.Key, v.IsLatest])).toEqual([
      ['cur/x', false],
      ['old/y', true],
    ]);
    const logged = await records(logs);
    expect(logged.map((r) => r.operation).sort()).toEqual(['S3.CREATE.DELETEMARKER', 'S3.EXPIRE.OBJECT']);
    expect(logged.find((r) => r.operation === 'S3.EXPIRE.OBJECT')).toMatchObject({ key: 'old/y', versionId: v1 });
  });

  test('AbortIncompleteMultipartUpload: stale uploads are aborted, logged as S3.DELETE.UPLOAD', async () => {
    const { bucket, logs } = await bucketWith([
      {
        ID: 'mpu',
        Status: 'Enabled',
        Filter: { Prefix: '' },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
    ]);
    await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big' }));
    await sleep(DAY_MS * 1.5);
    await runPass();
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);
    expect((await records(logs)).map((r) => [r.operation, r.key])).toEqual([['S3.DELETE.UPLOAD', 'big']]);
  });

  test('Disabled rules and rules whose tag filter does not match change nothing', async () => {
    const { bucket } = await bucketWith([
      { ID: 'off', Status: 'Disabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } },
      { ID: 'tagged', Status: 'Enabled', Filter: { Tag: { Key: 'expire', Value: 'yes' } }, Expiration: { Days: 1 } },
    ]);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain', Body: 'v' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tagged', Body: 'v', Tagging: 'expire=yes' }));
    await sleep(DAY_MS * 1.5);
    await runPass();
    const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(left.Contents?.map((o) => o.Key)).toEqual(['plain']);
  });
});
