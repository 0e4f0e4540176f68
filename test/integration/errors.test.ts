import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { bodyText, expect, SIGNED_AUTH, test, xmlText, type RawResponse } from '../helpers/server.js';

function expectIds(res: RawResponse): void {
  // AWS request ids are 16 uppercase hex digits; host ids are base64.
  expect(res.header('x-amz-request-id')).toMatch(/^[0-9A-F]{16}$/);
  expect(res.header('x-amz-id-2')).toMatch(/^[A-Za-z0-9+/=]{20,}$/);
}

describe('error responses', () => {
  test('GetObject: the XML error has Code, Message, Resource, RequestId and HostId matching the headers', async ({
    raw,
    bucket,
  }) => {
    const res = await raw('GET', `/${bucket}/missing/key.txt`);
    expect(res.status).toBe(404);
    expect(res.header('content-type')).toBe('application/xml');
    expect(res.text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<Error>/);
    expect(xmlText(res.text, 'Code')).toBe('NoSuchKey');
    expect(xmlText(res.text, 'Message')).toBe('The specified key does not exist.');
    expect(xmlText(res.text, 'Key')).toBe('missing/key.txt');
    expect(xmlText(res.text, 'Resource')).toBe(`/${bucket}/missing/key.txt`);
    expect(xmlText(res.text, 'RequestId')).toBe(res.header('x-amz-request-id'));
    expect(xmlText(res.text, 'HostId')).toBe(res.header('x-amz-id-2'));
    expectIds(res);
  });

  test('ListObjectsV2: the XML error of a missing bucket names the bucket', async ({ raw }) => {
    const res = await raw('GET', '/no-such-bucket-here?list-type=2');
    expect(res.status).toBe(404);
    expect(xmlText(res.text, 'Code')).toBe('NoSuchBucket');
    expect(xmlText(res.text, 'BucketName')).toBe('no-such-bucket-here');
    expect(xmlText(res.text, 'RequestId')).toBe(res.header('x-amz-request-id'));
  });

  test('Any operation: every response carries x-amz-request-id and x-amz-id-2, each request its own', async ({
    raw,
    bucket,
  }) => {
    const responses = [
      await raw('GET', '/'),
      await raw('PUT', `/${bucket}/k`, { body: 'x' }),
      await raw('GET', `/${bucket}/k`),
      await raw('HEAD', `/${bucket}/k`),
      await raw('GET', `/${bucket}/k`, { headers: { 'if-none-match': '*' } }),
      await raw('HEAD', `/${bucket}/absent`),
      await raw('GET', `/${bucket}?list-type=2`),
      await raw('DELETE', `/${bucket}/k`),
      await raw('GET', `/${bucket}?analytics`),
      await raw('GET', '/', { anonymous: true }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 304, 404, 200, 204, 501, 403]);
    for (const res of responses) expectIds(res);
    expect(new Set(responses.map((r) => r.header('x-amz-request-id'))).size).toBe(responses.length);
  });

  test.for([
    ['GetBucketAnalyticsConfiguration', 'GET', '?analytics'],
    ['PutBucketReplication', 'PUT', '?replication'],
  ])('%s: an operation s3scribe lacks is 501 NotImplemented XML', async ([, method, query], { raw, bucket }) => {
    const res = await raw(method, `/${bucket}${query}`);
    expect(res.status).toBe(501);
    expect(res.header('content-type')).toBe('application/xml');
    expect(xmlText(res.text, 'Code')).toBe('NotImplemented');
    expect(xmlText(res.text, 'RequestId')).toBe(res.header('x-amz-request-id'));
  });

  test('ListObjectVersions: an unversioned bucket lists each object once, as version null', async ({ raw, bucket }) => {
    await raw('PUT', `/${bucket}/k`, { body: 'x' });
    const res = await raw('GET', `/${bucket}?versions`);
    expect(res.status).toBe(200);
    expect(xmlText(res.text, 'Key')).toBe('k');
    expect(xmlText(res.text, 'VersionId')).toBe('null');
    expect(xmlText(res.text, 'IsLatest')).toBe('true');
  });

  test('GetBucketCors: a bucket without CORS is 404 NoSuchCORSConfiguration', async ({ raw, bucket }) => {
    const res = await raw('GET', `/${bucket}?cors`);
    expect(res.status).toBe(404);
    expect(xmlText(res.text, 'Code')).toBe('NoSuchCORSConfiguration');
  });

  test('ListBuckets: an anonymous request is 403 AccessDenied', async ({ raw }) => {
    const res = await raw('GET', '/', { anonymous: true });
    expect(res.status).toBe(403);
    expect(xmlText(res.text, 'Code')).toBe('AccessDenied');
    expect(xmlText(res.text, 'Message')).toBe('Access Denied');
  });

  test('GetObject / PutObject: anonymous requests are 403 AccessDenied and write nothing', async ({
    raw,
    s3,
    bucket,
  }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'private', Body: 'secret' }));
    const get = await raw('GET', `/${bucket}/private`, { anonymous: true });
    expect(get.status).toBe(403);
    expect(xmlText(get.text, 'Code')).toBe('AccessDenied');
    expect(get.text).not.toContain('secret');
    const put = await raw('PUT', `/${bucket}/private`, { anonymous: true, body: 'overwritten' });
    expect(put.status).toBe(403);
    expect(await bodyText((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'private' }))).Body)).toBe(
      'secret',
    );
  });

  test('HeadObject: a missing key is 404 with an empty body', async ({ raw, bucket }) => {
    const res = await raw('HEAD', `/${bucket}/absent`);
    expect(res.status).toBe(404);
    expect(res.body.length).toBe(0);
    expectIds(res);
  });

  test('Unmatched request: PATCH on an object is 405 MethodNotAllowed', async ({ raw, bucket }) => {
    const res = await raw('PATCH', `/${bucket}/k`, { body: 'x' });
    expect(res.status).toBe(405);
    expect(xmlText(res.text, 'Code')).toBe('MethodNotAllowed');
  });
});

describe('request framing', () => {
  test('PutObject: Expect: 100-continue gets 100 Continue, then the upload succeeds', async ({
    server,
    s3,
    bucket,
  }) => {
    const body = 'sent after 100 Continue';
    let continued = false;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest(`${server.url}/${bucket}/continued`, {
        method: 'PUT',
        headers: { expect: '100-continue', 'content-length': Buffer.byteLength(body), authorization: SIGNED_AUTH },
      });
      req.on('continue', () => {
        continued = true;
        req.end(body);
      });
      req.on('response', resolve);
      req.on('error', reject);
    });
    res.resume();
    expect(continued).toBe(true);
    expect(res.statusCode).toBe(200);
    expect(await bodyText((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'continued' }))).Body)).toBe(body);
  });

  test('PutObject: plain Transfer-Encoding: chunked without a length stores the whole body', async ({
    raw,
    s3,
    bucket,
  }) => {
    // AWS itself answers 501 NotImplemented (Header: Transfer-Encoding) here; s3scribe accepts
    // HTTP chunked uploads on purpose, as clients and ceph/s3-tests
    // (test_object_write_with_chunked_transfer_encoding) send them.
    const res = await raw('PUT', `/${bucket}/chunked`, {
      body: Readable.from([Buffer.from('part one, '), Buffer.from('part two')]),
    });
    expect(res.status).toBe(200);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'chunked' }));
    expect(await got.Body!.transformToString()).toBe('part one, part two');
  });
});
