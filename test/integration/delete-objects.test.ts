import { createHash } from 'node:crypto';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { expect, expectS3Error, test, xmlText } from '../helpers/server.js';

async function putAll(s3: S3Client, bucket: string, keys: string[]): Promise<void> {
  for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
}

async function keysIn(s3: S3Client, bucket: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

describe('DeleteObjects', () => {
  test('DeleteObjects: deletes a batch and reports every key Deleted', async ({ s3, bucket }) => {
    await putAll(s3, bucket, ['one', 'two', 'dir/three', 'keep']);
    const out = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: 'one' }, { Key: 'two' }, { Key: 'dir/three' }] },
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect((out.Deleted ?? []).map((d) => d.Key).sort()).toEqual(['dir/three', 'one', 'two']);
    expect(out.Errors ?? []).toEqual([]);
    expect(await keysIn(s3, bucket)).toEqual(['keep']);
  });

  test('DeleteObjects: Quiet mode lists no successes but still deletes', async ({ s3, bucket }) => {
    await putAll(s3, bucket, ['q1', 'q2']);
    const out = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: 'q1' }, { Key: 'q2' }], Quiet: true },
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Deleted ?? []).toEqual([]);
    expect(out.Errors ?? []).toEqual([]);
    expect(await keysIn(s3, bucket)).toEqual([]);
  });

  test('DeleteObjects: keys that never existed are still reported Deleted', async ({ s3, bucket }) => {
    await putAll(s3, bucket, ['real']);
    const out = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: 'real' }, { Key: 'ghost' }, { Key: 'ghost/too' }] },
      }),
    );
    expect((out.Deleted ?? []).map((d) => d.Key).sort()).toEqual(['ghost', 'ghost/too', 'real']);
    expect(out.Errors ?? []).toEqual([]);
  });

  test('DeleteObjects: keys needing XML escapes and non-ASCII keys', async ({ s3, bucket }) => {
    const keys = ['a&b', '<tag>', 'quote"s', 'ünï/😀'];
    await putAll(s3, bucket, keys);
    const out = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }),
    );
    expect((out.Deleted ?? []).map((d) => d.Key).sort()).toEqual([...keys].sort());
    expect(await keysIn(s3, bucket)).toEqual([]);
  });

  test('DeleteObjects: NoSuchBucket (404) for a missing bucket', async ({ s3 }) => {
    await expectS3Error(
      s3.send(new DeleteObjectsCommand({ Bucket: `missing-${Date.now()}`, Delete: { Objects: [{ Key: 'k' }] } })),
      'NoSuchBucket',
      404,
    );
  });

  test('DeleteObjects: a body that is not a Delete document is MalformedXML', async ({ raw, bucket }) => {
    const body = '<Delete><Object><Key>k</Key></Object>';
    const res = await raw('POST', `/${bucket}?delete`, {
      body,
      headers: { 'content-type': 'application/xml', 'content-md5': createHash('md5').update(body).digest('base64') },
    });
    expect(res.status).toBe(400);
    expect(xmlText(res.text, 'Code')).toBe('MalformedXML');
  });
});
