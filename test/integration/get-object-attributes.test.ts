import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  PutBucketLoggingCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { adminFlush, readLogObjects } from '../helpers/access-logs.js';
import { expect, expectS3Error, freshBucket, MiB, test } from '../helpers/server.js';

describe('GetObjectAttributes', () => {
  test('GetObjectAttributes: ETag (unquoted), checksum, size and storage class of a plain object', async ({
    s3,
    bucket,
  }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'hello', ChecksumAlgorithm: 'SHA256' }));
    const res = await s3.send(
      new GetObjectAttributesCommand({
        Bucket: bucket,
        Key: 'k',
        ObjectAttributes: ['ETag', 'Checksum', 'ObjectSize', 'StorageClass'],
      }),
    );
    expect(res.ETag).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(res.Checksum?.ChecksumSHA256).toBe('LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=');
    expect(res.ObjectSize).toBe(5);
    expect(res.StorageClass).toBe('STANDARD');
    expect(res.LastModified).toBeInstanceOf(Date);
  });

  test('GetObjectAttributes: ObjectParts pages the parts of a multipart object', async ({ s3, bucket }) => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'm' }));
    const parts = [];
    for (const [n, size] of [
      [1, 5 * MiB],
      [2, 5 * MiB],
      [3, 10],
    ] as const) {
      const p = await s3.send(
        new UploadPartCommand({ Bucket: bucket, Key: 'm', UploadId, PartNumber: n, Body: Buffer.alloc(size) }),
      );
      parts.push({ PartNumber: n, ETag: p.ETag });
    }
    await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'm', UploadId, MultipartUpload: { Parts: parts } }),
    );
    const res = await s3.send(
      new GetObjectAttributesCommand({ Bucket: bucket, Key: 'm', ObjectAttributes: ['ObjectParts'], MaxParts: 2 }),
    );
    expect(res.ObjectParts).toMatchObject({ TotalPartsCount: 3, IsTruncated: true, NextPartNumberMarker: '2' });
    expect(res.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 5 * MiB],
      [2, 5 * MiB],
    ]);
  });

  test('GetObjectAttributes: a missing key is NoSuchKey; an unknown attribute InvalidArgument', async ({
    s3,
    raw,
    bucket,
  }) => {
    await expectS3Error(
      s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'none', ObjectAttributes: ['ETag'] })),
      'NoSuchKey',
      404,
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
    const res = await raw('GET', `/${bucket}/k?attributes`, { headers: { 'x-amz-object-attributes': 'Color' } });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>InvalidArgument</Code>');
  });

  test('Access log: REST.GET.OBJECT_ATTRIBUTES with the key', async ({ s3, server, bucket }) => {
    const logs = await freshBucket(s3, 'logs');
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket: bucket,
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: logs, TargetPrefix: 'a/' } },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
    await s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'k', ObjectAttributes: ['ObjectSize'] }));
    await adminFlush(server.url);
    const records = (await readLogObjects(s3, logs, 'a/')).flatMap((o) => o.records);
    expect(records.find((r) => r.operation === 'REST.GET.OBJECT_ATTRIBUTES')).toMatchObject({
      key: 'k',
      httpStatus: '200',
    });
  });
});
