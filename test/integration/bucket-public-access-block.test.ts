import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeletePublicAccessBlockCommand,
  GetObjectCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
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

const publicRead = (b: string, extra: object = {}): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*`, ...extra }],
  });

describe('PublicAccessBlock: enforcement', () => {
  test.each(['public-read', 'public-read-write', 'authenticated-read'] as const)(
    'BlockPublicAcls: a %s ACL on the bucket, an object or a new object is 403 AccessDenied; private passes',
    async (acl) => {
      const b = await h.bucket();
      await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x' }));
      await put(b, { BlockPublicAcls: true });
      const denied = { name: 'AccessDenied', status: 403 };
      expect(await refusal(h.s3.send(new PutBucketAclCommand({ Bucket: b, ACL: acl })))).toMatchObject(denied);
      expect(await refusal(h.s3.send(new PutObjectAclCommand({ Bucket: b, Key: 'k', ACL: acl })))).toMatchObject(
        denied,
      );
      expect(await refusal(h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'n', Body: '', ACL: acl })))).toMatchObject(
        denied,
      );
      expect(
        await refusal(h.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'c', CopySource: `${b}/k`, ACL: acl }))),
      ).toMatchObject(denied);
      expect(
        await refusal(h.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'm', ACL: acl }))),
      ).toMatchObject(denied);
      await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'p', Body: '', ACL: 'private' }));
      await h.s3.send(new PutBucketAclCommand({ Bucket: b, ACL: 'private' }));
    },
  );

  test('BlockPublicAcls: a grant header or an ACL document naming AllUsers is 403 too', async () => {
    const b = await h.bucket();
    await put(b, { BlockPublicAcls: true });
    const allUsers = 'uri="http://acs.amazonaws.com/groups/global/AllUsers"';
    expect(
      await refusal(h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'g', Body: '', GrantRead: allUsers }))),
    ).toMatchObject({ name: 'AccessDenied', status: 403 });
    const owner = (await h.raw('GET', `/${b}?acl`)).text.match(/<ID>([^<]+)<\/ID>/)![1];
    const doc =
      '<AccessControlPolicy><Owner><ID>' +
      owner +
      '</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>';
    const res = await h.raw('PUT', `/${b}?acl`, { body: doc });
    expect(res.status).toBe(403);
    expect(errorOf(res.text).code).toBe('AccessDenied');
  });

  test('BlockPublicPolicy: a policy that grants "*" is 403 AccessDenied; one restricted to a source IP passes', async () => {
    const b = await h.bucket();
    await put(b, { BlockPublicPolicy: true });
    expect(await refusal(h.s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: publicRead(b) })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
    const restricted = publicRead(b, { Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } });
    expect(
      (await h.s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: restricted }))).$metadata.httpStatusCode,
    ).toBe(204);
  });

  test('RestrictPublicBuckets and IgnorePublicAcls: anonymous reads a public policy or ACL allowed are refused', async () => {
    const b = await h.bucket();
    await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'by-policy', Body: 'p' }));
    await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'by-acl', Body: 'a', ACL: 'public-read' }));
    await h.s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: publicRead(b) }));
    expect((await h.raw('GET', `/${b}/by-policy`, { anonymous: true })).status).toBe(200);
    await put(b, { RestrictPublicBuckets: true });
    expect((await h.raw('GET', `/${b}/by-policy`, { anonymous: true })).status).toBe(403);
    // The owner still reads it.
    expect((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'by-policy' }))).$metadata.httpStatusCode).toBe(200);
    await h.s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }));
    await h.s3.send(
      new PutBucketPolicyCommand({
        Bucket: b,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${b}/*` }],
        }),
      }),
    );
    expect((await h.raw('GET', `/${b}/by-acl`, { anonymous: true })).status).toBe(200);
    await put(b, { IgnorePublicAcls: true });
    expect((await h.raw('GET', `/${b}/by-acl`, { anonymous: true })).status).toBe(403);
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
