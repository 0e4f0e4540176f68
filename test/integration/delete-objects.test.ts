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

  test('DeleteObjects: a full batch of 1,000 keys (with a repeated key and a too-long one) answers in request order', async ({
    s3,
    bucket,
  }) => {
    const stored = Array.from({ length: 997 }, (_, i) => `bulk/${String(i).padStart(4, '0')}`);
    for (let i = 0; i < stored.length; i += 100)
      await Promise.all(
        stored.slice(i, i + 100).map((Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }))),
      );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'kept', Body: 'k' }));
    // Reversed, so an answer sorted by key would not pass for the request's order.
    const tooLong = 'x'.repeat(1025);
    const requested = [...stored].reverse();
    requested.splice(500, 0, stored[3]!, tooLong);
    requested.push('never-stored');
    expect(requested).toHaveLength(1000);
    const out = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: requested.map((Key) => ({ Key })) } }),
    );
    expect((out.Deleted ?? []).map((d) => d.Key)).toEqual(requested.filter((k) => k !== tooLong));
    expect((out.Errors ?? []).map((e) => [e.Key, e.Code])).toEqual([[tooLong, 'KeyTooLongError']]);
    expect(await keysIn(s3, bucket)).toEqual(['kept']);
  });

  test('DeleteObjects: an empty Key refuses the whole request (MalformedXML) before any key is deleted', async ({
    raw,
    s3,
    bucket,
  }) => {
    await putAll(s3, bucket, ['first', 'second']);
    const body =
      '<Delete><Object><Key>first</Key></Object><Object><Key></Key></Object><Object><Key>second</Key></Object></Delete>';
    const res = await raw('POST', `/${bucket}?delete`, {
      body,
      headers: { 'content-type': 'application/xml', 'content-md5': createHash('md5').update(body).digest('base64') },
    });
    expect(res.status).toBe(400);
    expect(xmlText(res.text, 'Code')).toBe('MalformedXML');
    expect(await keysIn(s3, bucket)).toEqual(['first', 'second']);
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
