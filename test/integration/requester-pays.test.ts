import { rm } from 'node:fs/promises';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutBucketPolicyCommand,
  PutBucketRequestPaymentCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningServer, startServer } from '../../server/index.js';
import {
  adminFlush,
  enableLogging,
  readLogObjects,
  recordingClient,
  tempDir,
  uniqueBucket,
} from '../helpers/access-logs.js';

const BOB_ARN = 'arn:aws:iam::444455556666:user/bob';

describe('Requester Pays', () => {
  let root: string;
  let server: RunningServer;
  let owner: ReturnType<typeof recordingClient>;
  let bob: ReturnType<typeof recordingClient>;
  let bucket: string;
  let logs: string;

  beforeAll(async () => {
    root = await tempDir('s3scribe-payer-');
    server = await startServer({
      port: 0,
      dataDir: root,
      logLevel: 'silent',
      flushInterval: 600_000,
      identities: [
        { accessKeyId: 'OWNER', accountId: '111122223333' },
        { accessKeyId: 'BOB', accountId: '444455556666', arn: BOB_ARN },
      ],
    });
    owner = recordingClient(server, { credentials: { accessKeyId: 'OWNER', secretAccessKey: 'x' } });
    bob = recordingClient(server, { credentials: { accessKeyId: 'BOB', secretAccessKey: 'x' } });
    bucket = uniqueBucket('payer');
    logs = uniqueBucket('payer-logs');
    await owner.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await owner.s3.send(new CreateBucketCommand({ Bucket: logs }));
    await enableLogging(owner.s3, bucket, logs, 'p/');
    await owner.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'data.csv', Body: 'a,b', ACL: 'public-read' }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::444455556666:root' },
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${bucket}/*`,
        },
      ],
    };
    await owner.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    await owner.s3.send(
      new PutBucketRequestPaymentCommand({ Bucket: bucket, RequestPaymentConfiguration: { Payer: 'Requester' } }),
    );
  });

  afterAll(async () => {
    owner?.s3.destroy();
    bob?.s3.destroy();
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  test('another account must say it pays: AccessDenied without x-amz-request-payer, 200 and RequestCharged with it', async () => {
    const refused = await bob.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'data.csv' })).catch((e: Error) => e);
    expect((refused as Error).name).toBe('AccessDenied');
    const refusedId = bob.last().requestId;
    const paid = await bob.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'data.csv', RequestPayer: 'requester' }),
    );
    expect(await paid.Body!.transformToString()).toBe('a,b');
    expect(paid.RequestCharged).toBe('requester');
    const paidId = bob.last().requestId;
    await adminFlush(server.url);
    const records = (await readLogObjects(owner.s3, logs, 'p/')).flatMap((o) => o.records);
    expect(records.find((r) => r.requestId === refusedId)).toMatchObject({
      httpStatus: '403',
      errorCode: 'AccessDenied',
      requester: BOB_ARN,
    });
    expect(records.find((r) => r.requestId === paidId)).toMatchObject({ httpStatus: '200', requester: BOB_ARN });
  });

  test("the owner's account pays anyway: no header needed, nothing charged", async () => {
    const own = await owner.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'data.csv' }));
    expect(await own.Body!.transformToString()).toBe('a,b');
    expect(own.RequestCharged).toBeUndefined();
  });

  test('anonymous requests are refused even for a public object', async () => {
    const res = await request(`${server.url}/${bucket}/data.csv`, { headers: { 'x-amz-request-payer': 'requester' } });
    expect(res.statusCode).toBe(403);
    expect(await res.body.text()).toContain('<Code>AccessDenied</Code>');
  });
});
