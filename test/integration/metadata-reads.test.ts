import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { describe, test } from 'vitest';
import { expect, freshBucket, launch, makeDataRoot, s3ClientFor } from '../helpers/server.js';

/**
 * Object metadata read from the object files rather than from memory: a restarted server has
 * nothing cached, so every HEAD and GET below reads the file's trailer. Objects of every shape
 * whose trailer sits in a different place: no body, a small and a large body, a trailer of
 * several KiB (2 KB of user metadata and ten long tags), a multipart object whose file holds no
 * body, an object overwritten by a smaller one, and a versioned key whose current version is a
 * delete marker.
 */

const TAGS = Array.from({ length: 10 }, (_, i) => `t${i}=${String(i).repeat(200)}`).join('&');

interface Shape {
  key: string;
  write: (s3: S3Client, bucket: string) => Promise<unknown>;
}

const put = (key: string, body: Buffer | string, extra: Record<string, unknown> = {}): Shape => ({
  key,
  write: (s3, bucket) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...extra })),
});

const SHAPES: Shape[] = [
  put('empty', Buffer.alloc(0)),
  put('small.txt', 'hello', { ContentType: 'text/plain', Metadata: { colour: 'blue' } }),
  put('large.bin', Buffer.alloc(300 * 1024, 7), { CacheControl: 'max-age=60', Metadata: { a: '1', b: '2' } }),
  put('big-trailer', Buffer.alloc(6000, 1), { Metadata: { m: 'x'.repeat(1900) }, Tagging: TAGS }),
  {
    key: 'overwritten',
    write: async (s3, bucket) => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'overwritten', Body: Buffer.alloc(9000, 2) }));
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'overwritten', Body: 'short', Metadata: { v: 'second' } }),
      );
    },
  },
  {
    key: 'multipart',
    write: async (s3, bucket) => {
      const { UploadId } = await s3.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'multipart', Metadata: { parts: 'two' } }),
      );
      const parts = [];
      for (const [n, body] of [Buffer.alloc(5 * 1024 * 1024, 3), Buffer.from('tail')].entries()) {
        const { ETag } = await s3.send(
          new UploadPartCommand({ Bucket: bucket, Key: 'multipart', UploadId, PartNumber: n + 1, Body: body }),
        );
        parts.push({ ETag, PartNumber: n + 1 });
      }
      await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: 'multipart',
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    },
  },
];

function headView(h: HeadObjectCommandOutput) {
  return {
    length: h.ContentLength,
    etag: h.ETag,
    type: h.ContentType,
    modified: h.LastModified?.toISOString(),
    metadata: h.Metadata,
    cacheControl: h.CacheControl,
    tags: h.TagCount,
  };
}

async function readBack(s3: S3Client, bucket: string) {
  const out: Record<string, unknown> = {};
  for (const { key } of SHAPES) {
    const head = headView(await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = Buffer.from(await got.Body!.transformToByteArray());
    out[key] = { head, get: { length: body.length, etag: got.ETag, metadata: got.Metadata } };
  }
  return out;
}

describe('object metadata read from disk after a restart', () => {
  test('HEAD and GET give what they gave before the restart, whatever the shape of the object', async () => {
    const dataDir = await makeDataRoot();
    let bucket: string;
    let before: Record<string, unknown>;
    const first = await launch(dataDir);
    const s3 = s3ClientFor(first);
    try {
      bucket = await freshBucket(s3, 'meta');
      for (const shape of SHAPES) await shape.write(s3, bucket);
      before = await readBack(s3, bucket);
    } finally {
      s3.destroy();
      await first.close();
    }
    expect(before).toMatchObject({
      empty: { head: { length: 0 } },
      'small.txt': { head: { length: 5, type: 'text/plain', metadata: { colour: 'blue' } } },
      'big-trailer': { head: { length: 6000, tags: 10 }, get: { length: 6000 } },
      overwritten: { head: { length: 5, metadata: { v: 'second' } } },
      multipart: { head: { length: 5 * 1024 * 1024 + 4, metadata: { parts: 'two' } } },
    });

    // Once with the listing index not yet open (a start opens it at the first write, listing or
    // read from disk), once with it open: then a read starts where the key's listed size says the
    // trailer is, and falls back to the file's length where that is not so (multipart).
    for (const listFirst of [false, true]) {
      const server = await launch(dataDir);
      const again = s3ClientFor(server);
      try {
        if (listFirst) await again.send(new ListObjectsV2Command({ Bucket: bucket }));
        expect(await readBack(again, bucket)).toEqual(before);
      } finally {
        again.destroy();
        await server.close();
      }
    }
  }, 60_000);

  test('a key whose current version is a delete marker reads as absent after a restart; its older version still reads', async () => {
    const dataDir = await makeDataRoot();
    let bucket: string;
    let versionId: string | undefined;
    const first = await launch(dataDir);
    const s3 = s3ClientFor(first);
    try {
      bucket = await freshBucket(s3, 'metav');
      await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
      ({ VersionId: versionId } = await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'kept', Metadata: { old: 'yes' } }),
      ));
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    } finally {
      s3.destroy();
      await first.close();
    }
    const second = await launch(dataDir);
    const again = s3ClientFor(second);
    try {
      await expect(again.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
      });
      const old = await again.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k', VersionId: versionId }));
      expect([old.ContentLength, old.Metadata]).toEqual([4, { old: 'yes' }]);
    } finally {
      again.destroy();
      await second.close();
    }
  });
});
