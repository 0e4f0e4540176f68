import {
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
  PutPublicAccessBlockCommand,
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

const put = (Bucket: string, PublicAccessBlockConfiguration: PublicAccessBlockConfiguration) =>
  h.s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration }));
const get = async (Bucket: string) =>
  (await h.s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration;

describe('PublicAccessBlock', () => {
  test('PutPublicAccessBlock: Put, Get and Delete round-trip, then NoSuchPublicAccessBlockConfiguration', async () => {
    const b = await h.bucket();
    const config = {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    };
    expect((await put(b, config)).$metadata.httpStatusCode).toBe(200);
    expect(await get(b)).toEqual(config);
    expect((await h.s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }))).$metadata.httpStatusCode).toBe(204);
    expect(await refusal(get(b))).toMatchObject({ name: 'NoSuchPublicAccessBlockConfiguration', status: 404 });
    expect((await h.s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }))).$metadata.httpStatusCode).toBe(204);
  });

  test('PutPublicAccessBlock: settings left out are false', async () => {
    const b = await h.bucket();
    await put(b, { BlockPublicPolicy: true });
    expect(await get(b)).toEqual({
      BlockPublicAcls: false,
      IgnorePublicAcls: false,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    });
  });

  test('GetPublicAccessBlock: never configured is NoSuchPublicAccessBlockConfiguration (404)', async () => {
    const b = await h.bucket();
    const res = await h.raw('GET', `/${b}?publicAccessBlock`);
    expect(res.status).toBe(404);
    expect(errorOf(res.text)).toEqual({
      code: 'NoSuchPublicAccessBlockConfiguration',
      message: 'The public access block configuration was not found',
    });
  });

  test('PutPublicAccessBlock: an empty configuration is InvalidRequest; a setting that is not a boolean, MalformedXML', async () => {
    const b = await h.bucket();
    const empty = await h.raw('PUT', `/${b}?publicAccessBlock`, { body: '<PublicAccessBlockConfiguration/>' });
    expect(empty.status).toBe(400);
    expect(errorOf(empty.text)).toEqual({
      code: 'InvalidRequest',
      message: 'Must specify at least one configuration.',
    });
    const bad = await h.raw('PUT', `/${b}?publicAccessBlock`, {
      body: '<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls></PublicAccessBlockConfiguration>',
    });
    expect(bad.status).toBe(400);
    expect(errorOf(bad.text).code).toBe('MalformedXML');
  });
});

describe('PublicAccessBlock: access-log records', () => {
  test.each([
    ['PutPublicAccessBlock', 'REST.PUT.PUBLIC_ACCESS_BLOCK', 200, (b: string) => put(b, { BlockPublicAcls: true })],
    [
      'GetPublicAccessBlock',
      'REST.GET.PUBLIC_ACCESS_BLOCK',
      200,
      async (b: string) => {
        await put(b, { BlockPublicAcls: true });
        return h.s3.send(new GetPublicAccessBlockCommand({ Bucket: b }));
      },
    ],
    [
      'DeletePublicAccessBlock',
      'REST.DELETE.PUBLIC_ACCESS_BLOCK',
      204,
      (b: string) => h.s3.send(new DeletePublicAccessBlockCommand({ Bucket: b })),
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
