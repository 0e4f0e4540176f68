import {
  type CORSRule,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketAclCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
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

const putCors = (Bucket: string, CORSRules: CORSRule[]) =>
  h.s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules } }));

/** A browser's preflight: unsigned, with Origin and the method (and headers) it means to use. */
const preflight = (path: string, headers: Record<string, string>) =>
  h.raw('OPTIONS', path, { headers, anonymous: true });

const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-credentials',
];
const corsHeadersOf = (headers: Record<string, string | string[] | undefined>): Record<string, unknown> =>
  Object.fromEntries(CORS_HEADERS.filter((n) => headers[n] !== undefined).map((n) => [n, headers[n]]));

describe('Bucket CORS configuration', () => {
  test('PutBucketCors: Put, Get and Delete round-trip (every member, rules in order), then NoSuchCORSConfiguration', async () => {
    const b = await h.bucket();
    const rules: CORSRule[] = [
      {
        ID: 'uploads',
        AllowedHeaders: ['Authorization', 'x-amz-*'],
        AllowedMethods: ['PUT', 'POST', 'DELETE'],
        AllowedOrigins: ['https://app.example.com', 'https://*.example.org'],
        ExposeHeaders: ['ETag', 'x-amz-request-id'],
        MaxAgeSeconds: 3000,
      },
      { AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: ['*'] },
    ];
    expect((await putCors(b, rules)).$metadata.httpStatusCode).toBe(200);
    const got = await h.s3.send(new GetBucketCorsCommand({ Bucket: b }));
    expect(got.$metadata.httpStatusCode).toBe(200);
    expect(got.CORSRules).toEqual(rules);
    const del = await h.s3.send(new DeleteBucketCorsCommand({ Bucket: b }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect(await refusal(h.s3.send(new GetBucketCorsCommand({ Bucket: b })))).toMatchObject({
      name: 'NoSuchCORSConfiguration',
      status: 404,
    });
    // Deleting again is still 204.
    expect((await h.s3.send(new DeleteBucketCorsCommand({ Bucket: b }))).$metadata.httpStatusCode).toBe(204);
  });

  test('GetBucketCors: never configured is NoSuchCORSConfiguration (404) naming the bucket', async () => {
    const b = await h.bucket();
    const res = await h.raw('GET', `/${b}?cors`);
    expect(res.status).toBe(404);
    expect(errorOf(res.text)).toEqual({
      code: 'NoSuchCORSConfiguration',
      message: 'The CORS configuration does not exist',
    });
    expect(res.text).toContain(`<BucketName>${b}</BucketName>`);
  });

  test.each(['OPTIONS', 'PATCH', 'get', ''])(
    'PutBucketCors: AllowedMethod %j is InvalidRequest naming the method',
    async (method) => {
      const b = await h.bucket();
      expect(await refusal(putCors(b, [{ AllowedMethods: ['GET', method], AllowedOrigins: ['*'] }]))).toMatchObject({
        name: 'InvalidRequest',
        status: 400,
        message: `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`,
      });
    },
  );

  test.each([
    [
      'two wildcards in an AllowedOrigin',
      { AllowedMethods: ['GET'], AllowedOrigins: ['*example*.com'] },
      'AllowedOrigin "*example*.com" can not have more than one wildcard.',
    ],
    [
      'two wildcards in an AllowedHeader',
      { AllowedMethods: ['GET'], AllowedOrigins: ['*'], AllowedHeaders: ['x-*-*'] },
      'AllowedHeader "x-*-*" can not have more than one wildcard.',
    ],
    [
      'a wildcard in an ExposeHeader',
      { AllowedMethods: ['GET'], AllowedOrigins: ['*'], ExposeHeaders: ['x-amz-*'] },
      'ExposeHeader "x-amz-*" contains wildcard. We currently do not support wildcard for ExposeHeader.',
    ],
  ])('PutBucketCors: %s is InvalidRequest (400)', async (_label, rule, message) => {
    const b = await h.bucket();
    expect(await refusal(putCors(b, [rule]))).toMatchObject({ name: 'InvalidRequest', status: 400, message });
  });

  test('PutBucketCors: 100 rules are accepted, 101 are MalformedXML', async () => {
    const b = await h.bucket();
    const rules = (n: number): CORSRule[] =>
      Array.from({ length: n }, (_, i) => ({ AllowedMethods: ['GET'], AllowedOrigins: [`https://${i}.example.com`] }));
    await putCors(b, rules(100));
    expect((await h.s3.send(new GetBucketCorsCommand({ Bucket: b }))).CORSRules).toHaveLength(100);
    expect(await refusal(putCors(b, rules(101)))).toMatchObject({ name: 'MalformedXML', status: 400 });
  });

  test.each([
    ['no rules', '<CORSConfiguration/>'],
    [
      'a rule without an origin',
      '<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>',
    ],
    [
      'a rule without a method',
      '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>',
    ],
    [
      'a MaxAgeSeconds that is not a number',
      '<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin><MaxAgeSeconds>soon</MaxAgeSeconds></CORSRule></CORSConfiguration>',
    ],
  ])('PutBucketCors: %s is MalformedXML (400)', async (_label, body) => {
    const b = await h.bucket();
    const res = await h.raw('PUT', `/${b}?cors`, { body });
    expect(res.status).toBe(400);
    expect(errorOf(res.text).code).toBe('MalformedXML');
  });
});

describe('CORS preflight (OPTIONS) and actual requests', () => {
  test('OptionsPreflight: without an Origin header, 400 BadRequest before anything else', async () => {
    const res = await preflight('/no-such-bucket-anywhere/key', {});
    expect(res.status).toBe(400);
    expect(errorOf(res.text)).toEqual({
      code: 'BadRequest',
      message: 'Insufficient information. Origin request header needed.',
    });
  });

  test('OptionsPreflight: a missing bucket is 403 AccessForbidden "Bucket not found"', async () => {
    const res = await preflight('/no-such-bucket-anywhere/key', {
      origin: 'https://app.example.com',
      'access-control-request-method': 'PUT',
    });
    expect(res.status).toBe(403);
    expect(errorOf(res.text)).toEqual({ code: 'AccessForbidden', message: 'CORSResponse: Bucket not found' });
  });

  test('OptionsPreflight: a bucket without CORS is 403 "CORS is not enabled", Method and ResourceType BUCKET', async () => {
    const b = await h.bucket();
    const res = await preflight(`/${b}/photo.jpg`, {
      origin: 'https://app.example.com',
      'access-control-request-method': 'PUT',
    });
    expect(res.status).toBe(403);
    expect(errorOf(res.text)).toEqual({
      code: 'AccessForbidden',
      message: 'CORSResponse: CORS is not enabled for this bucket.',
    });
    expect(res.text).toContain('<Method>PUT</Method><ResourceType>BUCKET</ResourceType>');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  test("OptionsPreflight: a browser-like preflight that matches is 200 with the rule's headers and no body", async () => {
    const b = await h.bucket();
    await putCors(b, [
      { AllowedMethods: ['GET'], AllowedOrigins: ['https://other.example.com'] },
      {
        AllowedMethods: ['GET', 'PUT'],
        AllowedOrigins: ['https://*.example.com'],
        AllowedHeaders: ['Content-Type', 'x-amz-*'],
        ExposeHeaders: ['ETag'],
        MaxAgeSeconds: 600,
      },
    ]);
    const res = await preflight(`/${b}/uploads/photo.jpg`, {
      origin: 'https://app.example.com',
      'access-control-request-method': 'PUT',
      // As a browser writes it: lower case, sorted, no spaces.
      'access-control-request-headers': 'content-type,x-amz-date,x-amz-meta-owner',
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
    });
    expect(res.status).toBe(200);
    expect(res.bytes).toBe(0);
    expect(corsHeadersOf(res.headers)).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'GET, PUT',
      'access-control-allow-headers': 'content-type, x-amz-date, x-amz-meta-owner',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '600',
      'access-control-allow-credentials': 'true',
    });
    expect(res.headers.vary).toBe(VARY);
    expect(res.headers['x-amz-request-id']).toBeTruthy();
  });

  test('OptionsPreflight: a rule for every origin answers "*" without Allow-Credentials', async () => {
    const b = await h.bucket();
    await putCors(b, [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }]);
    const res = await preflight(`/${b}`, { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' });
    expect(res.status).toBe(200);
    expect(corsHeadersOf(res.headers)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET',
    });
  });

  test.each([
    ['an origin no rule allows', { origin: 'https://evil.example.net', 'access-control-request-method': 'GET' }],
    ['a method no rule allows', { origin: 'https://app.example.com', 'access-control-request-method': 'DELETE' }],
    [
      'a header no rule allows',
      {
        origin: 'https://app.example.com',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'x-custom',
      },
    ],
    ['a scheme that differs', { origin: 'http://app.example.com', 'access-control-request-method': 'GET' }],
  ])('OptionsPreflight: %s is 403 "This CORS request is not allowed" without CORS headers', async (_label, headers) => {
    const b = await h.bucket();
    await putCors(b, [{ AllowedMethods: ['GET'], AllowedOrigins: ['https://app.example.com'] }]);
    const res = await preflight(`/${b}/k`, headers);
    expect(res.status).toBe(403);
    expect(errorOf(res.text).code).toBe('AccessForbidden');
    expect(errorOf(res.text).message).toMatch(/^CORSResponse: This CORS request is not allowed\./);
    expect(res.text).toContain(
      `<Method>${headers['access-control-request-method']}</Method><ResourceType>OBJECT</ResourceType>`,
    );
    expect(corsHeadersOf(res.headers)).toEqual({});
  });

  test('OptionsPreflight: wildcards match any run of characters, none included, and the whole origin', async () => {
    const b = await h.bucket();
    await putCors(b, [
      { AllowedMethods: ['GET'], AllowedOrigins: ['*suffix'] },
      { AllowedMethods: ['GET'], AllowedOrigins: ['start*end'] },
      { AllowedMethods: ['GET'], AllowedOrigins: ['prefix*'] },
    ]);
    const status = async (origin: string): Promise<number> =>
      (await preflight(`/${b}`, { origin, 'access-control-request-method': 'GET' })).status;
    for (const origin of ['foo.suffix', 'startend', 'start12end', 'prefix', 'prefix.suffix'])
      expect.soft(await status(origin), origin).toBe(200);
    for (const origin of ['foo.bar', 'foo.suffix.get', '0start12end', 'bla.prefix'])
      expect.soft(await status(origin), origin).toBe(403);
  });

  test('OptionsPreflight: with rules but no Access-Control-Request-Method, 400 (ceph/s3-tests)', async () => {
    const b = await h.bucket();
    await putCors(b, [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }]);
    const res = await preflight(`/${b}`, { origin: 'https://app.example.com' });
    expect(res.status).toBe(400);
    expect(errorOf(res.text).code).toBe('BadRequest');
  });

  test('CORS: an actual GET with a matching Origin carries the headers, on success and on error', async () => {
    const b = await h.bucket();
    await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'hello.txt', Body: 'hello' }));
    await h.s3.send(new PutBucketAclCommand({ Bucket: b, ACL: 'public-read' }));
    await putCors(b, [{ AllowedMethods: ['GET'], AllowedOrigins: ['https://*.example.com'], ExposeHeaders: ['ETag'] }]);
    const expected = {
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'GET',
      'access-control-expose-headers': 'ETag',
      'access-control-allow-credentials': 'true',
    };
    const ok = await h.raw('GET', `/${b}/hello.txt`, { headers: { origin: 'https://app.example.com' } });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('hello');
    expect(corsHeadersOf(ok.headers)).toEqual(expected);
    expect(ok.headers.vary).toBe(VARY);
    const missing = await h.raw('GET', `/${b}/nothing-here`, { headers: { origin: 'https://app.example.com' } });
    expect(missing.status).toBe(404);
    expect(corsHeadersOf(missing.headers)).toEqual(expected);
    // No Origin, another origin, or a method no rule allows: served without CORS headers.
    const plain = await h.raw('GET', `/${b}/hello.txt`);
    expect(corsHeadersOf(plain.headers)).toEqual({});
    expect(plain.headers.vary).toBeUndefined();
    const other = await h.raw('GET', `/${b}/hello.txt`, { headers: { origin: 'https://evil.example.net' } });
    expect(other.status).toBe(200);
    expect(corsHeadersOf(other.headers)).toEqual({});
    const put = await h.raw('PUT', `/${b}/new.txt`, { headers: { origin: 'https://app.example.com' }, body: 'x' });
    expect(put.status).toBe(200);
    expect(corsHeadersOf(put.headers)).toEqual({});
  });

  test('CORS: a bucket without rules sends no CORS headers to an actual request', async () => {
    const b = await h.bucket();
    const res = await h.raw('GET', `/${b}?location`, { headers: { origin: 'https://app.example.com' } });
    expect(res.status).toBe(200);
    expect(corsHeadersOf(res.headers)).toEqual({});
  });
});

