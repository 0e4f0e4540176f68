import {
  GetBucketNotificationConfigurationCommand,
  type NotificationConfiguration,
  PutBucketNotificationConfigurationCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ConfigHarness, refusal, requestIdOf, startHarness } from '../helpers/bucket-config.js';

let h: ConfigHarness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

const put = (Bucket: string, NotificationConfiguration: NotificationConfiguration) =>
  h.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration }));
const get = async (Bucket: string) => {
  const { $metadata: _, ...config } = await h.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
  return config;
};

describe('Bucket notification configuration', () => {
  test('PutBucketNotificationConfiguration: topics, queues, functions and EventBridge are stored and echoed', async () => {
    const b = await h.bucket();
    expect(await get(b)).toEqual({});
    const config: NotificationConfiguration = {
      TopicConfigurations: [
        {
          Id: 'created',
          TopicArn: 'arn:aws:sns:us-east-1:123456789012:uploads',
          Events: ['s3:ObjectCreated:*'],
          Filter: {
            Key: {
              FilterRules: [
                { Name: 'prefix', Value: 'images/' },
                { Name: 'suffix', Value: '.jpg' },
              ],
            },
          },
        },
      ],
      QueueConfigurations: [
        {
          Id: 'removed',
          QueueArn: 'arn:aws:sqs:us-east-1:123456789012:removals',
          Events: ['s3:ObjectRemoved:Delete', 's3:ObjectRemoved:DeleteMarkerCreated'],
        },
      ],
      LambdaFunctionConfigurations: [
        {
          Id: 'thumbnail',
          LambdaFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:thumbnail',
          Events: ['s3:ObjectCreated:Put'],
        },
      ],
      EventBridgeConfiguration: {},
    };
    expect((await put(b, config)).$metadata.httpStatusCode).toBe(200);
    expect(await get(b)).toEqual(config);
    // An empty configuration turns notifications off.
    await put(b, {});
    expect(await get(b)).toEqual({});
  });

  test('PutBucketNotificationConfiguration: a configuration without an Id gets one', async () => {
    const b = await h.bucket();
    await put(b, {
      QueueConfigurations: [{ QueueArn: 'arn:aws:sqs:us-east-1:123456789012:q', Events: ['s3:ObjectCreated:*'] }],
    });
    const got = await get(b);
    expect(got.QueueConfigurations?.[0]?.Id).toMatch(/^\S+$/);
  });

  test.each<[string, NotificationConfiguration]>([
    [
      'an unknown event',
      {
        QueueConfigurations: [
          { QueueArn: 'arn:aws:sqs:us-east-1:123456789012:q', Events: ['s3:ObjectExploded' as 's3:ObjectCreated:*'] },
        ],
      },
    ],
    [
      'a filter rule other than prefix or suffix',
      {
        QueueConfigurations: [
          {
            QueueArn: 'arn:aws:sqs:us-east-1:123456789012:q',
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'contains' as 'prefix', Value: 'x' }] } },
          },
        ],
      },
    ],
    [
      'two prefix rules',
      {
        QueueConfigurations: [
          {
            QueueArn: 'arn:aws:sqs:us-east-1:123456789012:q',
            Events: ['s3:ObjectCreated:*'],
            Filter: {
              Key: {
                FilterRules: [
                  { Name: 'prefix', Value: 'a' },
                  { Name: 'prefix', Value: 'b' },
                ],
              },
            },
          },
        ],
      },
    ],
    [
      'a queue ARN that is no SQS ARN',
      { QueueConfigurations: [{ QueueArn: 'arn:aws:sns:us-east-1:1:t', Events: ['s3:ObjectCreated:*'] }] },
    ],
  ])('PutBucketNotificationConfiguration: %s is InvalidArgument (400)', async (_label, config) => {
    const b = await h.bucket();
    expect(await refusal(put(b, config))).toMatchObject({ name: 'InvalidArgument', status: 400 });
    expect(await get(b)).toEqual({});
  });
});

describe('Bucket notification configuration: access-log records', () => {
  test.each([
    [
      'PutBucketNotificationConfiguration',
      'REST.PUT.NOTIFICATION',
      (b: string) => put(b, { EventBridgeConfiguration: {} }),
    ],
    [
      'GetBucketNotificationConfiguration',
      'REST.GET.NOTIFICATION',
      (b: string) => h.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b })),
    ],
  ] as const)('%s: the delivered record is %s with key - and status 200', async (_name, operation, run) => {
    const b = await h.loggedBucket();
    const id = requestIdOf(await run(b));
    expect(await h.deliveredRecord(b, id)).toMatchObject({ operation, key: '-', httpStatus: '200', bucket: b });
  });
});
