import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { adminFlush, readLogObjects } from '../helpers/access-logs.js';
import { expect, expectS3Error, freshBucket, launch, makeDataRoot, s3ClientFor, test } from '../helpers/server.js';

const FAR = new Date('2100-01-01T00:00:00.000Z');
const LATER = new Date('2100-06-01T00:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;

/** A bucket created with Object Lock (and so with versioning). */
async function lockBucket(s3: S3Client, prefix = 'lock'): Promise<string> {
  const name = `${prefix}-${process.pid}-${Math.random().toString(16).slice(2, 8)}`;
  await s3.send(new CreateBucketCommand({ Bucket: name, ObjectLockEnabledForBucket: true }));
  return name;
}

const put = async (s3: S3Client, Bucket: string, Key: string, extra: object = {}) =>
  (await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'abc', ...extra }))).VersionId!;

const retention = (Mode: 'GOVERNANCE' | 'COMPLIANCE', RetainUntilDate: Date) => ({ Mode, RetainUntilDate });

const md5 = (text: string) => createHash('md5').update(text).digest('base64');

describe('Object Lock', () => {
  test('CreateBucket: the lock header enables versioning for good; suspending it is InvalidBucketState', async ({
    s3,
  }) => {
    const bucket = await lockBucket(s3);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    const got = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    expect(got.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled' });
    await expectS3Error(
      s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } })),
      'InvalidBucketState',
      409,
    );
  });

  test('PutObjectLockConfiguration / GetObjectLockConfiguration: the default rule round-trips', async ({ s3 }) => {
    const bucket = await lockBucket(s3);
    const conf = {
      ObjectLockEnabled: 'Enabled' as const,
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE' as const, Days: 1 } },
    };
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: bucket, ObjectLockConfiguration: conf }));
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))).ObjectLockConfiguration).toEqual(
      conf,
    );
    const years = {
      ObjectLockEnabled: 'Enabled' as const,
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE' as const, Years: 1 } },
    };
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: bucket, ObjectLockConfiguration: years }));
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))).ObjectLockConfiguration).toEqual(
      years,
    );
  });

  test('PutObjectLockConfiguration: S3 validation errors', async ({ s3, raw }) => {
    const bucket = await lockBucket(s3);
    const putConf = (DefaultRetention: object, ObjectLockEnabled = 'Enabled') =>
      s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket: bucket,
          ObjectLockConfiguration: { ObjectLockEnabled, Rule: { DefaultRetention } } as never,
        }),
      );
    await expectS3Error(putConf({ Mode: 'GOVERNANCE', Days: 1, Years: 1 }), 'MalformedXML', 400);
    await expectS3Error(putConf({ Mode: 'GOVERNANCE' }), 'MalformedXML', 400);
    await expectS3Error(putConf({ Mode: 'governance', Days: 1 }), 'MalformedXML', 400);
    await expectS3Error(putConf({ Mode: 'GOVERNANCE', Days: 1 }, 'Disabled'), 'MalformedXML', 400);
    await expectS3Error(putConf({ Mode: 'GOVERNANCE', Days: 0 }), 'InvalidRetentionPeriod', 400);
    await expectS3Error(putConf({ Mode: 'GOVERNANCE', Years: -1 }), 'InvalidRetentionPeriod', 400);
    // Without Content-MD5 or a checksum S3 does not take the document.
    const xml = '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>';
    const res = await raw('PUT', `/${bucket}?object-lock`, { body: xml });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>InvalidRequest</Code>');
    expect(
      (await raw('PUT', `/${bucket}?object-lock`, { body: xml, headers: { 'content-md5': md5(xml) } })).status,
    ).toBe(200);
  });

  test('PutObjectLockConfiguration: InvalidBucketState unless versioning is Enabled; then it enables Object Lock', async ({
    s3,
    bucket,
  }) => {
    const conf = { ObjectLockEnabled: 'Enabled' as const };
    const putConf = () =>
      s3.send(new PutObjectLockConfigurationCommand({ Bucket: bucket, ObjectLockConfiguration: conf }));
    await expectS3Error(
      s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket })),
      'ObjectLockConfigurationNotFoundError',
      404,
    );
    await expectS3Error(putConf(), 'InvalidBucketState', 409);
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    await expectS3Error(putConf(), 'InvalidBucketState', 409);
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await putConf();
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))).ObjectLockConfiguration).toEqual(
      conf,
    );
  });

  test('PutObjectRetention / GetObjectRetention: by version; extend freely, shorten only with the bypass', async ({
    s3,
  }) => {
    const bucket = await lockBucket(s3);
    const v1 = await put(s3, bucket, 'k');
    const v2 = await put(s3, bucket, 'k');
    const get = async (VersionId?: string) =>
      (await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: 'k', VersionId }))).Retention;
    const set = (Retention: object, VersionId?: string, BypassGovernanceRetention?: boolean) =>
      s3.send(
        new PutObjectRetentionCommand({ Bucket: bucket, Key: 'k', VersionId, Retention, BypassGovernanceRetention }),
      );
    await expectS3Error(get(), 'NoSuchObjectLockConfiguration', 404);
    await set(retention('GOVERNANCE', FAR), v1);
    expect(await get(v1)).toEqual(retention('GOVERNANCE', FAR));
    await expectS3Error(get(v2), 'NoSuchObjectLockConfiguration', 404);
    await set(retention('GOVERNANCE', LATER), v1);
    await expectS3Error(set(retention('GOVERNANCE', FAR), v1), 'AccessDenied', 403);
    await expectS3Error(set(retention('COMPLIANCE', LATER), v1), 'AccessDenied', 403);
    await set(retention('GOVERNANCE', FAR), v1, true);
    expect(await get(v1)).toEqual(retention('GOVERNANCE', FAR));
    // COMPLIANCE: extending only, bypass or not.
    await set(retention('COMPLIANCE', FAR), v2);
    await expectS3Error(set(retention('COMPLIANCE', new Date('2099-01-01T00:00:00Z')), v2, true), 'AccessDenied', 403);
    await expectS3Error(set(retention('GOVERNANCE', LATER), v2, true), 'AccessDenied', 403);
    await set(retention('COMPLIANCE', LATER), v2);
    expect(await get()).toEqual(retention('COMPLIANCE', LATER));
  });

  test('PutObjectRetention: a past date is InvalidArgument, a lowercase mode MalformedXML', async ({ s3 }) => {
    const bucket = await lockBucket(s3);
    await put(s3, bucket, 'k');
    const set = (Retention: object) =>
      s3.send(new PutObjectRetentionCommand({ Bucket: bucket, Key: 'k', Retention: Retention as never }));
    await expectS3Error(set(retention('GOVERNANCE', new Date(Date.now() - DAY_MS))), 'InvalidArgument', 400);
    await expectS3Error(set({ Mode: 'governance', RetainUntilDate: FAR }), 'MalformedXML', 400);
    await expectS3Error(set({ Mode: 'GOVERNANCE' }), 'MalformedXML', 400);
  });

  test('Retention and legal hold on a bucket without Object Lock: InvalidRequest', async ({ s3, bucket }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'abc' }));
    const err = await expectS3Error(
      s3.send(new PutObjectRetentionCommand({ Bucket: bucket, Key: 'k', Retention: retention('GOVERNANCE', FAR) })),
      'InvalidRequest',
      400,
    );
    expect(err.message).toBe('Bucket is missing Object Lock Configuration');
    await expectS3Error(s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: 'k' })), 'InvalidRequest', 400);
    await expectS3Error(
      s3.send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key: 'k', LegalHold: { Status: 'ON' } })),
      'InvalidRequest',
      400,
    );
    await expectS3Error(s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: 'k' })), 'InvalidRequest', 400);
    await expectS3Error(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'h', Body: 'abc', ObjectLockLegalHoldStatus: 'ON' })),
      'InvalidRequest',
      400,
    );
  });

  test('PutObjectLegalHold / GetObjectLegalHold: ON and OFF; a bad status is MalformedXML', async ({ s3 }) => {
    const bucket = await lockBucket(s3);
    const v1 = await put(s3, bucket, 'k');
    const get = async () =>
      (await s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: 'k', VersionId: v1 }))).LegalHold;
    await expectS3Error(get(), 'NoSuchObjectLockConfiguration', 404);
    await s3.send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key: 'k', LegalHold: { Status: 'ON' } }));
    expect(await get()).toEqual({ Status: 'ON' });
    await s3.send(
      new PutObjectLegalHoldCommand({ Bucket: bucket, Key: 'k', VersionId: v1, LegalHold: { Status: 'OFF' } }),
    );
    expect(await get()).toEqual({ Status: 'OFF' });
    await expectS3Error(
      s3.send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key: 'k', LegalHold: { Status: 'abc' as 'ON' } })),
      'MalformedXML',
      400,
    );
  });

  test('PutObject headers: stored, returned on HEAD and GET; header errors', async ({ s3 }) => {
    const bucket = await lockBucket(s3);
    await put(s3, bucket, 'k', {
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: FAR,
      ObjectLockLegalHoldStatus: 'ON',
    });
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect([head.ObjectLockMode, head.ObjectLockRetainUntilDate, head.ObjectLockLegalHoldStatus]).toEqual([
      'GOVERNANCE',
      FAR,
      'ON',
    ]);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
    await got.Body?.transformToString();
    expect(got.ObjectLockMode).toBe('GOVERNANCE');
    await expectS3Error(put(s3, bucket, 'm', { ObjectLockMode: 'GOVERNANCE' }), 'InvalidArgument', 400);
    await expectS3Error(
      put(s3, bucket, 'm', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: new Date(Date.now() - DAY_MS) }),
      'InvalidArgument',
      400,
    );
  });

  test('PutObject with Object Lock parameters needs Content-MD5 or a checksum', async ({ s3, raw }) => {
    const bucket = await lockBucket(s3);
    const headers = { 'x-amz-object-lock-legal-hold': 'ON', 'content-length': '3' };
    const res = await raw('PUT', `/${bucket}/k`, { headers, body: 'abc' });
    expect(res.status).toBe(400);
    expect(res.text).toContain(
      'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
    );
    // Without lock parameters (no default rule) a bare PUT is fine; with Content-MD5 the locked one too.
    expect((await raw('PUT', `/${bucket}/plain`, { body: 'abc' })).status).toBe(200);
    const ok = await raw('PUT', `/${bucket}/k`, { headers: { ...headers, 'content-md5': md5('abc') }, body: 'abc' });
    expect(ok.status).toBe(200);
  });

  test('Default retention: applied from the rule unless the PUT names its own', async ({ s3 }) => {
    const bucket = await lockBucket(s3);
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2 } },
        },
      }),
    );
    const before = Date.now();
    await put(s3, bucket, 'd');
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'd' }));
    expect(head.ObjectLockMode).toBe('COMPLIANCE');
    const until = head.ObjectLockRetainUntilDate!.getTime();
    expect(until).toBeGreaterThanOrEqual(before + 2 * DAY_MS - 1000);
    expect(until).toBeLessThanOrEqual(Date.now() + 2 * DAY_MS + 1000);
    await put(s3, bucket, 'own', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: FAR });
    expect((await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: 'own' }))).Retention).toEqual(
      retention('GOVERNANCE', FAR),
    );
  });

  test('CreateMultipartUpload and CopyObject: lock headers apply; a copy does not inherit the source lock', async ({
    s3,
  }) => {
    const bucket = await lockBucket(s3);
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp', ObjectLockLegalHoldStatus: 'ON' }),
    );
    const part = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: 'mp', UploadId, PartNumber: 1, Body: 'abc' }),
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'mp',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    await expectS3Error(
      s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'mp', VersionId: done.VersionId })),
      'AccessDenied',
      403,
    );
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy', CopySource: `${bucket}/mp` }));
    const copy = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'copy' }));
    expect(copy.ObjectLockLegalHoldStatus).toBeUndefined();
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'copy2',
        CopySource: `${bucket}/mp`,
        ObjectLockMode: 'GOVERNANCE',
        ObjectLockRetainUntilDate: FAR,
      }),
    );
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'copy2' }))).ObjectLockMode).toBe('GOVERNANCE');
    await s3.send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key: 'mp', LegalHold: { Status: 'OFF' } }));
  });

  test('DeleteObject: a locked version is AccessDenied; a delete marker is allowed; the bypass lifts GOVERNANCE only', async ({
    s3,
  }) => {
    const bucket = await lockBucket(s3);
    const gov = await put(s3, bucket, 'g', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: FAR });
    const comp = await put(s3, bucket, 'c', { ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: FAR });
    const held = await put(s3, bucket, 'h', { ObjectLockLegalHoldStatus: 'ON' });
    const del = (Key: string, VersionId?: string, BypassGovernanceRetention?: boolean) =>
      s3.send(new DeleteObjectCommand({ Bucket: bucket, Key, VersionId, BypassGovernanceRetention }));
    const err = await expectS3Error(del('g', gov), 'AccessDenied', 403);
    expect(err.message).toBe('Access Denied because object protected by object lock.');
    const marker = await del('g');
    expect(marker.DeleteMarker).toBe(true);
    await expectS3Error(del('g', gov), 'AccessDenied', 403);
    expect((await del('g', marker.VersionId)).$metadata.httpStatusCode).toBe(204);
    expect((await del('g', gov, true)).$metadata.httpStatusCode).toBe(204);
    await expectS3Error(del('c', comp, true), 'AccessDenied', 403);
    await expectS3Error(del('h', held, true), 'AccessDenied', 403);
    await s3.send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key: 'h', LegalHold: { Status: 'OFF' } }));
    expect((await del('h', held)).$metadata.httpStatusCode).toBe(204);
    // A bucket that still holds a version is not empty.
    await expectS3Error(s3.send(new DeleteBucketCommand({ Bucket: bucket })), 'BucketNotEmpty', 409);
  });

  test('DeleteObjects: a locked version is that key’s AccessDenied error; the bypass header lifts GOVERNANCE', async ({
    s3,
  }) => {
    const bucket = await lockBucket(s3);
    const v1 = await put(s3, bucket, 'locked', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: FAR });
    const v2 = await put(s3, bucket, 'free');
    const first = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: {
          Objects: [
            { Key: 'locked', VersionId: v1 },
            { Key: 'free', VersionId: v2 },
          ],
        },
      }),
    );
    expect(first.Deleted?.map((d) => [d.Key, d.VersionId])).toEqual([['free', v2]]);
    expect(first.Errors?.map((e) => [e.Key, e.VersionId, e.Code])).toEqual([['locked', v1, 'AccessDenied']]);
    const second = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        BypassGovernanceRetention: true,
        Delete: { Objects: [{ Key: 'locked', VersionId: v1 }] },
      }),
    );
    expect(second.Errors ?? []).toEqual([]);
    expect(second.Deleted?.map((d) => d.VersionId)).toEqual([v1]);
  });

  test('Restart: the configuration, retention and legal hold survive', async () => {
    const root = await makeDataRoot();
    const dataDir = join(root, 'data');
    try {
      let server = await launch(dataDir);
      let s3 = s3ClientFor(server);
      const bucket = await lockBucket(s3, 'restart');
      const rule = { DefaultRetention: { Mode: 'GOVERNANCE' as const, Years: 1 } };
      await s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket: bucket,
          ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: rule },
        }),
      );
      const v = await put(s3, bucket, 'k', { ObjectLockLegalHoldStatus: 'ON' });
      s3.destroy();
      await server.close();
      server = await launch(dataDir);
      s3 = s3ClientFor(server);
      expect(
        (await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))).ObjectLockConfiguration?.Rule,
      ).toEqual(rule);
      expect((await s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: 'k' }))).LegalHold?.Status).toBe('ON');
      expect((await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: 'k' }))).Retention?.Mode).toBe(
        'GOVERNANCE',
      );
      await expectS3Error(
        s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v })),
        'AccessDenied',
        403,
      );
      await expectS3Error(
        s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } })),
        'InvalidBucketState',
        409,
      );
      s3.destroy();
      await server.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('Access log: the six operations and a refused delete, with key, version id, status and error code', async ({
    s3,
    server,
  }) => {
    const bucket = await lockBucket(s3);
    const logs = await freshBucket(s3, 'logs');
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket: bucket,
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: logs, TargetPrefix: 'l/' } },
      }),
    );
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' },
      }),
    );
    await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    const v = await put(s3, bucket, 'k');
    await s3.send(
      new PutObjectRetentionCommand({
        Bucket: bucket,
        Key: 'k',
        VersionId: v,
        Retention: retention('GOVERNANCE', FAR),
      }),
    );
    await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: 'k', VersionId: v }));
    await s3.send(
      new PutObjectLegalHoldCommand({ Bucket: bucket, Key: 'k', VersionId: v, LegalHold: { Status: 'ON' } }),
    );
    await s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: 'k', VersionId: v }));
    await expectS3Error(
      s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v })),
      'AccessDenied',
      403,
    );
    await expectS3Error(s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: 'nope' })), 'NoSuchKey', 404);
    await adminFlush(server.url);
    const records = (await readLogObjects(s3, logs, 'l/')).flatMap((o) => o.records);
    const rows = records
      .filter((r) => !['REST.PUT.OBJECT', 'REST.PUT.LOGGING_STATUS'].includes(r.operation))
      .map((r) => [r.operation, r.key, r.versionId, r.httpStatus, r.errorCode]);
    expect(rows).toEqual([
      ['REST.PUT.OBJECT_LOCK_CONFIGURATION', '-', '-', '200', '-'],
      ['REST.GET.OBJECT_LOCK_CONFIGURATION', '-', '-', '200', '-'],
      ['REST.PUT.RETENTION', 'k', v, '200', '-'],
      ['REST.GET.RETENTION', 'k', v, '200', '-'],
      ['REST.PUT.LEGAL_HOLD', 'k', v, '200', '-'],
      ['REST.GET.LEGAL_HOLD', 'k', v, '200', '-'],
      ['REST.DELETE.OBJECT', 'k', v, '403', 'AccessDenied'],
      ['REST.GET.LEGAL_HOLD', 'nope', '-', '404', 'NoSuchKey'],
    ]);
  });

  test('Access log: a target bucket with a default retention receives no log objects, as on AWS', async ({
    s3,
    server,
    bucket,
  }) => {
    const target = await lockBucket(s3, 'locktarget');
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: target,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
        },
      }),
    );
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket: bucket,
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: 'l/' } },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'abc' }));
    await adminFlush(server.url);
    expect(await readLogObjects(s3, target, 'l/')).toEqual([]);
  });
});

