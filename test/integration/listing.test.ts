import {
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { expect, expectS3Error, test, xmlText, xmlTexts } from '../helpers/server.js';

async function putKeys(s3: S3Client, bucket: string, keys: string[]): Promise<void> {
  for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
}

const keysOf = (out: { Contents?: { Key?: string }[] }): string[] => (out.Contents ?? []).map((o) => o.Key!);
const prefixesOf = (out: { CommonPrefixes?: { Prefix?: string }[] }): string[] =>
  (out.CommonPrefixes ?? []).map((p) => p.Prefix!);

// The key set ceph/s3-tests uses for delimiter paging (test_bucket_list_delimiter_prefix).
const TREE = ['asdf', 'boo/bar', 'boo/baz/xyzzy', 'cquux/thud', 'cquux/bla'];

describe('ListObjects (v1)', () => {
  test('ListObjects: lists every key with size, ETag and owner', async ({ s3, bucket }) => {
    await putKeys(s3, bucket, ['b', 'a', 'c']);
    const out = await s3.send(new ListObjectsCommand({ Bucket: bucket }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(keysOf(out)).toEqual(['a', 'b', 'c']);
    expect(out.IsTruncated).toBe(false);
    expect(out.Contents![0]).toMatchObject({
      Size: 1,
      ETag: '"0cc175b9c0f1b6a831c399e269772661"',
      StorageClass: 'STANDARD',
    });
    expect(out.Contents![0]!.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  test('ListObjects: Marker starts after the given key', async ({ s3, bucket }) => {
    await putKeys(s3, bucket, ['bar', 'baz', 'foo', 'quxx']);
    const first = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 1 }));
    expect(keysOf(first)).toEqual(['bar']);
    expect(first.IsTruncated).toBe(true);
    // Without a delimiter S3 sends no NextMarker: the last key is the next marker.
    expect(first.NextMarker).toBeUndefined();
    const rest = await s3.send(new ListObjectsCommand({ Bucket: bucket, Marker: 'bar' }));
    expect(keysOf(rest)).toEqual(['baz', 'foo', 'quxx']);
    expect(rest.IsTruncated).toBe(false);
    expect(rest.Marker).toBe('bar');
  });

  test('ListObjects: with a delimiter, NextMarker pages through keys and common prefixes', async ({ s3, bucket }) => {
    await putKeys(s3, bucket, TREE);
    const p1 = await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', MaxKeys: 1 }));
    expect([keysOf(p1), prefixesOf(p1), p1.IsTruncated, p1.NextMarker]).toEqual([['asdf'], [], true, 'asdf']);
    const p2 = await s3.send(
      new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', MaxKeys: 1, Marker: p1.NextMarker }),
    );
    expect([keysOf(p2), prefixesOf(p2), p2.IsTruncated, p2.NextMarker]).toEqual([[], ['boo/'], true, 'boo/']);
    const p3 = await s3.send(
      new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', MaxKeys: 1, Marker: p2.NextMarker }),
    );
    expect([keysOf(p3), prefixesOf(p3), p3.IsTruncated, p3.NextMarker]).toEqual([[], ['cquux/'], false, undefined]);

    const two = await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', MaxKeys: 2 }));
    expect([keysOf(two), prefixesOf(two), two.IsTruncated, two.NextMarker]).toEqual([['asdf'], ['boo/'], true, 'boo/']);
  });

  test('ListObjects: Prefix with a delimiter', async ({ s3, bucket }) => {
    await putKeys(s3, bucket, TREE);
    const out = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: 'boo/', Delimiter: '/' }));
    expect(keysOf(out)).toEqual(['boo/bar']);
    expect(prefixesOf(out)).toEqual(['boo/baz/']);
    expect(out.Prefix).toBe('boo/');
    expect(out.Delimiter).toBe('/');
  });

  test('ListObjects: EncodingType url encodes keys and prefixes', async ({ s3, bucket }) => {
    await putKeys(s3, bucket, ['foo+1/bar', 'foo/bar/xyzzy', 'é/x', 'asdf+b']);
    const out = await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', EncodingType: 'url' }));
    expect(keysOf(out)).toEqual(['asdf%2Bb']);
    expect(prefixesOf(out)).toEqual(['foo%2B1/', 'foo/', '%C3%A9/']);
  });
});

