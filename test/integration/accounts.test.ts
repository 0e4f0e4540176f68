import { rm } from 'node:fs/promises';
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningServer, startServer } from '../../server/index.js';
import { canonicalIdOf } from '../../server/kit/identity.js';
import {
  adminFlush,
  enableLogging,
  listKeys,
  readLogObjects,
  recordingClient,
  tempDir,
  uniqueBucket,
} from '../helpers/access-logs.js';

// Identities of two accounts configured without canonical ids: each account is its own owner.
const ALICE_ACCOUNT = '111122223333';
const BOB_ACCOUNT = '444455556666';

describe('Accounts', () => {
  let dataDir: string;
  let server: RunningServer;
  let alice: ReturnType<typeof recordingClient>;
  let bob: ReturnType<typeof recordingClient>;

  beforeAll(async () => {
    dataDir = await tempDir();
    server = await startServer({
      port: 0,
      dataDir,
      logLevel: 'silent',
      flushInterval: 60_000,
      identities: [
        { accessKeyId: 'alice-key', accountId: ALICE_ACCOUNT },
        { accessKeyId: 'bob-key', accountId: BOB_ACCOUNT },
      ],
    });
    alice = recordingClient(server, { credentials: { accessKeyId: 'alice-key', secretAccessKey: 'x' } });
    bob = recordingClient(server, { credentials: { accessKeyId: 'bob-key', secretAccessKey: 'x' } });
  });

  afterAll(async () => {
    alice?.s3.destroy();
    bob?.s3.destroy();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const create = async (s3: S3Client, prefix: string): Promise<string> => {
    const name = uniqueBucket(prefix);
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    return name;
  };

  test('ListBuckets: each account sees only the buckets it created, under its own owner id', async () => {
    const a = await create(alice.s3, 'alice');
    const b = await create(bob.s3, 'bob');
    const aliceList = await alice.s3.send(new ListBucketsCommand({}));
    const bobList = await bob.s3.send(new ListBucketsCommand({}));
    const names = (l: typeof aliceList) => (l.Buckets ?? []).map((x) => x.Name);
    expect(names(aliceList)).toContain(a);
    expect(names(aliceList)).not.toContain(b);
    expect(names(bobList)).toContain(b);
    expect(names(bobList)).not.toContain(a);
    expect(aliceList.Owner?.ID).toBe(canonicalIdOf(ALICE_ACCOUNT));
    expect(bobList.Owner?.ID).toBe(canonicalIdOf(BOB_ACCOUNT));
  });

  test('Access log: records name the bucket owner and requester of the account, and PartitionedPrefix keys its id', async () => {
    const src = await create(alice.s3, 'src');
    const logs = await create(alice.s3, 'logs');
    await enableLogging(alice.s3, src, logs, 'p/', {
      PartitionedPrefix: { PartitionDateSource: 'EventTime' },
    });
    await alice.s3.send(new PutObjectCommand({ Bucket: src, Key: 'k', Body: 'v' }));
    const id = alice.last().requestId;
    await adminFlush(server.url);
    const keys = await listKeys(alice.s3, logs, 'p/');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^p/${ALICE_ACCOUNT}/us-east-1/${src}/`));
    const record = (await readLogObjects(alice.s3, logs, 'p/'))
      .flatMap((o) => o.records)
      .find((r) => r.requestId === id);
    expect(record?.bucketOwner).toBe(canonicalIdOf(ALICE_ACCOUNT));
    expect(record?.requester).toBe(canonicalIdOf(ALICE_ACCOUNT));
  });
});

describe('Bucket owner condition', () => {
  test('x-amz-expected-bucket-owner: the owner account passes, another account is AccessDenied', async () => {
    const root = await tempDir();
    const server = await startServer({ port: 0, dataDir: root, logLevel: 'silent' });
    const client = recordingClient(server);
    try {
      const bucket = uniqueBucket('owned');
      await client.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const ok = await client.s3.send(new ListBucketsCommand({}));
      expect(ok.Buckets?.some((b) => b.Name === bucket)).toBe(true);
      await client.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v', ExpectedBucketOwner: '123456789012' }),
      );
      const denied = await client.s3
        .send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v', ExpectedBucketOwner: '999999999999' }))
        .catch((e: Error) => e);
      expect((denied as Error).name).toBe('AccessDenied');
    } finally {
      client.s3.destroy();
      await server.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