describe('Object Lock and lifecycle', () => {
  test('NoncurrentVersionExpiration keeps a locked version and expires the unlocked one', async () => {
    const root = await makeDataRoot();
    const { startServer } = await import('../../server/index.js');
    const server = await startServer({ port: 0, dataDir: join(root, 'data'), logLevel: 'silent', lifecycleDayMs: 100 });
    const s3 = s3ClientFor(server);
    try {
      const bucket = await lockBucket(s3, 'lc');
      const locked = await put(s3, bucket, 'k', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: FAR });
      const free = await put(s3, bucket, 'k');
      await put(s3, bucket, 'k');
      await s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: bucket,
          LifecycleConfiguration: {
            Rules: [
              {
                ID: 'nc',
                Status: 'Enabled',
                Filter: { Prefix: '' },
                NoncurrentVersionExpiration: { NoncurrentDays: 1 },
              },
            ],
          },
        }),
      );
      await new Promise((r) => setTimeout(r, 250));
      const res = await fetch(`${server.url}/_s3scribe/lifecycle/run`, {
        method: 'POST',
        headers: { 'x-s3scribe-admin': '1' },
      });
      expect(res.status).toBe(200);
      const versions = (await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions ?? [];
      const ids = versions.map((x) => x.VersionId);
      expect(ids).toContain(locked);
      expect(ids).not.toContain(free);
    } finally {
      s3.destroy();
      await server.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
