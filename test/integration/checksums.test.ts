import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type ChecksumAlgorithm } from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { ALGORITHMS, awsChunked, checksumOf } from '../helpers/checksums.js';
import { bodyBytes, expect, expectS3Error, s3ClientFor, test, xmlText } from '../helpers/server.js';

/** The output's Checksum<ALGORITHM> member (ChecksumCRC32, ChecksumSHA256, ...). */
const checksumIn = (out: object, algorithm: string): unknown =>
  (out as Record<string, unknown>)[`Checksum${algorithm}`];

describe('checksums', () => {
  const payload = randomBytes(64 * 1024 + 17);

  test.for(ALGORITHMS)(
    'PutObject: ChecksumAlgorithm %s is verified, stored and returned with ChecksumMode ENABLED',
    async (algorithm, { s3, bucket }) => {
      const expected = checksumOf(algorithm, payload);
      const put = await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'obj',
          Body: payload,
          ChecksumAlgorithm: algorithm as ChecksumAlgorithm,
        }),
      );
      expect(put.$metadata.httpStatusCode).toBe(200);
      expect(checksumIn(put, algorithm)).toBe(expected);

      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', ChecksumMode: 'ENABLED' }));
      expect(checksumIn(got, algorithm)).toBe(expected);
      expect(got.ChecksumType).toBe('FULL_OBJECT');
      expect((await bodyBytes(got.Body)).equals(payload)).toBe(true);

      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj', ChecksumMode: 'ENABLED' }));
      expect(checksumIn(head, algorithm)).toBe(expected);
    },
  );

  test.for(ALGORITHMS)(
    'PutObject: a streamed body with %s goes aws-chunked with a trailer; the object is the payload',
    async (algorithm, { server, bucket }) => {
      const s3 = s3ClientFor(server);
      const sent: Record<string, string>[] = [];
      s3.middlewareStack.add(
        (next) => async (args) => {
          sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
          return next(args);
        },
        { step: 'finalizeRequest', priority: 'low', name: 'captureHeaders' },
      );
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: 'streamed',
            Body: Readable.from([payload.subarray(0, 1000), payload.subarray(1000)]),
            ContentLength: payload.length,
            ChecksumAlgorithm: algorithm as ChecksumAlgorithm,
          }),
        );
        const headers = sent[0]!;
        expect(headers['content-encoding']).toContain('aws-chunked');
        expect(headers['x-amz-trailer']).toBe(`x-amz-checksum-${algorithm.toLowerCase()}`);

        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'streamed', ChecksumMode: 'ENABLED' }));
        expect(got.ContentLength).toBe(payload.length);
        expect(got.ContentEncoding).toBeUndefined();
        expect(checksumIn(got, algorithm)).toBe(checksumOf(algorithm, payload));
        expect((await bodyBytes(got.Body)).equals(payload)).toBe(true);
      } finally {
        s3.destroy();
      }
    },
  );

  test("PutObject: the SDK's default CRC32 is stored and returned", async ({ s3, bucket }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'default', Body: payload }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'default', ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumCRC32).toBe(checksumOf('CRC32', payload));
    expect((await bodyBytes(got.Body)).equals(payload)).toBe(true);
  });

  test('PutObject: a wrong x-amz-checksum-crc32 header is 400 BadDigest and nothing is stored', async ({
    raw,
    s3,
    bucket,
  }) => {
    const wrong = checksumOf('CRC32', Buffer.from('other bytes'));
    const res = await raw('PUT', `/${bucket}/bad-crc`, { body: payload, headers: { 'x-amz-checksum-crc32': wrong } });
    expect(res.status).toBe(400);
    expect(xmlText(res.text, 'Code')).toBe('BadDigest');
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'bad-crc' })), 'NoSuchKey', 404);
  });

  test('PutObject: a right x-amz-checksum-sha256 header is accepted and echoed', async ({ raw, bucket }) => {
    const value = checksumOf('SHA256', payload);
    const res = await raw('PUT', `/${bucket}/good-sha`, { body: payload, headers: { 'x-amz-checksum-sha256': value } });
    expect(res.status).toBe(200);
    expect(res.header('x-amz-checksum-sha256')).toBe(value);
  });

  test('PutObject: a hand-made aws-chunked body stores the payload, not the framing', async ({ raw, s3, bucket }) => {
    const crc = checksumOf('CRC32C', payload);
    const res = await raw('PUT', `/${bucket}/framed`, {
      body: awsChunked(payload, 8192, { 'x-amz-checksum-crc32c': crc }),
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': String(payload.length),
        'x-amz-trailer': 'x-amz-checksum-crc32c',
      },
    });
    expect(res.status).toBe(200);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'framed', ChecksumMode: 'ENABLED' }));
    expect(got.ContentLength).toBe(payload.length);
    expect(got.ChecksumCRC32C).toBe(crc);
    expect((await bodyBytes(got.Body)).equals(payload)).toBe(true);
  });

  test('PutObject: a wrong checksum in the aws-chunked trailer is 400 BadDigest', async ({ raw, s3, bucket }) => {
    const res = await raw('PUT', `/${bucket}/bad-trailer`, {
      body: awsChunked(payload, 8192, { 'x-amz-checksum-crc32': checksumOf('CRC32', Buffer.from('nope')) }),
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': String(payload.length),
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
    });
    expect(res.status).toBe(400);
    expect(xmlText(res.text, 'Code')).toBe('BadDigest');
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'bad-trailer' })), 'NoSuchKey', 404);
  });

  // What S3 answers when the decoded length disagrees with the chunks: IncompleteBody
  // (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html: "You did not provide the
  // number of bytes specified by the Content-Length HTTP header"). Both a short and a long payload.
  for (const [label, declared] of [
    ['shorter', payload.length + 100],
    ['longer', payload.length - 100],
  ] as const) {
    test(`PutObject: aws-chunked chunks ${label} than x-amz-decoded-content-length is 400 IncompleteBody, nothing stored`, async ({
      raw,
      s3,
      bucket,
    }) => {
      const key = `decoded-${label}`;
      const res = await raw('PUT', `/${bucket}/${key}`, {
        body: awsChunked(payload, 8192, {}),
        headers: {
          'content-encoding': 'aws-chunked',
          'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
          'x-amz-decoded-content-length': String(declared),
        },
      });
      expect(res.status).toBe(400);
      expect(xmlText(res.text, 'Code')).toBe('IncompleteBody');
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })), 'NoSuchKey', 404);
    });
  }
});
