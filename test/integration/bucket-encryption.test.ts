import {
  DeleteBucketEncryptionCommand,
  GetBucketEncryptionCommand,
  PutBucketEncryptionCommand,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ConfigHarness, errorOf, refusal, requestIdOf, startHarness } from '../helpers/bucket-config.js';

let h: ConfigHarness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

const put = (Bucket: string, Rules: ServerSideEncryptionRule[]) =>
  h.s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules } }));
const get = async (Bucket: string) =>
  (await h.s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules;

const SSE_S3_DEFAULT = [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }];

describe('Bucket default encryption', () => {
  test('GetBucketEncryption: a bucket never configured has the SSE-S3 default', async () => {
    const b = await h.bucket();
    expect(await get(b)).toEqual(SSE_S3_DEFAULT);
  });

  test('PutBucketEncryption: SSE-KMS with a key and a bucket key round-trips; Delete resets to SSE-S3', async () => {
    const b = await h.bucket();
    const rules = [
      {
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms' as const,
          KMSMasterKeyID: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        },
        BucketKeyEnabled: true,
      },
    ];
    expect((await put(b, rules)).$metadata.httpStatusCode).toBe(200);
    expect(await get(b)).toEqual(rules);
    const del = await h.s3.send(new DeleteBucketEncryptionCommand({ Bucket: b }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect(await get(b)).toEqual(SSE_S3_DEFAULT);
    expect((await h.s3.send(new DeleteBucketEncryptionCommand({ Bucket: b }))).$metadata.httpStatusCode).toBe(204);
  });

  test.each(['AES256', 'aws:kms', 'aws:kms:dsse'] as const)(
    'PutBucketEncryption: %s is accepted',
    async (algorithm) => {
      const b = await h.bucket();
      await put(b, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: algorithm } }]);
      expect(await get(b)).toEqual([
        { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: algorithm }, BucketKeyEnabled: false },
      ]);
    },
  );

  test('PutBucketEncryption: a KMS key with AES256 is InvalidArgument (400)', async () => {
    const b = await h.bucket();
    expect(
      await refusal(put(b, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: 'k' } }])),
    ).toMatchObject({
      name: 'InvalidArgument',
      status: 400,
      message: 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
    });
  });

  test.each([
    ['no rule', '<ServerSideEncryptionConfiguration/>'],
    [
      'two rules',
      '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>',
    ],
    [
      'an unknown algorithm',
      '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>ROT13</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>',
    ],
    [
      'a rule without a default',
      '<ServerSideEncryptionConfiguration><Rule><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>',
    ],
    [
      'BucketKeyEnabled that is not a boolean',
      '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>yes</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>',
    ],
  ])('PutBucketEncryption: %s is MalformedXML (400) and nothing changes', async (_label, body) => {
    const b = await h.bucket();
    const res = await h.raw('PUT', `/${b}?encryption`, { body });
    expect(res.status).toBe(400);
    expect(errorOf(res.text).code).toBe('MalformedXML');
    expect(await get(b)).toEqual(SSE_S3_DEFAULT);
  });
});

describe('Bucket default encryption: access-log records', () => {
  const rules = [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const } }];
  test.each([
    ['PutBucketEncryption', 'REST.PUT.ENCRYPTION', 200, (b: string) => put(b, rules)],
    [
      'GetBucketEncryption',
      'REST.GET.ENCRYPTION',
      200,
      (b: string) => h.s3.send(new GetBucketEncryptionCommand({ Bucket: b })),
    ],
    [
      'DeleteBucketEncryption',
      'REST.DELETE.ENCRYPTION',
      204,
      (b: string) => h.s3.send(new DeleteBucketEncryptionCommand({ Bucket: b })),
    ],
  ] as const)('%s: the delivered record is %s with key - and status %i', async (_name, operation, status, run) => {
    const b = await h.loggedBucket();
    const id = requestIdOf(await run(b));
    expect(await h.deliveredRecord(b, id)).toMatchObject({
      operation,
      key: '-',
      httpStatus: String(status),
      bucket: b,
    });
  });
});
