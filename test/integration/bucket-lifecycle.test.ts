import {
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  type LifecycleRule,
  PutBucketLifecycleConfigurationCommand,
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

const put = (Bucket: string, Rules: LifecycleRule[]) =>
  h.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));
const get = async (Bucket: string) => (await h.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules;
const putXml = (bucket: string, rules: string) =>
  h.raw('PUT', `/${bucket}?lifecycle`, { body: `<LifecycleConfiguration>${rules}</LifecycleConfiguration>` });

const expire = (days: number): LifecycleRule['Expiration'] => ({ Days: days });

describe('Bucket lifecycle configuration', () => {
  test('PutBucketLifecycleConfiguration: every filter and action round-trips; Delete, then NoSuchLifecycleConfiguration', async () => {
    const b = await h.bucket();
    const rules: LifecycleRule[] = [
      {
        ID: 'logs',
        Filter: { Prefix: 'logs/' },
        Status: 'Enabled',
        Transitions: [
          { Days: 30, StorageClass: 'STANDARD_IA' },
          { Days: 90, StorageClass: 'GLACIER' },
        ],
        Expiration: { Days: 365 },
      },
      {
        ID: 'tagged',
        Filter: { Tag: { Key: 'temp', Value: 'yes' } },
        Status: 'Disabled',
        Expiration: { Date: new Date('2030-01-01T00:00:00.000Z') },
      },
      {
        ID: 'and',
        Filter: {
          And: {
            Prefix: 'data/',
            Tags: [
              { Key: 'a', Value: '1' },
              { Key: 'b', Value: '2' },
            ],
            ObjectSizeGreaterThan: 1024,
            ObjectSizeLessThan: 1048576,
          },
        },
        Status: 'Enabled',
        NoncurrentVersionTransitions: [{ NoncurrentDays: 30, StorageClass: 'GLACIER_IR', NewerNoncurrentVersions: 2 }],
        NoncurrentVersionExpiration: { NoncurrentDays: 60, NewerNoncurrentVersions: 3 },
      },
      {
        ID: 'uploads',
        Filter: { ObjectSizeGreaterThan: 0 },
        Status: 'Enabled',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        Expiration: { ExpiredObjectDeleteMarker: true },
      },
      { ID: 'everything', Filter: {}, Status: 'Enabled', Expiration: expire(3650) },
    ];
    expect((await put(b, rules)).$metadata.httpStatusCode).toBe(200);
    expect(await get(b)).toEqual(rules);
    const del = await h.s3.send(new DeleteBucketLifecycleCommand({ Bucket: b }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect(await refusal(get(b))).toMatchObject({ name: 'NoSuchLifecycleConfiguration', status: 404 });
    expect((await h.s3.send(new DeleteBucketLifecycleCommand({ Bucket: b }))).$metadata.httpStatusCode).toBe(204);
  });

  test('PutBucketLifecycleConfiguration: a rule-level Prefix (the older API) comes back as a Prefix; a rule without ID gets one', async () => {
    const b = await h.bucket();
    await put(b, [
      { ID: 'old', Prefix: 'test1/', Status: 'Enabled', Expiration: expire(31) },
      { Prefix: 'test2/', Status: 'Enabled', Expiration: expire(120) },
    ]);
    const [first, second] = (await get(b))!;
    expect(first).toEqual({ ID: 'old', Prefix: 'test1/', Status: 'Enabled', Expiration: { Days: 31 } });
    expect(second).toMatchObject({ Prefix: 'test2/', Status: 'Enabled', Expiration: { Days: 120 } });
    expect(second!.ID).toMatch(/^\S{1,255}$/);
  });

  test('GetBucketLifecycleConfiguration: never configured is NoSuchLifecycleConfiguration (404) naming the bucket', async () => {
    const b = await h.bucket();
    const res = await h.raw('GET', `/${b}?lifecycle`);
    expect(res.status).toBe(404);
    expect(errorOf(res.text)).toEqual({
      code: 'NoSuchLifecycleConfiguration',
      message: 'The lifecycle configuration does not exist',
    });
    expect(res.text).toContain(`<BucketName>${b}</BucketName>`);
  });

  test('PutBucketLifecycleConfiguration: a Date comes back at midnight UTC, as S3 writes it', async () => {
    const b = await h.bucket();
    const res = await putXml(
      b,
      '<Rule><ID>d</ID><Filter/><Status>Enabled</Status><Expiration><Date>2031-05-01</Date></Expiration></Rule>',
    );
    expect(res.status).toBe(200);
    const got = await h.raw('GET', `/${b}?lifecycle`);
    expect(got.text).toContain('<Expiration><Date>2031-05-01T00:00:00.000Z</Date></Expiration>');
  });

  test.each<[string, LifecycleRule[], string, string]>([
    [
      'an ID longer than 255 characters',
      [{ ID: 'a'.repeat(256), Prefix: 'x/', Status: 'Enabled', Expiration: expire(1) }],
      'InvalidArgument',
      'ID length should not exceed allowed limit of 255',
    ],
    [
      'two rules with the same ID',
      [
        { ID: 'r', Prefix: 'a/', Status: 'Enabled', Expiration: expire(1) },
        { ID: 'r', Prefix: 'b/', Status: 'Enabled', Expiration: expire(2) },
      ],
      'InvalidArgument',
      'Rule ID must be unique. Found same ID for more than one rule',
    ],
    [
      'Expiration Days 0',
      [{ ID: 'r', Prefix: 'a/', Status: 'Enabled', Expiration: expire(0) }],
      'InvalidArgument',
      "'Days' for Expiration action must be a positive integer",
    ],
    [
      'a Date that is not midnight UTC',
      [{ ID: 'r', Prefix: 'a/', Status: 'Enabled', Expiration: { Date: new Date('2030-01-01T12:00:00Z') } }],
      'InvalidArgument',
      "'Date' must be at midnight GMT",
    ],
    [
      'a rule without an action',
      [{ ID: 'r', Filter: { Prefix: 'a/' }, Status: 'Enabled' }],
      'InvalidRequest',
      'At least one action needs to be specified in a rule',
    ],
    [
      'duplicate tag keys in And',
      [
        {
          ID: 'r',
          Filter: {
            And: {
              Tags: [
                { Key: 'k', Value: '1' },
                { Key: 'k', Value: '2' },
              ],
            },
          },
          Status: 'Enabled',
          Expiration: expire(1),
        },
      ],
      'InvalidRequest',
      'Duplicate Tag Keys are not allowed.',
    ],
    [
      'ExpiredObjectDeleteMarker with a tag filter',
      [
        {
          ID: 'r',
          Filter: { Tag: { Key: 'k', Value: 'v' } },
          Status: 'Enabled',
          Expiration: { ExpiredObjectDeleteMarker: true },
        },
      ],
      'InvalidRequest',
      'ExpiredObjectDeleteMarker cannot be specified with tags',
    ],
    [
      'AbortIncompleteMultipartUpload with a tag filter',
      [
        {
          ID: 'r',
          Filter: { Tag: { Key: 'k', Value: 'v' } },
          Status: 'Enabled',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ],
      'InvalidRequest',
      'AbortIncompleteMultipartUpload cannot be specified with Tags.',
    ],
    [
      'DaysAfterInitiation 0',
      [{ ID: 'r', Filter: {}, Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 0 } }],
      'InvalidArgument',
      "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
    ],
    [
      'NoncurrentDays 0',
      [{ ID: 'r', Filter: {}, Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 0 } }],
      'InvalidArgument',
      "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
    ],
    [
      'ObjectSizeGreaterThan not below ObjectSizeLessThan',
      [
        {
          ID: 'r',
          Filter: { And: { ObjectSizeGreaterThan: 10, ObjectSizeLessThan: 10 } },
          Status: 'Enabled',
          Expiration: expire(1),
        },
      ],
      'InvalidArgument',
      "'ObjectSizeGreaterThan' must be less than 'ObjectSizeLessThan'",
    ],
    [
      'a transition to STANDARD_IA before 30 days',
      [{ ID: 'r', Filter: {}, Status: 'Enabled', Transitions: [{ Days: 10, StorageClass: 'STANDARD_IA' }] }],
      'InvalidArgument',
      "'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'",
    ],
    [
      'an expiration no later than a transition',
      [
        {
          ID: 'r',
          Filter: {},
          Status: 'Enabled',
          Transitions: [{ Days: 60, StorageClass: 'GLACIER' }],
          Expiration: expire(60),
        },
      ],
      'InvalidArgument',
      "'Days' in the Expiration action for filter must be greater than 'Days' in the Transition action",
    ],
    [
      'two transitions to one class',
      [
        {
          ID: 'r',
          Filter: {},
          Status: 'Enabled',
          Transitions: [
            { Days: 30, StorageClass: 'GLACIER' },
            { Days: 60, StorageClass: 'GLACIER' },
          ],
        },
      ],
      'InvalidRequest',
      "'StorageClass' must be different for 'Transition' actions in same 'Rule'",
    ],
  ])('PutBucketLifecycleConfiguration: %s is %s (400) and nothing is stored', async (_label, rules, name, message) => {
    const b = await h.bucket();
    expect(await refusal(put(b, rules))).toMatchObject({ name, status: 400, message });
    expect(await refusal(get(b))).toMatchObject({ name: 'NoSuchLifecycleConfiguration' });
  });

  test.each([
    [
      'a Status other than Enabled or Disabled',
      '<Rule><ID>r</ID><Prefix>a/</Prefix><Status>enabled</Status><Expiration><Days>1</Days></Expiration></Rule>',
    ],
    ['no Status', '<Rule><ID>r</ID><Prefix>a/</Prefix><Expiration><Days>1</Days></Expiration></Rule>'],
    [
      'both Prefix and Filter',
      '<Rule><ID>r</ID><Prefix>a/</Prefix><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>',
    ],
    [
      'neither Prefix nor Filter',
      '<Rule><ID>r</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>',
    ],
    [
      'two predicates in a Filter without And',
      '<Rule><ID>r</ID><Filter><Prefix>a/</Prefix><ObjectSizeGreaterThan>1</ObjectSizeGreaterThan></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>',
    ],
    [
      'Days and Date in one Expiration',
      '<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration></Rule>',
    ],
    [
      'Days that is not a number',
      '<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Expiration><Days>ten</Days></Expiration></Rule>',
    ],
    [
      'a Date that is no date',
      '<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Expiration><Date>20200101</Date></Expiration></Rule>',
    ],
    [
      'an unknown storage class',
      '<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Transition><Days>1</Days><StorageClass>TAPE</StorageClass></Transition></Rule>',
    ],
    ['no rules', ''],
  ])('PutBucketLifecycleConfiguration: %s is MalformedXML (400)', async (_label, rules) => {
    const b = await h.bucket();
    const res = await putXml(b, rules);
    expect(res.status).toBe(400);
    expect(errorOf(res.text).code).toBe('MalformedXML');
  });

  test('PutBucketLifecycleConfiguration: 1000 rules are accepted, 1001 are MalformedXML', async () => {
    const b = await h.bucket();
    const rules = (n: number): LifecycleRule[] =>
      Array.from({ length: n }, (_, i) => ({
        ID: `r${i}`,
        Filter: { Prefix: `p${i}/` },
        Status: 'Enabled',
        Expiration: expire(1),
      }));
    await put(b, rules(1000));
    expect(await get(b)).toHaveLength(1000);
    expect(await refusal(put(b, rules(1001)))).toMatchObject({ name: 'MalformedXML', status: 400 });
  });
});

describe('Bucket lifecycle configuration: access-log records', () => {
  const rules: LifecycleRule[] = [{ ID: 'r', Filter: {}, Status: 'Enabled', Expiration: expire(1) }];
  test.each([
    ['PutBucketLifecycleConfiguration', 'REST.PUT.LIFECYCLE', 200, (b: string) => put(b, rules)],
    [
      'GetBucketLifecycleConfiguration',
      'REST.GET.LIFECYCLE',
      200,
      async (b: string) => {
        await put(b, rules);
        return h.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: b }));
      },
    ],
    [
      'DeleteBucketLifecycle',
      'REST.DELETE.LIFECYCLE',
      204,
      (b: string) => h.s3.send(new DeleteBucketLifecycleCommand({ Bucket: b })),
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
