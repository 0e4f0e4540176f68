import {
  DeleteBucketTaggingCommand,
  GetBucketTaggingCommand,
  PutBucketTaggingCommand,
  type Tag,
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

const put = (Bucket: string, TagSet: Tag[]) => h.s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } }));

describe('Bucket tagging', () => {
  test('PutBucketTagging: Put, Get and Delete round-trip (204, tags in the order sent, then NoSuchTagSet)', async () => {
    const b = await h.bucket();
    const tags = [
      { Key: 'project', Value: 'scribe' },
      { Key: 'cost center', Value: '' },
      { Key: 'a+b-c=d.e_f:g/h@i', Value: 'ünïcödé 文' },
    ];
    expect((await put(b, tags)).$metadata.httpStatusCode).toBe(204);
    const got = await h.s3.send(new GetBucketTaggingCommand({ Bucket: b }));
    expect(got.$metadata.httpStatusCode).toBe(200);
    expect(got.TagSet).toEqual(tags);
    // A second Put replaces the set.
    await put(b, [{ Key: 'only', Value: 'one' }]);
    expect((await h.s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet).toEqual([
      { Key: 'only', Value: 'one' },
    ]);
    const del = await h.s3.send(new DeleteBucketTaggingCommand({ Bucket: b }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect(await refusal(h.s3.send(new GetBucketTaggingCommand({ Bucket: b })))).toMatchObject({
      name: 'NoSuchTagSet',
      status: 404,
    });
  });

  test('GetBucketTagging: a bucket never tagged is NoSuchTagSet (404) naming the bucket', async () => {
    const b = await h.bucket();
    const res = await h.raw('GET', `/${b}?tagging`);
    expect(res.status).toBe(404);
    expect(errorOf(res.text)).toEqual({ code: 'NoSuchTagSet', message: 'The TagSet does not exist' });
    expect(res.text).toContain(`<BucketName>${b}</BucketName>`);
  });

  test('PutBucketTagging: 50 tags are accepted, 51 are InvalidTag', async () => {
    const b = await h.bucket();
    const many = (n: number): Tag[] => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    await put(b, many(50));
    expect((await h.s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet).toHaveLength(50);
    expect(await refusal(put(b, many(51)))).toMatchObject({ name: 'InvalidTag', status: 400 });
    expect((await h.s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet).toHaveLength(50);
  });

  test.each([
    ['a key of 129 characters', [{ Key: 'k'.repeat(129), Value: 'v' }], 'The TagKey you have provided is invalid'],
    ['an empty key', [{ Key: '', Value: 'v' }], 'The TagKey you have provided is invalid'],
    ['a value of 257 characters', [{ Key: 'k', Value: 'v'.repeat(257) }], 'The TagValue you have provided is invalid'],
    ['a key with a character S3 refuses', [{ Key: 'a,b', Value: 'v' }], 'The TagKey you have provided is invalid'],
    [
      'two tags with the same key',
      [
        { Key: 'dup', Value: '1' },
        { Key: 'dup', Value: '2' },
      ],
      'Cannot provide multiple Tags with the same key',
    ],
    [
      'the reserved aws: prefix',
      [{ Key: 'aws:cloudformation:stack', Value: 'x' }],
      'System tags cannot be added/updated by requester',
    ],
    [
      'the reserved prefix in capitals',
      [{ Key: 'AWS:x', Value: 'x' }],
      'System tags cannot be added/updated by requester',
    ],
  ])('PutBucketTagging: %s is InvalidTag (400) and nothing is stored', async (_label, tags, message) => {
    const b = await h.bucket();
    expect(await refusal(put(b, tags))).toMatchObject({ name: 'InvalidTag', status: 400, message });
    expect(await refusal(h.s3.send(new GetBucketTaggingCommand({ Bucket: b })))).toMatchObject({
      name: 'NoSuchTagSet',
    });
  });

  test('PutBucketTagging: 128-character keys and 256-character values are accepted', async () => {
    const b = await h.bucket();
    const tags = [{ Key: 'k'.repeat(128), Value: 'v'.repeat(256) }];
    await put(b, tags);
    expect((await h.s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet).toEqual(tags);
  });

  test.each([
    ['not XML', 'tags'],
    ['another root', '<Tags><TagSet/></Tags>'],
    ['no TagSet', '<Tagging></Tagging>'],
    ['a Tag without a Value', '<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>'],
    ['an unknown element', '<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value><Colour/></Tag></TagSet></Tagging>'],
  ])('PutBucketTagging: %s is MalformedXML (400)', async (_label, body) => {
    const b = await h.bucket();
    const res = await h.raw('PUT', `/${b}?tagging`, { body });
    expect(res.status).toBe(400);
    expect(errorOf(res.text).code).toBe('MalformedXML');
  });

  test('PutBucketTagging: no body is MissingRequestBodyError (400)', async () => {
    const b = await h.bucket();
    const res = await h.raw('PUT', `/${b}?tagging`, { headers: { 'content-length': '0' } });
    expect(res.status).toBe(400);
    expect(errorOf(res.text).code).toBe('MissingRequestBodyError');
  });

  test('PutBucketTagging: a missing bucket is NoSuchBucket (404)', async () => {
    expect(await refusal(put('no-such-bucket-tagging', [{ Key: 'a', Value: 'b' }]))).toMatchObject({
      name: 'NoSuchBucket',
      status: 404,
    });
  });
});

describe('Bucket tagging: access-log records', () => {
  test.each([
    ['PutBucketTagging', 'REST.PUT.TAGGING', 204, (b: string) => put(b, [{ Key: 'a', Value: 'b' }])],
    [
      'GetBucketTagging',
      'REST.GET.TAGGING',
      200,
      async (b: string) => {
        await put(b, [{ Key: 'a', Value: 'b' }]);
        return h.s3.send(new GetBucketTaggingCommand({ Bucket: b }));
      },
    ],
    [
      'DeleteBucketTagging',
      'REST.DELETE.TAGGING',
      204,
      (b: string) => h.s3.send(new DeleteBucketTaggingCommand({ Bucket: b })),
    ],
  ] as const)('%s: the delivered record is %s with key - and status %i', async (_name, operation, status, run) => {
    const b = await h.loggedBucket();
    const id = requestIdOf(await run(b));
    const record = await h.deliveredRecord(b, id);
    expect(record).toMatchObject({ operation, key: '-', httpStatus: String(status), bucket: b, errorCode: '-' });
  });

  test('GetBucketTagging: the record of a NoSuchTagSet answer carries the error code and 404', async () => {
    const b = await h.loggedBucket();
    const { requestId } = await refusal(h.s3.send(new GetBucketTaggingCommand({ Bucket: b })));
    const record = await h.deliveredRecord(b, requestId!);
    expect(record).toMatchObject({
      operation: 'REST.GET.TAGGING',
      key: '-',
      httpStatus: '404',
      errorCode: 'NoSuchTagSet',
    });
  });
});
