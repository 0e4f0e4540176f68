import {
  DeleteBucketWebsiteCommand,
  GetBucketWebsiteCommand,
  PutBucketWebsiteCommand,
  type WebsiteConfiguration,
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

const put = (Bucket: string, WebsiteConfiguration: WebsiteConfiguration) =>
  h.s3.send(new PutBucketWebsiteCommand({ Bucket, WebsiteConfiguration }));
const get = async (Bucket: string): Promise<Omit<WebsiteConfiguration, never>> => {
  const { $metadata: _, ...config } = await h.s3.send(new GetBucketWebsiteCommand({ Bucket }));
  return config;
};

describe('Bucket website configuration', () => {
  test('PutBucketWebsite: index, error document and routing rules round-trip; Delete, then NoSuchWebsiteConfiguration', async () => {
    const b = await h.bucket();
    const config: WebsiteConfiguration = {
      IndexDocument: { Suffix: 'index.html' },
      ErrorDocument: { Key: 'errors/404.html' },
      RoutingRules: [
        {
          Condition: { KeyPrefixEquals: 'docs/' },
          Redirect: { ReplaceKeyPrefixWith: 'documents/', HttpRedirectCode: '301' },
        },
        {
          Condition: { HttpErrorCodeReturnedEquals: '404' },
          Redirect: { HostName: 'example.com', Protocol: 'https', ReplaceKeyWith: 'missing.html' },
        },
      ],
    };
    expect((await put(b, config)).$metadata.httpStatusCode).toBe(200);
    expect(await get(b)).toEqual(config);
    expect((await h.s3.send(new DeleteBucketWebsiteCommand({ Bucket: b }))).$metadata.httpStatusCode).toBe(204);
    expect(await refusal(h.s3.send(new GetBucketWebsiteCommand({ Bucket: b })))).toMatchObject({
      name: 'NoSuchWebsiteConfiguration',
      status: 404,
    });
  });

  test('PutBucketWebsite: RedirectAllRequestsTo alone round-trips', async () => {
    const b = await h.bucket();
    const config = { RedirectAllRequestsTo: { HostName: 'www.example.com', Protocol: 'https' as const } };
    await put(b, config);
    expect(await get(b)).toEqual(config);
  });

  test('GetBucketWebsite: never configured is NoSuchWebsiteConfiguration (404) naming the bucket', async () => {
    const b = await h.bucket();
    const res = await h.raw('GET', `/${b}?website`);
    expect(res.status).toBe(404);
    expect(errorOf(res.text)).toEqual({
      code: 'NoSuchWebsiteConfiguration',
      message: 'The specified bucket does not have a website configuration',
    });
    expect(res.text).toContain(`<BucketName>${b}</BucketName>`);
  });

  test.each<[string, WebsiteConfiguration, string, string]>([
    [
      'no IndexDocument',
      { ErrorDocument: { Key: 'e.html' } },
      'InvalidArgument',
      'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty',
    ],
    [
      'an empty Suffix',
      { IndexDocument: { Suffix: '' } },
      'InvalidArgument',
      'The IndexDocument Suffix is not well formed',
    ],
    [
      'a Suffix with a slash',
      { IndexDocument: { Suffix: 'a/index.html' } },
      'InvalidArgument',
      'The IndexDocument Suffix is not well formed',
    ],
    [
      'RedirectAllRequestsTo with an IndexDocument',
      { IndexDocument: { Suffix: 'index.html' }, RedirectAllRequestsTo: { HostName: 'example.com' } },
      'InvalidArgument',
      'RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.',
    ],
    [
      'a protocol other than http or https',
      { RedirectAllRequestsTo: { HostName: 'example.com', Protocol: 'ftp' as 'http' } },
      'InvalidRequest',
      'Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.',
    ],
    [
      'ReplaceKeyWith and ReplaceKeyPrefixWith together',
      {
        IndexDocument: { Suffix: 'index.html' },
        RoutingRules: [{ Redirect: { ReplaceKeyWith: 'a', ReplaceKeyPrefixWith: 'b' } }],
      },
      'InvalidRequest',
      'You can only define ReplaceKeyPrefix or ReplaceKey but not both.',
    ],
    [
      'redirect code 300',
      { IndexDocument: { Suffix: 'index.html' }, RoutingRules: [{ Redirect: { HttpRedirectCode: '300' } }] },
      'InvalidRequest',
      'The provided HTTP redirect code (300) is not valid. Valid codes are 3XX except 300.',
    ],
    [
      '51 routing rules',
      {
        IndexDocument: { Suffix: 'index.html' },
        RoutingRules: Array.from({ length: 51 }, () => ({ Redirect: { HostName: 'example.com' } })),
      },
      'InvalidRequest',
      '51 routing rules provided, the number of routing rules in a website configuration is limited to 50.',
    ],
  ])('PutBucketWebsite: %s is %s (400)', async (_label, config, name, message) => {
    const b = await h.bucket();
    expect(await refusal(put(b, config))).toMatchObject({ name, status: 400, message });
    expect(await refusal(h.s3.send(new GetBucketWebsiteCommand({ Bucket: b })))).toMatchObject({
      name: 'NoSuchWebsiteConfiguration',
    });
  });

  test('PutBucketWebsite: 50 routing rules are accepted', async () => {
    const b = await h.bucket();
    const RoutingRules = Array.from({ length: 50 }, (_, i) => ({
      Condition: { KeyPrefixEquals: `old${i}/` },
      Redirect: { ReplaceKeyPrefixWith: `new${i}/` },
    }));
    await put(b, { IndexDocument: { Suffix: 'index.html' }, RoutingRules });
    expect((await get(b)).RoutingRules).toHaveLength(50);
  });

  test.each([
    [
      'an ErrorDocument without a Key',
      '<WebsiteConfiguration><IndexDocument><Suffix>i.html</Suffix></IndexDocument><ErrorDocument/></WebsiteConfiguration>',
    ],
    [
      'an empty RoutingRules',
      '<WebsiteConfiguration><IndexDocument><Suffix>i.html</Suffix></IndexDocument><RoutingRules/></WebsiteConfiguration>',
    ],
    [
      'a RoutingRule without a Redirect',
      '<WebsiteConfiguration><IndexDocument><Suffix>i.html</Suffix></IndexDocument><RoutingRules><RoutingRule/></RoutingRules></WebsiteConfiguration>',
    ],
    [
      'RedirectAllRequestsTo without a HostName',
      '<WebsiteConfiguration><RedirectAllRequestsTo><Protocol>https</Protocol></RedirectAllRequestsTo></WebsiteConfiguration>',
    ],
  ])('PutBucketWebsite: %s is MalformedXML (400)', async (_label, body) => {
    const b = await h.bucket();
    const res = await h.raw('PUT', `/${b}?website`, { body });
    expect(res.status).toBe(400);
    expect(errorOf(res.text).code).toBe('MalformedXML');
  });
});

describe('Bucket website configuration: access-log records', () => {
  const config = { IndexDocument: { Suffix: 'index.html' } };
  test.each([
    ['PutBucketWebsite', 'REST.PUT.WEBSITE', 200, (b: string) => put(b, config)],
    [
      'GetBucketWebsite',
      'REST.GET.WEBSITE',
      200,
      async (b: string) => {
        await put(b, config);
        return h.s3.send(new GetBucketWebsiteCommand({ Bucket: b }));
      },
    ],
    [
      'DeleteBucketWebsite',
      'REST.DELETE.WEBSITE',
      204,
      (b: string) => h.s3.send(new DeleteBucketWebsiteCommand({ Bucket: b })),
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
