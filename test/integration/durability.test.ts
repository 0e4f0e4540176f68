import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { describe, test } from 'vitest';
import { bodyBytes, bodyText, expect, freshBucket, launch, makeDataRoot, MiB, s3ClientFor } from '../helpers/server.js';

describe('durability', () => {
  test('Restart: objects, metadata and an open multipart upload survive close() and a new server', async () => {
    const root = await makeDataRoot();
    const dataDir = join(root, 'data');
    const part1 = Buffer.alloc(5 * MiB, 'a');
    const part2 = Buffer.from('the tail');
    try {
      const first = await launch(dataDir);
      const s3a = s3ClientFor(first);
      const bucket = await freshBucket(s3a, 'durable');
      await s3a.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'docs/readme.txt',
          Body: 'persisted',
          ContentType: 'text/plain',
          CacheControl: 'no-cache',
          Metadata: { author: 'tester' },
        }),
      );
      await s3a.send(new PutObjectCommand({ Bucket: bucket, Key: 'ünï/😀', Body: 'unicode' }));
      const { UploadId } = await s3a.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big.bin', ContentType: 'application/x-big' }),
      );
      const e1 = (
        await s3a.send(new UploadPartCommand({ Bucket: bucket, Key: 'big.bin', UploadId, PartNumber: 1, Body: part1 }))
      ).ETag;
      s3a.destroy();
      await first.close();

      const second = await launch(dataDir);
      const s3b = s3ClientFor(second);
      try {
        expect((await s3b.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain(bucket);
        const listed = await s3b.send(new ListObjectsV2Command({ Bucket: bucket }));
        expect(listed.Contents?.map((o) => o.Key)).toEqual(['docs/readme.txt', 'ünï/😀']);

        const got = await s3b.send(new GetObjectCommand({ Bucket: bucket, Key: 'docs/readme.txt' }));
        expect(await bodyText(got.Body)).toBe('persisted');
        expect(got.ContentType).toBe('text/plain');
        expect(got.CacheControl).toBe('no-cache');
        expect(got.Metadata).toEqual({ author: 'tester' });
        expect(await bodyText((await s3b.send(new GetObjectCommand({ Bucket: bucket, Key: 'ünï/😀' }))).Body)).toBe(
          'unicode',
        );

        const uploads = await s3b.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
        expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['big.bin', UploadId]]);
        const parts = await s3b.send(new ListPartsCommand({ Bucket: bucket, Key: 'big.bin', UploadId }));
        expect(parts.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([[1, e1, part1.length]]);

        const e2 = (
          await s3b.send(
            new UploadPartCommand({ Bucket: bucket, Key: 'big.bin', UploadId, PartNumber: 2, Body: part2 }),
          )
        ).ETag;
        await s3b.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: 'big.bin',
            UploadId,
            MultipartUpload: {
              Parts: [
                { PartNumber: 1, ETag: e1 },
                { PartNumber: 2, ETag: e2 },
              ],
            },
          }),
        );
        const head = await s3b.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
        expect(head.ContentType).toBe('application/x-big');
        expect(head.ContentLength).toBe(part1.length + part2.length);
        const big = await bodyBytes((await s3b.send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }))).Body);
        expect(big.equals(Buffer.concat([part1, part2]))).toBe(true);
      } finally {
        s3b.destroy();
        await second.close();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
