import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { RunningServer } from '../../server/index.js';
import { bodyBytes, expect, freshBucket, launch, MiB, makeDataRoot, s3ClientFor } from '../helpers/server.js';

// A completed multipart object keeps its body in its part files (segments/ of the bucket): reads
// across part boundaries, copies, overwrites, deletes, versions and restarts.

const PARTS = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(3000)];
const WHOLE = Buffer.concat(PARTS);
const B1 = PARTS[0]!.length;
const B2 = B1 + PARTS[1]!.length;

let root: string;
let dataDir: string;
let server: RunningServer;
let s3: S3Client;

async function restart(): Promise<void> {
  s3.destroy();
  await server.close();
  server = await launch(dataDir);
  s3 = s3ClientFor(server);
}

beforeAll(async () => {
  root = await makeDataRoot();
  dataDir = join(root, 'data');
  server = await launch(dataDir);
  s3 = s3ClientFor(server);
});

afterAll(async () => {
  s3.destroy();
  await server.close();
});

const segmentDirs = (bucket: string): Promise<string[]> =>
  readdir(join(dataDir, 'buckets', bucket, 'segments')).catch(() => []);

async function startUpload(
  bucket: string,
  key: string,
  parts: Buffer[],
): Promise<{ uploadId: string; etags: string[] }> {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const etags: string[] = [];
  for (const [i, body] of parts.entries()) {
    const r = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, Body: body }),
    );
    etags.push(r.ETag!);
  }
  return { uploadId: UploadId!, etags };
}

async function completeUpload(bucket: string, key: string, parts = PARTS): Promise<string | undefined> {
  const { uploadId, etags } = await startUpload(bucket, key, parts);
  const done = await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      UploadId: uploadId,
      MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
    }),
  );
  return done.VersionId;
}

const getRange = async (bucket: string, key: string, range: string): Promise<Buffer> =>
  bodyBytes((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }))).Body);

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function expectReadable(bucket: string, key: string, versionId?: string): Promise<void> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  expect(got.ContentLength).toBe(WHOLE.length);
  expect(sha(await bodyBytes(got.Body))).toBe(sha(WHOLE));
}

describe('multipart objects kept as segments', () => {
  test('Ranges across part boundaries and part-number reads return the right bytes', async () => {
    const bucket = await freshBucket(s3, 'seg');
    await completeUpload(bucket, 'obj');
    await expectReadable(bucket, 'obj');
    const cases: [number, number][] = [
      [B1 - 10, B1 + 9], // across parts 1 and 2
      [B2 - 1, B2], // the last byte of part 2 and the first of part 3
      [B1 - 5, B2 + 5], // all three parts
      [B1, B1], // exactly the first byte of part 2
      [B2, WHOLE.length - 1], // part 3 alone
      [0, 0],
    ];
    for (const [start, end] of cases) {
      expect((await getRange(bucket, 'obj', `bytes=${start}-${end}`)).equals(WHOLE.subarray(start, end + 1))).toBe(
        true,
      );
    }
    expect((await getRange(bucket, 'obj', 'bytes=-3005')).equals(WHOLE.subarray(WHOLE.length - 3005))).toBe(true);
    for (const [i, part] of PARTS.entries()) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', PartNumber: i + 1 }));
      expect(got.PartsCount).toBe(3);
      expect((await bodyBytes(got.Body)).equals(part)).toBe(true);
    }
  });

  test('CopyObject and UploadPartCopy read a multipart source; the copy outlives the source', async () => {
    const bucket = await freshBucket(s3, 'seg');
    await completeUpload(bucket, 'src');
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy', CopySource: `${bucket}/src` }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'ranged' }));
    // A source range across the boundary of parts 1 and 2.
    const start = B1 - 2 * MiB;
    const end = B1 + 4 * MiB - 1;
    const part = await s3.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: 'ranged',
        UploadId,
        PartNumber: 1,
        CopySource: `${bucket}/src`,
        CopySourceRange: `bytes=${start}-${end}`,
      }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'ranged',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.CopyPartResult!.ETag }] },
      }),
    );
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'src' }));
    await expectReadable(bucket, 'copy');
    const ranged = await bodyBytes((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'ranged' }))).Body);
    expect(ranged.equals(WHOLE.subarray(start, end + 1))).toBe(true);
    expect(await segmentDirs(bucket)).toHaveLength(1); // the ranged copy's; the source's went with it
  });

  test('Overwrite and delete free the segments; an object survives a restart and is deleted after it', async () => {
    const bucket = await freshBucket(s3, 'seg');
    await completeUpload(bucket, 'a');
    expect(await segmentDirs(bucket)).toHaveLength(1);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: 'plain now' }));
    expect(await segmentDirs(bucket)).toEqual([]);
    await completeUpload(bucket, 'a');
    await completeUpload(bucket, 'b');
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'a' }));
    expect(await segmentDirs(bucket)).toHaveLength(1);
    await restart();
    await expectReadable(bucket, 'b');
    expect((await getRange(bucket, 'b', `bytes=${B1 - 1}-${B1}`)).equals(WHOLE.subarray(B1 - 1, B1 + 1))).toBe(true);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'b' }));
    expect(await segmentDirs(bucket)).toEqual([]);
  });

  test('A GET that started before a DELETE reads the whole old body; the segments go after it', async () => {
    const bucket = await freshBucket(s3, 'seg');
    await completeUpload(bucket, 'busy');
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'busy' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'busy' }));
    expect(sha(await bodyBytes(got.Body))).toBe(sha(WHOLE));
    await new Promise((r) => setTimeout(r, 100));
    expect(await segmentDirs(bucket)).toEqual([]);
  });

  test('Versioning: a multipart version stays readable as noncurrent, through tag updates, until deleted', async () => {
    const bucket = await freshBucket(s3, 'seg');
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await completeUpload(bucket, 'k');
    const tagging = { TagSet: [{ Key: 't', Value: '1' }] };
    await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'k', Tagging: tagging }));
    const v2 = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v2' }))).VersionId;
    await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'k', VersionId: v1, Tagging: tagging }));
    await expectReadable(bucket, 'k', v1);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' })); // a delete marker
    await expectReadable(bucket, 'k', v1);
    expect(await segmentDirs(bucket)).toHaveLength(1);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v2 }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v1 }));
    expect(await segmentDirs(bucket)).toEqual([]);
  });

  test('Restart after a crash between the completion marker and the commit: segments dropped, upload kept', async () => {
    const bucket = await freshBucket(s3, 'seg');
    const { uploadId, etags } = await startUpload(bucket, 'half', PARTS.slice(0, 1));
    s3.destroy();
    await server.close();
    // What completeLocked leaves when killed after linking the parts, before the rename.
    const uploadDir = join(dataDir, 'buckets', bucket, 'uploads', uploadId);
    const segments = join(dataDir, 'buckets', bucket, 'segments', uploadId);
    await writeFile(
      join(uploadDir, 'completing.json'),
      JSON.stringify({ key: 'half', etag: `${etags[0]}-1`, lastModified: Date.now(), segments: uploadId }),
    );
    await mkdir(segments, { recursive: true });
    await link(join(uploadDir, 'part-00001'), join(segments, '00001'));
    // A killed server never writes the clean-stop mark that lets a start skip the uploads.
    await rm(join(dataDir, 'stopped-cleanly'));
    server = await launch(dataDir);
    s3 = s3ClientFor(server);
    expect(await segmentDirs(bucket)).toEqual([]);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(uploads.Uploads?.map((u) => u.UploadId)).toEqual([uploadId]);
    await completeUpload(bucket, 'half');
    await expectReadable(bucket, 'half');
  });
});
