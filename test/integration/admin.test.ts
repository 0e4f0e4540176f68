import {
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { bodyText, expect, expectS3Error, freshBucket, test } from '../helpers/server.js';

// s3scribe's own endpoints: JSON, no S3 auth. Tests in a file run in order; reset comes last.
describe('admin endpoints', () => {
  test('GET /_s3scribe/health: JSON status and version, no paths', async ({ raw, dataDir }) => {
    const res = await raw('GET', '/_s3scribe/health', { anonymous: true });
    expect(res.status).toBe(200);
    expect(res.header('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(res.text) as { status: string; version: string };
    expect(body.status).toBe('ok');
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(body).sort()).toEqual(['status', 'version']);
    expect(res.text).not.toContain(dataDir);
    // A JSON answer ends its line, so curl leaves the prompt where it belongs.
    expect(res.text.endsWith('}\n')).toBe(true);
    const flushed = await raw('POST', '/_s3scribe/logs/flush', {
      anonymous: true,
      headers: { 'x-s3scribe-admin': '1' },
    });
    expect(flushed.text).toMatch(/^\{"flushed":\{"records":\d+,"objects":\d+\}\}\n$/);
  });

  test('POST /_s3scribe/reset: empties every bucket, object and upload; the server keeps working', async ({
    raw,
    s3,
  }) => {
    const a = await freshBucket(s3, 'reset-a');
    const b = await freshBucket(s3, 'reset-b');
    await s3.send(new PutObjectCommand({ Bucket: a, Key: 'k', Body: 'x' }));
    await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'pending' }));

    const res = await raw('POST', '/_s3scribe/reset', { anonymous: true, headers: { 'x-s3scribe-admin': '1' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ reset: true });

    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    await expectS3Error(s3.send(new HeadBucketCommand({ Bucket: a })), 'NotFound', 404);
    await expectS3Error(s3.send(new HeadBucketCommand({ Bucket: b })), 'NotFound', 404);

    const again = await freshBucket(s3, 'reset-a');
    await s3.send(new PutObjectCommand({ Bucket: again, Key: 'k', Body: 'after reset' }));
    expect(await bodyText((await s3.send(new GetObjectCommand({ Bucket: again, Key: 'k' }))).Body)).toBe('after reset');
  });
});
