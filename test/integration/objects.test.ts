import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { request } from 'undici';
import { describe } from 'vitest';
import { bodyBytes, bodyText, expect, expectS3Error, test, xmlText } from '../helpers/server.js';

const md5 = (data: string | Buffer): Buffer => createHash('md5').update(data).digest();
const md5Hex = (data: string | Buffer): string => md5(data).toString('hex');

describe('objects', () => {
  test('PutObject: returns the quoted MD5 as ETag; GetObject returns the bytes', async ({ s3, bucket }) => {
    const body = 'hello, s3scribe';
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'greeting.txt', Body: body }));
    expect(put.$metadata.httpStatusCode).toBe(200);
    expect(put.ETag).toBe(`"${md5Hex(body)}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'greeting.txt' }));
    expect(got.$metadata.httpStatusCode).toBe(200);
    expect(got.ETag).toBe(`"${md5Hex(body)}"`);
    expect(got.ContentLength).toBe(body.length);
    expect(got.AcceptRanges).toBe('bytes');
    expect(Math.abs(got.LastModified!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await bodyText(got.Body)).toBe(body);
  });

  test('PutObject: an empty body is a zero-byte object with the MD5 of nothing', async ({ s3, bucket }) => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'empty', Body: Buffer.alloc(0) }));
    expect(put.ETag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'empty' }));
    expect(got.ContentLength).toBe(0);
    expect((await bodyBytes(got.Body)).length).toBe(0);
  });

  test('PutObject: overwriting replaces bytes and metadata', async ({ s3, bucket }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'first', Metadata: { v: '1' } }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'second!' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(await bodyText(got.Body)).toBe('second!');
    expect(got.Metadata).toEqual({});
  });

  test('PutObject: NoSuchBucket for a missing bucket', async ({ s3 }) => {
    await expectS3Error(
      s3.send(new PutObjectCommand({ Bucket: `missing-${Date.now()}`, Key: 'k', Body: 'x' })),
      'NoSuchBucket',
      404,
    );
  });

  test('PutObject: metadata round-trips through GetObject and HeadObject', async ({ s3, bucket }) => {
    const expires = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'meta',
        Body: 'payload',
        ContentType: 'text/plain; charset=utf-8',
        ContentEncoding: 'gzip',
        ContentDisposition: 'attachment; filename="report.txt"',
        CacheControl: 'max-age=3600, public',
        ContentLanguage: 'de-CH',
        Expires: expires,
        Metadata: { colour: 'blue', 'multi-word': 'a value with spaces' },
      }),
    );
    for (const out of [
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'meta' })),
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'meta' })),
    ]) {
      expect(out.ContentType).toBe('text/plain; charset=utf-8');
      expect(out.ContentEncoding).toBe('gzip');
      expect(out.ContentDisposition).toBe('attachment; filename="report.txt"');
      expect(out.CacheControl).toBe('max-age=3600, public');
      expect(out.ContentLanguage).toBe('de-CH');
      expect(out.ExpiresString).toBe(expires.toUTCString());
      expect(out.Metadata).toEqual({ colour: 'blue', 'multi-word': 'a value with spaces' });
      expect(out.ContentLength).toBe(7);
      if ('Body' in out) expect(await bodyText(out.Body)).toBe('payload');
    }
  });

  test('PutObject: no Content-Type stores binary/octet-stream', async ({ raw, bucket }) => {
    const put = await raw('PUT', `/${bucket}/untyped`, { body: 'abc' });
    expect(put.status).toBe(200);
    const head = await raw('HEAD', `/${bucket}/untyped`);
    expect(head.header('content-type')).toBe('binary/octet-stream');
  });

  test('PutObject: a matching Content-MD5 is accepted', async ({ raw, bucket }) => {
    const res = await raw('PUT', `/${bucket}/md5-ok`, {
      body: 'digest me',
      headers: { 'content-md5': md5('digest me').toString('base64') },
    });
    expect(res.status).toBe(200);
    expect(res.header('etag')).toBe(`"${md5Hex('digest me')}"`);
  });

  test('PutObject: a Content-MD5 of other bytes is BadDigest and stores nothing', async ({ raw, s3, bucket }) => {
    const res = await raw('PUT', `/${bucket}/md5-bad`, {
      body: 'digest me',
      headers: { 'content-md5': md5('something else').toString('base64') },
    });
    expect(res.status).toBe(400);
    expect(xmlText(res.text, 'Code')).toBe('BadDigest');
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'md5-bad' })), 'NotFound', 404);
  });

  test.for([
    ['not base64', 'not!base64!'],
    ['too short', Buffer.from('0123456789').toString('base64')],
  ])('PutObject: Content-MD5 %s is InvalidDigest', async ([, value], { raw, bucket }) => {
    const res = await raw('PUT', `/${bucket}/md5-invalid`, { body: 'digest me', headers: { 'content-md5': value! } });
    expect(res.status).toBe(400);
    expect(xmlText(res.text, 'Code')).toBe('InvalidDigest');
  });

  test('GetObject: response-* query parameters override the stored headers', async ({ raw, s3, bucket }) => {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'override',
        Body: 'x',
        ContentType: 'text/plain',
        CacheControl: 'no-store',
      }),
    );
    const q = new URLSearchParams({
      'response-content-type': 'application/json',
      'response-content-language': 'fr',
      'response-expires': 'Thu, 01 Jan 2037 00:00:00 GMT',
      'response-cache-control': 'max-age=60',
      'response-content-disposition': 'attachment; filename="x.json"',
      'response-content-encoding': 'identity',
    });
    const res = await raw('GET', `/${bucket}/override?${q}`);
    expect(res.status).toBe(200);
    expect(res.header('content-type')).toBe('application/json');
    expect(res.header('content-language')).toBe('fr');
    expect(res.header('expires')).toBe('Thu, 01 Jan 2037 00:00:00 GMT');
    expect(res.header('cache-control')).toBe('max-age=60');
    expect(res.header('content-disposition')).toBe('attachment; filename="x.json"');
    expect(res.header('content-encoding')).toBe('identity');
    expect(res.text).toBe('x');
  });

  test('GetObject: response-* overrides through a presigned URL', async ({ s3, bucket }) => {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'presigned', Body: 'signed body', ContentType: 'text/plain' }),
    );
    const url = await getSignedUrl(
      s3,
      new GetObjectCommand({
        Bucket: bucket,
        Key: 'presigned',
        ResponseContentType: 'image/png',
        ResponseContentDisposition: 'inline',
      }),
      { expiresIn: 300 },
    );
    const res = await request(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toBe('inline');
    expect(await res.body.text()).toBe('signed body');
  });

  test('GetObject: NoSuchKey (404) with the key in the error', async ({ s3, raw, bucket }) => {
    const err = await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'nope' })), 'NoSuchKey', 404);
    expect(err.Key).toBe('nope');
    const res = await raw('GET', `/${bucket}/nope`);
    expect(xmlText(res.text, 'Key')).toBe('nope');
  });

  test('GetObject: NoSuchBucket (404) for a missing bucket', async ({ s3 }) => {
    await expectS3Error(
      s3.send(new GetObjectCommand({ Bucket: `missing-${Date.now()}`, Key: 'k' })),
      'NoSuchBucket',
      404,
    );
  });

  test('HeadObject: 404 NotFound for a missing key', async ({ s3, bucket }) => {
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'nope' })), 'NotFound', 404);
  });

  test('DeleteObject: 204, the key is gone, and deleting again is still 204', async ({ s3, bucket }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'doomed', Body: 'x' }));
    const first = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'doomed' }));
    expect(first.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'doomed' })), 'NoSuchKey', 404);
    const again = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'doomed' }));
    expect(again.$metadata.httpStatusCode).toBe(204);
    const never = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'never-existed' }));
    expect(never.$metadata.httpStatusCode).toBe(204);
  });

  test('DeleteObject: NoSuchBucket (404) for a missing bucket', async ({ s3 }) => {
    await expectS3Error(
      s3.send(new DeleteObjectCommand({ Bucket: `missing-${Date.now()}`, Key: 'k' })),
      'NoSuchBucket',
      404,
    );
  });
});

describe('object keys', () => {
  const KEYS = [
    'a',
    'a/b',
    'a/',
    '..',
    './x',
    '%',
    '+',
    'a b',
    'ünïcødé/日本語/😀',
    '/leading',
    'k'.repeat(1024),
    'é'.repeat(512),
  ];

  test('PutObject: awkward keys live side by side and read back', async ({ s3, bucket }) => {
    for (const [i, key] of KEYS.entries()) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body-${i}` }));
    }
    for (const [i, key] of KEYS.entries()) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(await bodyText(got.Body), `key ${JSON.stringify(key.slice(0, 20))}`).toBe(`body-${i}`);
    }
    const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect((list.Contents ?? []).map((o) => o.Key).sort()).toEqual([...KEYS].sort());
  });

  test('PutObject: a 1,025-byte key is KeyTooLongError', async ({ s3, bucket }) => {
    await expectS3Error(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k'.repeat(1025), Body: 'x' })),
      'KeyTooLongError',
      400,
    );
    // Bytes of UTF-8 count, not characters.
    await expectS3Error(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${'é'.repeat(512)}x`, Body: 'x' })),
      'KeyTooLongError',
      400,
    );
  });

  test('PutObject: a literal + in the path is a plus, %20 a space', async ({ raw, s3, bucket }) => {
    expect((await raw('PUT', `/${bucket}/c+d`, { body: 'plus' })).status).toBe(200);
    expect((await raw('PUT', `/${bucket}/c%20d`, { body: 'space' })).status).toBe(200);
    expect(await bodyText((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'c+d' }))).Body)).toBe('plus');
    expect(await bodyText((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'c d' }))).Body)).toBe('space');
  });

  test('PutObject: %2F in the path is a slash in the key', async ({ raw, s3, bucket }) => {
    expect((await raw('PUT', `/${bucket}/dir%2Ffile`, { body: 'slash' })).status).toBe(200);
    expect(await bodyText((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/file' }))).Body)).toBe(
      'slash',
    );
  });
});

describe('path traversal', () => {
  const sha = async (path: string): Promise<string> =>
    createHash('sha256')
      .update(await readFile(path))
      .digest('hex');

  test('PutObject: ../../etc/passwd is an ordinary key inside the data dir', async ({ s3, raw, bucket, dataRoot }) => {
    const before = await sha('/etc/passwd');
    const key = '../../etc/passwd';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'not a passwd file' }));
    const encoded = await raw('PUT', `/${bucket}/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd`, { body: 'deeper' });
    expect(encoded.status).toBe(200);
    expect(await bodyText((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body)).toBe(
      'not a passwd file',
    );
    expect(await sha('/etc/passwd')).toBe(before);
    expect(await readdir(dataRoot)).toEqual(['data']);
  });

  test('PutObject: deep ../ keys create no file outside the data dir', async ({ s3, bucket, dataDir, dataRoot }) => {
    const marker = `s3scribe-escape-${process.pid}-${Date.now()}`;
    for (let depth = 1; depth <= 8; depth++) {
      const key = `${'../'.repeat(depth)}${marker}`;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
      expect(await bodyText((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body)).toBe('x');
    }
    // Every place a naive join(dataDir, bucket, key) could have reached.
    for (let depth = 0; depth <= 12; depth++) {
      const candidate = resolve(dataDir, 'buckets', bucket, ...Array<string>(depth).fill('..'), marker);
      if (!candidate.startsWith(dataDir)) expect(existsSync(candidate), candidate).toBe(false);
    }
    expect(await readdir(dataRoot)).toEqual(['data']);
  });

  test.for([
    ['PUT', '/..'],
    ['PUT', '/%2E%2E'],
    ['PUT', '/..%2F..%2Fescaped'],
    ['PUT', '/a..b'],
    ['PUT', '/../escaped-key'],
    ['PUT', '/%2E%2E/escaped-key'],
    ['PUT', '/..%2F..%2Fescaped/escaped-key'],
    ['GET', '/%2E%2E%2F%2E%2E/etc/passwd'],
  ])('%s %s: a bucket name with .. is rejected and touches no file', async ([method, path], { raw, dataRoot }) => {
    const res = await raw(method!, path!, { body: method === 'PUT' ? 'x' : undefined });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.text).not.toContain('root:');
    expect(await readdir(dataRoot)).toEqual(['data']);
    expect(existsSync(resolve(dataRoot, 'escaped'))).toBe(false);
    expect(existsSync(resolve(dataRoot, 'escaped-key'))).toBe(false);
  });
});
