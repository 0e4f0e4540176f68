import { GetBucketRequestPaymentCommand, PutBucketRequestPaymentCommand, type Payer } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ConfigHarness, errorOf, requestIdOf, startHarness } from '../helpers/bucket-config.js';

let h: ConfigHarness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

const put = (Bucket: string, Payer: Payer) =>
  h.s3.send(new PutBucketRequestPaymentCommand({ Bucket, RequestPaymentConfiguration: { Payer } }));
const get = async (Bucket: string) => (await h.s3.send(new GetBucketRequestPaymentCommand({ Bucket }))).Payer;

describe('Bucket request payment', () => {
  test('PutBucketRequestPayment: Requester round-trips; BucketOwner restores the default', async () => {
    const b = await h.bucket();
    expect(await get(b)).toBe('BucketOwner');
    expect((await put(b, 'Requester')).$metadata.httpStatusCode).toBe(200);
    expect(await get(b)).toBe('Requester');
    await put(b, 'BucketOwner');
    expect(await get(b)).toBe('BucketOwner');
  });

  test.each([
    ['an unknown payer', '<RequestPaymentConfiguration><Payer>Nobody</Payer></RequestPaymentConfiguration>'],
    ['no payer', '<RequestPaymentConfiguration/>'],
  ])('PutBucketRequestPayment: %s is MalformedXML (400)', async (_label, body) => {
    const b = await h.bucket();
    const res = await h.raw('PUT', `/${b}?requestPayment`, { body });
    expect(res.status).toBe(400);
    expect(errorOf(res.text).code).toBe('MalformedXML');
    expect(await get(b)).toBe('BucketOwner');
  });
});

describe('Bucket request payment: access-log records', () => {
  test.each([
    ['PutBucketRequestPayment', 'REST.PUT.REQUEST_PAYMENT', (b: string) => put(b, 'Requester')],
    [
      'GetBucketRequestPayment',
      'REST.GET.REQUEST_PAYMENT',
      (b: string) => h.s3.send(new GetBucketRequestPaymentCommand({ Bucket: b })),
    ],
  ] as const)('%s: the delivered record is %s with key - and status 200', async (_name, operation, run) => {
    const b = await h.loggedBucket();
    const id = requestIdOf(await run(b));
    expect(await h.deliveredRecord(b, id)).toMatchObject({ operation, key: '-', httpStatus: '200', bucket: b });
  });
});