describe('Bucket CORS: access-log records', () => {
  const rules: CORSRule[] = [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }];
  test.each([
    ['PutBucketCors', 'REST.PUT.CORS', 200, (b: string) => putCors(b, rules)],
    [
      'GetBucketCors',
      'REST.GET.CORS',
      200,
      async (b: string) => {
        await putCors(b, rules);
        return h.s3.send(new GetBucketCorsCommand({ Bucket: b }));
      },
    ],
    ['DeleteBucketCors', 'REST.DELETE.CORS', 204, (b: string) => h.s3.send(new DeleteBucketCorsCommand({ Bucket: b }))],
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

  test('OptionsPreflight: the delivered record is REST.OPTIONS.PREFLIGHT, anonymous, with the key and status', async () => {
    const b = await h.loggedBucket();
    await putCors(b, rules);
    const ok = await preflight(`/${b}/photo.jpg`, {
      origin: 'https://a.example',
      'access-control-request-method': 'GET',
    });
    expect(ok.status).toBe(200);
    expect(await h.deliveredRecord(b, ok.requestId)).toMatchObject({
      operation: 'REST.OPTIONS.PREFLIGHT',
      key: 'photo.jpg',
      httpStatus: '200',
      requester: '-',
      errorCode: '-',
    });
    const bucketLevel = await preflight(`/${b}`, {
      origin: 'https://a.example',
      'access-control-request-method': 'PUT',
    });
    expect(bucketLevel.status).toBe(403);
    expect(await h.deliveredRecord(b, bucketLevel.requestId)).toMatchObject({
      operation: 'REST.OPTIONS.PREFLIGHT',
      key: '-',
      httpStatus: '403',
      errorCode: 'AccessForbidden',
    });
  });
});
