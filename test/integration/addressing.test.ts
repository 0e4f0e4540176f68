import { Agent, type AgentOptions } from 'node:http';
import type { LookupAddress } from 'node:dns';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { bodyText, expect, expectS3Error, test, xmlText, xmlTexts } from '../helpers/server.js';

// `*.localhost` does not resolve everywhere (not here: glibc with `hosts: files dns`), so the
// virtual-hosted client connects to 127.0.0.1 itself and sends the bucket in the Host header.
const loopback: AgentOptions['lookup'] = (_host, options, callback) => {
  const cb = callback as unknown as (err: Error | null, address: string | LookupAddress[], family?: number) => void;
  if ((options as { all?: boolean }).all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
};

function virtualHostedClient(
  port: number,
  hosts: string[],
  base: S3Client['config'] | Record<string, unknown>,
): S3Client {
  const s3 = new S3Client({
    ...(base as object),
    endpoint: `http://localhost:${port}`,
    forcePathStyle: false,
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, lookup: loopback }) },
  });
  s3.middlewareStack.add(
    (next) => async (args) => {
      hosts.push((args.request as { hostname: string; port?: number }).hostname);
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'captureHost' },
  );
  return s3;
}

describe('virtual-hosted-style addressing', () => {
  test('SDK (forcePathStyle: false): bucket.localhost reaches the same objects as path style', async ({
    server,
    s3,
    bucket,
  }) => {
    const hosts: string[] = [];
    const vh = virtualHostedClient(server.port, hosts, server.s3ClientConfig);
    try {
      await vh.send(new HeadBucketCommand({ Bucket: bucket }));
      await vh.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/from-virtual.txt', Body: 'virtual' }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'from-path.txt', Body: 'path' }));

      expect(await bodyText((await vh.send(new GetObjectCommand({ Bucket: bucket, Key: 'from-path.txt' }))).Body)).toBe(
        'path',
      );
      expect(
        await bodyText((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/from-virtual.txt' }))).Body),
      ).toBe('virtual');
      const listed = await vh.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect(listed.Name).toBe(bucket);
      expect(listed.Contents?.map((o) => o.Key)).toEqual(['dir/from-virtual.txt', 'from-path.txt']);
      await vh.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'from-path.txt' }));
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'from-path.txt' })), 'NoSuchKey', 404);
      await expectS3Error(vh.send(new GetObjectCommand({ Bucket: bucket, Key: 'nope' })), 'NoSuchKey', 404);

      expect(new Set(hosts)).toEqual(new Set([`${bucket}.localhost`]));
    } finally {
      vh.destroy();
    }
  });

  test('Host: bucket.localhost:PORT sent to 127.0.0.1 addresses the bucket', async ({ server, raw, s3, bucket }) => {
    const host = `${bucket}.localhost:${server.port}`;
    const put = await raw('PUT', '/a/b c.txt'.replace(' ', '%20'), { headers: { host }, body: 'hosted' });
    expect(put.status).toBe(200);
    expect(await bodyText((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b c.txt' }))).Body)).toBe(
      'hosted',
    );

    const get = await raw('GET', '/a/b%20c.txt', { headers: { host } });
    expect(get.status).toBe(200);
    expect(get.text).toBe('hosted');

    const list = await raw('GET', '/?list-type=2', { headers: { host } });
    expect(list.status).toBe(200);
    expect(xmlText(list.text, 'Name')).toBe(bucket);
    expect(xmlTexts(list.text, 'Key')).toEqual(['a/b c.txt']);

    const missing = await raw('GET', '/nope', { headers: { host } });
    expect(missing.status).toBe(404);
    expect(xmlText(missing.text, 'Code')).toBe('NoSuchKey');
    expect(xmlText(missing.text, 'Key')).toBe('nope');
  });

  test('Host: bucket.s3.localhost addresses the bucket (s3.localhost is a configured base domain)', async ({
    server,
    raw,
    bucket,
  }) => {
    // Like bucket.s3.amazonaws.com: the longest base domain that the host ends with wins.
    const res = await raw('HEAD', '/', { headers: { host: `${bucket}.s3.localhost:${server.port}` } });
    expect(res.status).toBe(200);
    expect(res.header('x-amz-bucket-region')).toBe('us-east-1');
  });

  test('Host: the bare localhost:PORT is the service endpoint (ListBuckets)', async ({ server, raw, bucket }) => {
    const res = await raw('GET', '/', { headers: { host: `localhost:${server.port}` } });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<ListAllMyBucketsResult');
    expect(xmlTexts(res.text, 'Name')).toContain(bucket);
  });

  test('Host: a virtual-hosted missing bucket is NoSuchBucket', async ({ server, raw }) => {
    const res = await raw('GET', '/key', { headers: { host: `no-such-bucket-vh.localhost:${server.port}` } });
    expect(res.status).toBe(404);
    expect(xmlText(res.text, 'Code')).toBe('NoSuchBucket');
    expect(xmlText(res.text, 'BucketName')).toBe('no-such-bucket-vh');
  });
});
