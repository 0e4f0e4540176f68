import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningServer, startServer } from '../../server/index.js';
import { adminFlush, readLogObjects, uniqueBucket } from '../helpers/access-logs.js';
import { bodyText, makeDataRoot } from '../helpers/server.js';

describe('HTTPS', () => {
  let root: string;
  let server: RunningServer;
  let https: S3Client;
  let http: S3Client;

  beforeAll(async () => {
    root = await makeDataRoot();
    server = await startServer({ port: 0, httpsPort: 0, dataDir: join(root, 'data'), logLevel: 'silent' });
    const ca = await readFile(server.tlsCertPath!, 'utf8');
    https = new S3Client({
      ...server.s3ClientConfig,
      endpoint: server.httpsUrl,
      requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca }) }),
    });
    http = new S3Client(server.s3ClientConfig);
  });

  afterAll(async () => {
    https?.destroy();
    http?.destroy();
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  test('HTTPS: a self-signed localhost certificate is made in the data dir and clients that trust it connect', async () => {
    expect(server.tlsCertPath).toBe(join(root, 'data', 'tls', 'localhost.crt'));
    expect(server.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const bucket = uniqueBucket('tls');
    await https.send(new CreateBucketCommand({ Bucket: bucket }));
    await https.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'over tls' }));
    expect(await bodyText((await http.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).Body)).toBe('over tls');
  });

  test('Access log: records over HTTPS carry the cipher suite and TLS version; plain HTTP carries -', async () => {
    const src = uniqueBucket('src');
    const logs = uniqueBucket('logs');
    await http.send(new CreateBucketCommand({ Bucket: src }));
    await http.send(new CreateBucketCommand({ Bucket: logs }));
    await http.send(
      new PutBucketLoggingCommand({
        Bucket: src,
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: logs, TargetPrefix: 'l/' } },
      }),
    );
    await https.send(new PutObjectCommand({ Bucket: src, Key: 'secure', Body: 'v' }));
    await http.send(new PutObjectCommand({ Bucket: src, Key: 'plain', Body: 'v' }));
    await adminFlush(server.url);
    const records = (await readLogObjects(http, logs, 'l/')).flatMap((o) => o.records);
    const secure = records.find((r) => r.key === 'secure')!;
    expect(secure.cipherSuite).toMatch(/^(TLS_AES_\d+_GCM_SHA\d+|TLS_CHACHA20_POLY1305_SHA256|ECDHE-[A-Z0-9-]+)$/);
    expect(secure.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    const plain = records.find((r) => r.key === 'plain')!;
    expect([plain.cipherSuite, plain.tlsVersion]).toEqual(['-', '-']);
  });

  test('Policy: DenyInsecureTransport refuses plain HTTP and lets HTTPS through', async () => {
    const bucket = uniqueBucket('deny-http');
    await https.send(new CreateBucketCommand({ Bucket: bucket }));
    await https.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    };
    await https.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    expect(await bodyText((await https.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).Body)).toBe('v');
    const denied = await http.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })).catch((e: Error) => e);
    expect((denied as Error).name).toBe('AccessDenied');
  });

  test('HTTPS: a restart reuses the certificate clients already trust', async () => {
    const before = await readFile(server.tlsCertPath!, 'utf8');
    const again = await startServer({ port: 0, httpsPort: 0, dataDir: join(root, 'data2'), logLevel: 'silent' });
    await again.close();
    const other = await startServer({ port: 0, httpsPort: 0, dataDir: join(root, 'data2'), logLevel: 'silent' });
    const first = await readFile(again.tlsCertPath!, 'utf8');
    expect(await readFile(other.tlsCertPath!, 'utf8')).toBe(first);
    await other.close();
    expect(before).not.toBe('');
  });
});
