import { createHash, randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import {
  bodyBytes,
  bodyText,
  expect,
  expectBodylessError,
  expectNotModified,
  expectS3Error,
  MiB,
  test,
} from '../helpers/server.js';
import { Layout } from '../../storage/fs/layout.js';

const DIGITS = '0123456789';
const PAST = new Date(Date.now() - 24 * 3600_000);
const FUTURE = new Date(Date.now() + 24 * 3600_000);
const OTHER_ETAG = '"00000000000000000000000000000000"';

async function putDigits(s3: S3Client, bucket: string): Promise<string> {
  return (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'digits', Body: DIGITS }))).ETag!;
}

describe('Range', () => {
  test.for([
    ['bytes=2-5', '2345', 'bytes 2-5/10'],
    ['bytes=-3', '789', 'bytes 7-9/10'],
    ['bytes=2-', '23456789', 'bytes 2-9/10'],
    ['bytes=0-0', '0', 'bytes 0-0/10'],
    ['bytes=5-100', '56789', 'bytes 5-9/10'],
    ['bytes=-100', DIGITS, 'bytes 0-9/10'],
  ])('GetObject: Range %s is 206 with Content-Range', async ([range, body, contentRange], { s3, bucket }) => {
    await putDigits(s3, bucket);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', Range: range }));
    expect(got.$metadata.httpStatusCode).toBe(206);
    expect(got.ContentRange).toBe(contentRange);
    expect(got.ContentLength).toBe(body!.length);
    expect(await bodyText(got.Body)).toBe(body);
  });

  test('GetObject: a range starting past the end is 416 InvalidRange', async ({ s3, raw, bucket }) => {
    await putDigits(s3, bucket);
    await expectS3Error(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', Range: 'bytes=10-20' })),
      'InvalidRange',
      416,
    );
    const res = await raw('GET', `/${bucket}/digits`, { headers: { range: 'bytes=100-' } });
    expect(res.status).toBe(416);
    expect(res.text).toContain('<Code>InvalidRange</Code>');
  });
});

describe('small objects read whole', () => {
  // A data file under 32 KiB is read in one go from offset 0; larger ones by stat and tail. Bodies
  // are sized so the files land on both sides of that boundary, and each is read whole and in parts.
  test('GetObject: bodies whose files straddle the one-read size come back byte for byte', async ({
    s3,
    bucket,
    dataDir,
  }) => {
    const layout = new Layout(dataDir);
    const fileSize = async (key: string) => (await stat(layout.objectFile(bucket, key))).size;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'probe-00000', Body: Buffer.alloc(10_000) }));
    const overhead = (await fileSize('probe-00000')) - 10_000;
    for (const fileBytes of [32 * 1024 - 1, 32 * 1024, 32 * 1024 + 1]) {
      const key = `probe-${fileBytes}`;
      const body = randomBytes(fileBytes - overhead);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      expect(await fileSize(key)).toBe(fileBytes);
      const whole = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(Buffer.compare(await bodyBytes(whole.Body), body)).toBe(0);
      const part = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=100-199' }));
      expect(part.ContentRange).toBe(`bytes 100-199/${body.length}`);
      expect(Buffer.compare(await bodyBytes(part.Body), body.subarray(100, 200))).toBe(0);
      const tail = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=-5' }));
      expect(Buffer.compare(await bodyBytes(tail.Body), body.subarray(body.length - 5))).toBe(0);
    }
  });

  test('GetObject: an empty object and a one-byte object', async ({ s3, bucket }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'empty', Body: '' }));
    const empty = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'empty' }));
    expect(empty.ContentLength).toBe(0);
    expect((await bodyBytes(empty.Body)).length).toBe(0);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'one', Body: 'x' }));
    const one = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'one', Range: 'bytes=0-0' }));
    expect(await bodyText(one.Body)).toBe('x');
  });
});