describe('ListObjectsV2', () => {
  test('ListObjectsV2: Prefix filters and KeyCount counts', async ({ s3, bucket }) => {
    await putKeys(s3, bucket, ['photos/1.jpg', 'photos/2.jpg', 'docs/a.txt', 'photosynthesis']);
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'photos/' }));
    expect(keysOf(out)).toEqual(['photos/1.jpg', 'photos/2.jpg']);
    expect(out.KeyCount).toBe(2);
    expect(out.Prefix).toBe('photos/');
    expect(out.IsTruncated).toBe(false);
    expect(out.Name).toBe(bucket);
  });

  test('a prefix longer than any key (1,024 bytes) matches nothing, in every listing', async ({ s3, bucket }) => {
    const longest = 'a'.repeat(1024);
    await putKeys(s3, bucket, [longest, 'b']);
    const prefix = 'a'.repeat(2000);
    const v2 = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/' }));
    expect([keysOf(v2), prefixesOf(v2), v2.KeyCount, v2.IsTruncated, v2.Prefix]).toEqual([[], [], 0, false, prefix]);
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix }));
    expect([keysOf(v1), v1.IsTruncated]).toEqual([[], false]);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
    expect([versions.Versions ?? [], versions.IsTruncated]).toEqual([[], false]);
    // At exactly the longest key's length the prefix still finds it; a long StartAfter is a plain bound.
    const exact = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: longest }));
    expect(keysOf(exact)).toEqual([longest]);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: prefix }));
    expect(keysOf(after)).toEqual(['b']);
  });

  test('ListObjectsV2: Delimiter rolls keys up into CommonPrefixes; KeyCount counts both', async ({ s3, bucket }) => {
    await putKeys(s3, bucket, TREE);
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
    expect(keysOf(out)).toEqual(['asdf']);
    expect(prefixesOf(out)).toEqual(['boo/', 'cquux/']);
    expect(out.KeyCount).toBe(3);
    expect(out.Delimiter).toBe('/');
  });

  test('ListObjectsV2: ContinuationToken pages 25 keys 7 at a time', async ({ s3, bucket }) => {
    const all = Array.from({ length: 25 }, (_, i) => `key-${String(i).padStart(2, '0')}`);
    await putKeys(s3, bucket, [...all].reverse());
    const seen: string[] = [];
    const pages: { count: number; truncated: boolean | undefined }[] = [];
    let token: string | undefined;
    do {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 7, ContinuationToken: token }));
      expect(out.MaxKeys).toBe(7);
      expect(out.ContinuationToken).toBe(token);
      expect(out.KeyCount).toBe(keysOf(out).length);
      seen.push(...keysOf(out));
      pages.push({ count: keysOf(out).length, truncated: out.IsTruncated });
      if (out.IsTruncated) expect(out.NextContinuationToken).toBeTruthy();
      else expect(out.NextContinuationToken).toBeUndefined();
      token = out.NextContinuationToken;
    } while (token && pages.length < 10);
    expect(seen).toEqual(all);
    expect(pages).toEqual([
      { count: 7, truncated: true },
      { count: 7, truncated: true },
      { count: 7, truncated: true },
      { count: 4, truncated: false },
    ]);
  });

  test('ListObjectsV2: ContinuationToken pages through keys and common prefixes', async ({ s3, bucket }) => {
    await putKeys(s3, bucket, TREE);
    const p1 = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/', MaxKeys: 1 }));
    expect([keysOf(p1), prefixesOf(p1), p1.IsTruncated]).toEqual([['asdf'], [], true]);
    const p2 = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Delimiter: '/',
        MaxKeys: 1,
        ContinuationToken: p1.NextContinuationToken,
      }),
    );
    expect([keysOf(p2), prefixesOf(p2), p2.IsTruncated]).toEqual([[], ['boo/'], true]);
    const p3 = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Delimiter: '/',
        MaxKeys: 1,
        ContinuationToken: p2.NextContinuationToken,
      }),
    );
    expect([keysOf(p3), prefixesOf(p3), p3.IsTruncated]).toEqual([[], ['cquux/'], false]);
  });

  test('ListObjectsV2: StartAfter begins after the key and is echoed', async ({ s3, bucket }) => {
    await putKeys(s3, bucket, ['a', 'b', 'c', 'd']);
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'b' }));
    expect(keysOf(out)).toEqual(['c', 'd']);
    expect(out.StartAfter).toBe('b');
    const between = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'bb' }));
    expect(keysOf(between)).toEqual(['c', 'd']);
  });

  test('ListObjectsV2: Owner only with FetchOwner', async ({ s3, bucket }) => {
    await putKeys(s3, bucket, ['foo/bar', 'quux']);
    const plain = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(plain.Contents![0]!.Owner).toBeUndefined();
    const withOwner = await s3.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true }));
    expect(withOwner.Contents![0]!.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  test('ListObjectsV2: EncodingType url encodes keys and prefixes', async ({ s3, raw, bucket }) => {
    await putKeys(s3, bucket, ['foo+1/bar', 'foo/bar/xyzzy', 'é/x', 'asdf+b']);
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/', EncodingType: 'url' }));
    expect(out.EncodingType).toBe('url');
    expect(keysOf(out)).toEqual(['asdf%2Bb']);
    expect(prefixesOf(out)).toEqual(['foo%2B1/', 'foo/', '%C3%A9/']);
    const res = await raw('GET', `/${bucket}?list-type=2&encoding-type=url&prefix=${encodeURIComponent('é')}`);
    expect(xmlText(res.text, 'Prefix')).toBe('%C3%A9');
    expect(xmlTexts(res.text, 'Key')).toEqual(['%C3%A9/x']);
  });

  test('ListObjectsV2: keys come in UTF-8 byte order, not UTF-16 order', async ({ s3, bucket }) => {
    // UTF-8: a (61) < b (62) < é (C3 A9) < U+FFFD (EF BF BD) < 😀 (F0 9F 98 80).
    // UTF-16 would put 😀 (D83D DE00) before U+FFFD.
    const ordered = ['a', 'b', 'é', '\uFFFD', '😀'];
    await putKeys(s3, bucket, ['😀', '\uFFFD', 'é', 'b', 'a']);
    expect(keysOf(await s3.send(new ListObjectsV2Command({ Bucket: bucket })))).toEqual(ordered);
    expect(keysOf(await s3.send(new ListObjectsCommand({ Bucket: bucket })))).toEqual(ordered);

    const p1 = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 4 }));
    expect(keysOf(p1)).toEqual(ordered.slice(0, 4));
    const p2 = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 4, ContinuationToken: p1.NextContinuationToken }),
    );
    expect(keysOf(p2)).toEqual(['😀']);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: '\uFFFD' }));
    expect(keysOf(after)).toEqual(['😀']);
  });

  test('ListObjectsV2: an empty bucket', async ({ s3, bucket }) => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(out.Contents).toBeUndefined();
    expect(out.KeyCount).toBe(0);
    expect(out.IsTruncated).toBe(false);
  });

  test('ListObjectsV2: NoSuchBucket (404) for a missing bucket', async ({ s3 }) => {
    await expectS3Error(s3.send(new ListObjectsV2Command({ Bucket: `missing-${Date.now()}` })), 'NoSuchBucket', 404);
  });
});
