import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { bodyText, expect, expectS3Error, freshBucket, test } from '../helpers/server.js';

const md5Hex = (data: string): string => createHash('md5').update(data).digest('hex');

async function putSource(s3: S3Client, bucket: string, key = 'src', body = 'source body'): Promise<string> {
  const out = await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: 'text/x-source',
      CacheControl: 'max-age=5',
      Metadata: { origin: 'source' },
    }),
  );
  return out.ETag!;
}

describe('CopyObject', () => {
  test('CopyObject: within a bucket copies bytes and, by default, metadata', async ({ s3, bucket }) => {
    const etag = await putSource(s3, bucket);
    const out = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst', CopySource: `${bucket}/src` }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.CopyObjectResult?.ETag).toBe(etag);
    expect(out.CopyObjectResult?.ETag).toBe(`"${md5Hex('source body')}"`);
    expect(out.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dst' }));
    expect(await bodyText(got.Body)).toBe('source body');
    expect(got.ContentType).toBe('text/x-source');
    expect(got.CacheControl).toBe('max-age=5');
    expect(got.Metadata).toEqual({ origin: 'source' });
  });

  test('CopyObject: across buckets', async ({ s3, bucket }) => {
    await putSource(s3, bucket);
    const other = await freshBucket(s3, 'copy-dst');
    await s3.send(new CopyObjectCommand({ Bucket: other, Key: 'copied/here', CopySource: `${bucket}/src` }));
    const got = await s3.send(new GetObjectCommand({ Bucket: other, Key: 'copied/here' }));
    expect(await bodyText(got.Body)).toBe('source body');
    expect(got.Metadata).toEqual({ origin: 'source' });
  });

  test('CopyObject: MetadataDirective COPY ignores metadata sent with the request', async ({ s3, bucket }) => {
    await putSource(s3, bucket);
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'dst',
        CopySource: `${bucket}/src`,
        MetadataDirective: 'COPY',
        ContentType: 'text/ignored',
        Metadata: { ignored: 'yes' },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst' }));
    expect(head.ContentType).toBe('text/x-source');
    expect(head.Metadata).toEqual({ origin: 'source' });
  });

  test("CopyObject: MetadataDirective REPLACE takes the request's metadata only", async ({ s3, bucket }) => {
    await putSource(s3, bucket);
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'dst',
        CopySource: `${bucket}/src`,
        MetadataDirective: 'REPLACE',
        ContentType: 'application/x-new',
        Metadata: { fresh: 'true' },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst' }));
    expect(head.ContentType).toBe('application/x-new');
    expect(head.CacheControl).toBeUndefined();
    expect(head.Metadata).toEqual({ fresh: 'true' });
    expect(head.ContentLength).toBe('source body'.length);
  });

  test('CopyObject: a URL-encoded source key with spaces, plus signs and non-ASCII', async ({ s3, bucket }) => {
    const key = 'dir/ä b+c&d';
    await putSource(s3, bucket, key, 'odd key');
    await s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'dst', CopySource: `${bucket}/${encodeURIComponent(key)}` }),
    );
    expect(await bodyText((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dst' }))).Body)).toBe('odd key');
  });

  test('CopyObject: copy-source If-Match with the source ETag succeeds, another ETag is 412', async ({
    s3,
    bucket,
  }) => {
    const etag = await putSource(s3, bucket);
    const ok = await s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'dst', CopySource: `${bucket}/src`, CopySourceIfMatch: etag }),
    );
    expect(ok.$metadata.httpStatusCode).toBe(200);
    await expectS3Error(
      s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'dst2',
          CopySource: `${bucket}/src`,
          CopySourceIfMatch: '"00000000000000000000000000000000"',
        }),
      ),
      'PreconditionFailed',
      412,
    );
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst2' })), 'NotFound', 404);
  });

  test('CopyObject: copy-source If-None-Match with the source ETag is 412, another ETag succeeds', async ({
    s3,
    bucket,
  }) => {
    const etag = await putSource(s3, bucket);
    await expectS3Error(
      s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'dst',
          CopySource: `${bucket}/src`,
          CopySourceIfNoneMatch: etag,
        }),
      ),
      'PreconditionFailed',
      412,
    );
    const ok = await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'dst',
        CopySource: `${bucket}/src`,
        CopySourceIfNoneMatch: '"00000000000000000000000000000000"',
      }),
    );
    expect(ok.$metadata.httpStatusCode).toBe(200);
  });

  test('CopyObject: onto itself without REPLACE is InvalidRequest (400)', async ({ s3, bucket }) => {
    await putSource(s3, bucket);
    await expectS3Error(
      s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'src', CopySource: `${bucket}/src` })),
      'InvalidRequest',
      400,
    );
  });

  test('CopyObject: onto itself with REPLACE rewrites the metadata', async ({ s3, bucket }) => {
    await putSource(s3, bucket);
    const out = await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'src',
        CopySource: `${bucket}/src`,
        MetadataDirective: 'REPLACE',
        Metadata: { updated: '1' },
        ContentType: 'text/updated',
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'src' }));
    expect(got.Metadata).toEqual({ updated: '1' });
    expect(got.ContentType).toBe('text/updated');
    expect(await bodyText(got.Body)).toBe('source body');
  });

  test('CopyObject: a missing source key is NoSuchKey (404)', async ({ s3, bucket }) => {
    await expectS3Error(
      s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst', CopySource: `${bucket}/absent` })),
      'NoSuchKey',
      404,
    );
  });

  test('CopyObject: a missing source bucket is NoSuchBucket (404)', async ({ s3, bucket }) => {
    await expectS3Error(
      s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst', CopySource: `missing-${Date.now()}/src` })),
      'NoSuchBucket',
      404,
    );
  });

  test('CopyObject: a missing destination bucket is NoSuchBucket (404)', async ({ s3, bucket }) => {
    await putSource(s3, bucket);
    await expectS3Error(
      s3.send(new CopyObjectCommand({ Bucket: `missing-${Date.now()}`, Key: 'dst', CopySource: `${bucket}/src` })),
      'NoSuchBucket',
      404,
    );
  });
});