describe('conditional reads', () => {
  test('GetObject: If-Match with the ETag is 200, with another ETag 412', async ({ s3, bucket }) => {
    const etag = await putDigits(s3, bucket);
    const ok = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', IfMatch: etag }));
    expect(ok.$metadata.httpStatusCode).toBe(200);
    expect(await bodyText(ok.Body)).toBe(DIGITS);
    await expectS3Error(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', IfMatch: OTHER_ETAG })),
      'PreconditionFailed',
      412,
    );
  });

  test('GetObject: If-None-Match with the ETag is 304, with another ETag 200', async ({ s3, bucket }) => {
    const etag = await putDigits(s3, bucket);
    await expectNotModified(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', IfNoneMatch: etag })));
    const ok = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', IfNoneMatch: OTHER_ETAG }));
    expect(ok.$metadata.httpStatusCode).toBe(200);
    expect(await bodyText(ok.Body)).toBe(DIGITS);
  });

  test('GetObject: a 304 carries ETag and Last-Modified and no body', async ({ s3, raw, bucket }) => {
    const etag = await putDigits(s3, bucket);
    const res = await raw('GET', `/${bucket}/digits`, { headers: { 'if-none-match': etag } });
    expect(res.status).toBe(304);
    expect(res.header('etag')).toBe(etag);
    expect(res.header('last-modified')).toBeDefined();
    expect(res.body.length).toBe(0);
  });

  test('GetObject: If-Modified-Since in the future is 304, in the past 200', async ({ s3, bucket }) => {
    await putDigits(s3, bucket);
    await expectNotModified(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', IfModifiedSince: FUTURE })));
    const ok = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', IfModifiedSince: PAST }));
    expect(ok.$metadata.httpStatusCode).toBe(200);
    expect(await bodyText(ok.Body)).toBe(DIGITS);
  });

  test('GetObject: If-Modified-Since equal to Last-Modified is 304', async ({ s3, bucket }) => {
    await putDigits(s3, bucket);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'digits' }));
    await expectNotModified(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', IfModifiedSince: head.LastModified })),
    );
  });

  test('GetObject: If-Unmodified-Since in the past is 412, in the future 200', async ({ s3, bucket }) => {
    await putDigits(s3, bucket);
    await expectS3Error(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', IfUnmodifiedSince: PAST })),
      'PreconditionFailed',
      412,
    );
    const ok = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', IfUnmodifiedSince: FUTURE }));
    expect(ok.$metadata.httpStatusCode).toBe(200);
    expect(await bodyText(ok.Body)).toBe(DIGITS);
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (If-Match / If-None-Match precedence)
  test('GetObject: a true If-Match wins over a false If-Unmodified-Since (200)', async ({ s3, bucket }) => {
    const etag = await putDigits(s3, bucket);
    const out = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'digits', IfMatch: etag, IfUnmodifiedSince: PAST }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(await bodyText(out.Body)).toBe(DIGITS);
  });

  test('GetObject: a false If-None-Match with a true If-Modified-Since is 304', async ({ s3, bucket }) => {
    const etag = await putDigits(s3, bucket);
    await expectNotModified(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', IfNoneMatch: etag, IfModifiedSince: PAST })),
    );
  });

  test('GetObject: a true If-None-Match wins over a false If-Modified-Since (200)', async ({ s3, bucket }) => {
    await putDigits(s3, bucket);
    const out = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'digits', IfNoneMatch: OTHER_ETAG, IfModifiedSince: FUTURE }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(await bodyText(out.Body)).toBe(DIGITS);
  });

  test('HeadObject: If-None-Match with the ETag is 304, a wrong If-Match 412', async ({ s3, bucket }) => {
    const etag = await putDigits(s3, bucket);
    await expectNotModified(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'digits', IfNoneMatch: etag })));
    await expectBodylessError(
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'digits', IfMatch: OTHER_ETAG })),
      412,
    );
  });
});

describe('conditional writes', () => {
  test('PutObject: If-None-Match * on an existing key is 412 and keeps the object', async ({ s3, bucket }) => {
    await putDigits(s3, bucket);
    await expectS3Error(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'digits', Body: 'replacement', IfNoneMatch: '*' })),
      'PreconditionFailed',
      412,
    );
    expect(await bodyText((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits' }))).Body)).toBe(DIGITS);
  });

  test('PutObject: If-None-Match * on a new key writes it', async ({ s3, bucket }) => {
    const out = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'brand-new', Body: 'x', IfNoneMatch: '*' }));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  test('PutObject: If-Match with another ETag is 412', async ({ s3, bucket }) => {
    const etag = await putDigits(s3, bucket);
    await expectS3Error(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'digits', Body: 'y', IfMatch: OTHER_ETAG })),
      'PreconditionFailed',
      412,
    );
    const ok = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'digits', Body: 'y', IfMatch: etag }));
    expect(ok.$metadata.httpStatusCode).toBe(200);
  });
});

describe('partNumber reads', () => {
  const part1 = randomBytes(5 * MiB);
  const part2 = randomBytes(1024);
  const md5 = (b: Buffer): Buffer => createHash('md5').update(b).digest();

  async function putMultipart(s3: S3Client, bucket: string): Promise<string> {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp' }));
    const e1 = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: 'mp', UploadId, PartNumber: 1, Body: part1 }),
    );
    const e2 = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: 'mp', UploadId, PartNumber: 2, Body: part2 }),
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'mp',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: e1.ETag },
            { PartNumber: 2, ETag: e2.ETag },
          ],
        },
      }),
    );
    return done.ETag!;
  }

  test('GetObject: partNumber on a multipart object returns that part with PartsCount', async ({ s3, bucket }) => {
    const etag = await putMultipart(s3, bucket);
    const total = part1.length + part2.length;
    expect(etag).toBe(
      `"${createHash('md5')
        .update(Buffer.concat([md5(part1), md5(part2)]))
        .digest('hex')}-2"`,
    );

    const first = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mp', PartNumber: 1 }));
    expect(first.$metadata.httpStatusCode).toBe(206);
    expect(first.PartsCount).toBe(2);
    expect(first.ETag).toBe(etag);
    expect(first.ContentLength).toBe(part1.length);
    expect(first.ContentRange).toBe(`bytes 0-${part1.length - 1}/${total}`);
    expect((await bodyBytes(first.Body)).equals(part1)).toBe(true);

    const second = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mp', PartNumber: 2 }));
    expect(second.PartsCount).toBe(2);
    expect(second.ContentRange).toBe(`bytes ${part1.length}-${total - 1}/${total}`);
    expect((await bodyBytes(second.Body)).equals(part2)).toBe(true);

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'mp', PartNumber: 2 }));
    expect(head.PartsCount).toBe(2);
    expect(head.ContentLength).toBe(part2.length);
  });

  test('GetObject: partNumber past the last part is 400 InvalidPart', async ({ s3, bucket }) => {
    await putMultipart(s3, bucket);
    await expectS3Error(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mp', PartNumber: 3 })),
      'InvalidPart',
      400,
    );
  });

  test('GetObject: partNumber 1 of a single-part object is the whole object', async ({ s3, bucket }) => {
    const etag = await putDigits(s3, bucket);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', PartNumber: 1 }));
    expect(got.ETag).toBe(etag);
    expect(got.ContentLength).toBe(DIGITS.length);
    expect(await bodyText(got.Body)).toBe(DIGITS);
  });

  test('GetObject: partNumber 2 of a single-part object is 400 InvalidPart', async ({ s3, bucket }) => {
    await putDigits(s3, bucket);
    await expectS3Error(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', PartNumber: 2 })),
      'InvalidPart',
      400,
    );
  });
});
