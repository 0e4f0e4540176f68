import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { request } from 'undici';
import { describe } from 'vitest';
import { s3ClientForUrl, startCliServer } from '../helpers/child-server.js';
import { expect, freshBucket, makeDataRoot, test, xmlText } from '../helpers/server.js';

// The admin endpoints are unauthenticated, so a web page the developer has open must not be able
// to reach them: a browser sends "simple" cross-site POSTs (text/plain, form bodies) without a
// preflight, but cannot add a custom header without one. Tests in a file run in order; the one
// whose accepted reset wipes the server comes last.

const bucketExists = (s3: S3Client, bucket: string): Promise<boolean> =>
  s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
    () => true,
    () => false,
  );

const objectExists = (s3: S3Client, bucket: string, key: string): Promise<boolean> =>
  s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    () => false,
  );

describe('admin safety', () => {
  // Defect 15: the health document is unauthenticated; it must not disclose the server's filesystem.
  test('Admin: GET /_s3scribe/health does not reveal the absolute data-dir path', async ({ raw, dataDir, server }) => {
    const res = await raw('GET', '/_s3scribe/health', { anonymous: true });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(dataDir);
    expect(res.text).not.toContain(server.dataDir);
  });

  // Defect 6: a cross-site "simple" request (Origin of another site, text/plain) wipes everything.
  test('Admin: a cross-site text/plain POST /_s3scribe/reset is refused (403) and keeps every bucket', async ({
    raw,
    s3,
  }) => {
    const kept = await freshBucket(s3, 'csrf');
    const res = await raw('POST', '/_s3scribe/reset', {
      anonymous: true,
      headers: { origin: 'http://evil.example', 'content-type': 'text/plain' },
      body: 'x',
    });
    expect.soft(res.status).toBe(403);
    expect.soft(await bucketExists(s3, kept), 'bucket after the cross-site reset').toBe(true);

    // Nor may a preflight open the door for a non-simple request from that page.
    const pre = await raw('OPTIONS', '/_s3scribe/reset', {
      anonymous: true,
      headers: {
        origin: 'http://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-s3scribe-admin',
      },
    });
    expect.soft(pre.header('access-control-allow-origin')).toBeUndefined();
  });

  // Defect 6: a text/plain cross-site form can carry a DeleteObjects document; S3 requires
  // Content-MD5 (or an x-amz-checksum-* header) on every DeleteObjects request.
  test('DeleteObjects: a text/plain body without Content-MD5 or x-amz-checksum-* is InvalidRequest (400), nothing deleted', async ({
    raw,
    s3,
    bucket,
  }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'one', Body: '1' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'two', Body: '2' }));
    const res = await raw('POST', `/${bucket}?delete`, {
      headers: { 'content-type': 'text/plain' },
      body: '<Delete><Object><Key>one</Key></Object><Object><Key>two</Key></Object></Delete>',
    });
    expect.soft({ status: res.status, code: xmlText(res.text, 'Code') }).toEqual({
      status: 400,
      code: 'InvalidRequest',
    });
    expect.soft([await objectExists(s3, bucket, 'one'), await objectExists(s3, bucket, 'two')]).toEqual([true, true]);
  });

  // Defect 6: `--admin off` removes the admin endpoints; reset is then an unknown path.
  test('Admin: with --admin off, POST /_s3scribe/reset is 404 and keeps every bucket', async () => {
    const root = await makeDataRoot();
    const child = await startCliServer(['--data-dir', join(root, 'data'), '--admin', 'off']).catch(async (err) => {
      await rm(root, { recursive: true, force: true });
      throw err;
    });
    const s3 = s3ClientForUrl(child.url);
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
      const res = await request(`${child.url}/_s3scribe/reset`, {
        method: 'POST',
        headers: { 'x-s3scribe-admin': '1' },
      });
      await res.body.dump();
      expect(res.statusCode).toBe(404);
      expect(await bucketExists(s3, 'kept')).toBe(true);
    } finally {
      s3.destroy();
      await child.kill9();
      await rm(root, { recursive: true, force: true });
    }
  });

  // Defect 6: the accepted form carries `x-s3scribe-admin`, which no simple cross-site request can.
  // Last in the file: the accepted reset empties this file's server.
  test('Admin: POST /_s3scribe/reset without x-s3scribe-admin is 403; with x-s3scribe-admin: 1 it resets', async ({
    raw,
    s3,
  }) => {
    const bucket = await freshBucket(s3, 'hdr');
    const refused = await raw('POST', '/_s3scribe/reset', {
      anonymous: true,
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(refused.status).toBe(403);
    expect(await bucketExists(s3, bucket)).toBe(true);

    const accepted = await raw('POST', '/_s3scribe/reset', { anonymous: true, headers: { 'x-s3scribe-admin': '1' } });
    expect(accepted.status).toBe(200);
    expect(await bucketExists(s3, bucket)).toBe(false);
  });
});
