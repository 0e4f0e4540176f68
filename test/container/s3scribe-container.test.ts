import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketLoggingCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Agent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { GenericContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ScribeContainer, type StartedS3ScribeContainer } from '../../testcontainers/s3scribe-container.js';
import { startServer } from '../../server/index.js';

const engine = Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
if (!engine) console.warn('test/container: no container engine (DOCKER_HOST unset, no /var/run/docker.sock); skipping');

const IMAGE = 's3scribe:test';

describe.skipIf(!engine)('S3ScribeContainer', () => {
  let dataDir: string;
  let container: StartedS3ScribeContainer | undefined;

  beforeAll(async () => {
    const build = GenericContainer.fromDockerfile(resolve(import.meta.dirname, '../..'));
    // Where no registry is reachable the engine provides a local Node base image.
    if (process.env.CE_NODE_IMAGE) build.withBuildArgs({ BASE_IMAGE: process.env.CE_NODE_IMAGE });
    await build.build(IMAGE, { deleteOnExit: false });
    dataDir = await mkdtemp(join(tmpdir(), 's3scribe-volume-'));
    await chmod(dataDir, 0o777); // the image runs as the unprivileged `node` user
  }, 600_000);

  afterAll(async () => {
    await container?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('S3ScribeContainer: serves S3, flushes logs on demand and delivers pending logs on stop', async () => {
    container = await new S3ScribeContainer(IMAGE)
      .withFlushInterval('60s')
      .withIdentity({ accessKeyId: 'AKIATEST', secretAccessKey: 'secret', accountId: '111122223333' })
      .withBindMounts([{ source: dataDir, target: '/data' }])
      .start();
    const health = await fetch(`${container.getEndpoint()}/_s3scribe/health`);
    // Health names no path (anyone who can reach the port can read it).
    expect(await health.json()).toEqual({ status: 'ok', version: expect.any(String) });

    const s3 = new S3Client(container.getConnectionConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'app' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'app-logs' }));
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket: 'app',
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'app-logs', TargetPrefix: 'logs/' } },
      }),
    );
    const put = await s3.send(new PutObjectCommand({ Bucket: 'app', Key: 'hello.txt', Body: 'hello' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'app', Key: 'hello.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello');

    // PutBucketLogging itself, the PUT and the GET: the configuration applies from its own request on.
    expect(await container.flushLogs()).toEqual({ records: 3, objects: 1 });
    const first = await s3.send(new ListObjectsV2Command({ Bucket: 'app-logs', Prefix: 'logs/' }));
    expect(first.KeyCount).toBe(1);

    // One more record, left pending: a graceful stop must deliver it into the volume.
    await s3.send(new GetObjectCommand({ Bucket: 'app', Key: 'hello.txt' }));
    expect(put.$metadata.requestId).toMatch(/^[0-9A-F]{16}$/);
    await container.stop();
    container = undefined;

    // The buckets belong to account 111122223333: read them back as that account.
    const server = await startServer({
      port: 0,
      dataDir,
      logLevel: 'silent',
      identities: [{ accessKeyId: 'AKIATEST', accountId: '111122223333' }],
    });
    try {
      const local = new S3Client(server.s3ClientConfig);
      const after = await local.send(new ListObjectsV2Command({ Bucket: 'app-logs', Prefix: 'logs/' }));
      expect(after.KeyCount).toBe(2);
    } finally {
      await server.close();
    }
  }, 300_000);

  it('withHttps() and withSignatureVerification(): a trusted HTTPS client works, a wrong secret is refused, records carry TLS', async () => {
    const started = await new S3ScribeContainer(IMAGE)
      .withFlushInterval('60s')
      .withIdentity({ accessKeyId: 'AKIATLS', secretAccessKey: 'tls-secret', accountId: '111122223333' })
      .withSignatureVerification()
      .withHttps()
      .start();
    try {
      const ca = await started.getCaCertificate();
      expect(ca).toContain('BEGIN CERTIFICATE');
      const overTls = (secretAccessKey: string) =>
        new S3Client({
          ...started.getConnectionConfig(),
          endpoint: started.getHttpsEndpoint(),
          credentials: { accessKeyId: 'AKIATLS', secretAccessKey },
          maxAttempts: 1,
          // The certificate names localhost and 127.0.0.1; the engine may hand out another address.
          requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca, servername: 'localhost' }) }),
        });
      const s3 = overTls('tls-secret');
      await s3.send(new CreateBucketCommand({ Bucket: 'tls' }));
      await s3.send(new CreateBucketCommand({ Bucket: 'tls-logs' }));
      await s3.send(
        new PutBucketLoggingCommand({
          Bucket: 'tls',
          BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'tls-logs', TargetPrefix: 'l/' } },
        }),
      );
      await s3.send(new PutObjectCommand({ Bucket: 'tls', Key: 'k', Body: 'secure' }));
      const wrong = await overTls('guess')
        .send(new GetObjectCommand({ Bucket: 'tls', Key: 'k' }))
        .catch((e: Error) => e);
      expect((wrong as Error).name).toBe('SignatureDoesNotMatch');
      await started.flushLogs();
      const list = await s3.send(new ListObjectsV2Command({ Bucket: 'tls-logs', Prefix: 'l/' }));
      const log = await s3.send(new GetObjectCommand({ Bucket: 'tls-logs', Key: list.Contents![0]!.Key! }));
      const lines = (await log.Body!.transformToString()).trim().split('\n');
      const put = lines.find((l) => l.includes('REST.PUT.OBJECT k '));
      const refused = lines.find((l) => l.includes(' 403 SignatureDoesNotMatch '));
      expect(put).toMatch(/ TLSv1\.[23] /);
      expect(refused).toMatch(/ SigV4 \S+ AuthHeader /);
    } finally {
      await started.stop();
    }
  }, 300_000);
});
