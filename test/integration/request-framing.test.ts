import { connect } from 'node:net';
import { CreateMultipartUploadCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { expect, test } from '../helpers/server.js';

/** Sends bytes as written and returns everything the server answers until it closes. */
function rawExchange(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes, 'latin1'));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

// Requests Fastify or Node's parser would refuse before the S3 dispatcher sees them: each still gets
// S3's answer (found by test/integration/fuzz.test.ts).
describe('Request framing', () => {
  test('PutObject: a Content-Type without a subtype is stored as sent, not a 500', async ({ s3, raw, bucket }) => {
    const res = await raw('PUT', `/${bucket}/k`, { headers: { 'content-type': 'text' }, body: 'v' });
    expect(res.status).toBe(200);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }))).ContentType).toBe('text');
  });

  test('PutObject: aws-chunked with a non-numeric decoded length is InvalidArgument; the server keeps serving', async ({
    raw,
    bucket,
  }) => {
    const res = await raw('PUT', `/${bucket}/k`, {
      headers: {
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': 'x',
      },
      body: 'zz\r\n',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>InvalidArgument</Code>');
    expect((await raw('GET', '/_s3scribe/health', { anonymous: true })).status).toBe(200);
  });

  test('UploadPart: a malformed aws-chunked body is answered with an S3 error; the server keeps serving', async ({
    s3,
    raw,
    bucket,
  }) => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'm' }));
    const res = await raw('PUT', `/${bucket}/m?uploadId=${UploadId}&partNumber=1`, {
      headers: {
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '5',
      },
      body: 'not-a-chunk-size\r\n',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.text).toMatch(/<Code>(IncompleteBody|InvalidRequest)<\/Code>/);
    expect((await raw('GET', '/_s3scribe/health', { anonymous: true })).status).toBe(200);
  });

  test('A request line the HTTP parser refuses gets 400 with a request id; a HEAD gets no body', async ({ server }) => {
    const get = await rawExchange(server.url, 'GET /b/\xe9 HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(get).toMatch(/^HTTP\/1\.1 400 /);
    expect(get).toMatch(/x-amz-request-id: [0-9A-F]{16}/);
    expect(get).toContain('<Code>InvalidRequest</Code>');
    const head = await rawExchange(server.url, 'HEAD /b/\xe9 HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/Content-Length: 0\r\n/);
    expect(head.endsWith('\r\n\r\n')).toBe(true);
  });
});
