import {
  type BucketAccelerateStatus,
  CreateBucketCommand,
  GetBucketAccelerateConfigurationCommand,
  PutBucketAccelerateConfigurationCommand,
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

const put = (Bucket: string, Status: BucketAccelerateStatus) =>
  h.s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket, AccelerateConfiguration: { Status } }));

describe('Bucket transfer acceleration', () => {
  test('PutBucketAccelerateConfiguration: Enabled then Suspended round-trip; never set, no Status', async () => {
    const b = await h.bucket();
    const never = await h.s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: b }));
    expect(never.$metadata.httpStatusCode).toBe(200);
    expect(never.Status).toBeUndefined();
    for (const status of ['Enabled', 'Suspended'] as const) {
      expect((await put(b, status)).$metadata.httpStatusCode).toBe(200);
      expect((await h.s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: b }))).Status).toBe(status);
    }
  });

  test('PutBucketAccelerateConfiguration: a bucket name with a period is InvalidRequest (400)', async () => {
    const b = `dotted.${Date.now()}.bucket`;
    await h.s3.send(new CreateBucketCommand({ Bucket: b }));
    expect(await refusal(put(b, 'Enabled'))).toMatchObject({
      name: 'InvalidRequest',
      status: 400,
      message: 'S3 Transfer Acceleration is not supported for buckets with periods (.) in their names',
    });
  });

  test('PutBucketAccelerateConfiguration: an unknown Status is MalformedXML (400)', async () => {
    const b = await h.bucket();
    const res = await h.raw('PUT', `/${b}?accelerate`, {
      body: '<AccelerateConfiguration><Status>Fast</Status></AccelerateConfiguration>',
    });
    expect(res.status).toBe(400);
    expect(errorOf(res.text).code).toBe('MalformedXML');
  });
});

describe('Bucket transfer acceleration: access-log records', () => {
  test.each([
    ['PutBucketAccelerateConfiguration', 'REST.PUT.ACCELERATE', (b: string) => put(b, 'Enabled')],
    [
      'GetBucketAccelerateConfiguration',
      'REST.GET.ACCELERATE',
      (b: string) => h.s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: b })),
    ],
  ] as const)('%s: the delivered record is %s with key - and status 200', async (_name, operation, run) => {
    const b = await h.loggedBucket();
    const id = requestIdOf(await run(b));
    expect(await h.deliveredRecord(b, id)).toMatchObject({ operation, key: '-', httpStatus: '200', bucket: b });
  });
});
