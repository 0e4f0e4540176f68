import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { adminFlush, enableLogging, readLogObjects } from '../helpers/access-logs.js';
import {
  bodyText,
  expect,
  expectBodylessError,
  expectS3Error,
  freshBucket,
  launch,
  makeDataRoot,
  s3ClientFor,
  test,
  xmlText,
} from '../helpers/server.js';

const enable = (s3: S3Client, Bucket: string, Status: 'Enabled' | 'Suspended' = 'Enabled') =>
  s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status } }));
const put = async (s3: S3Client, Bucket: string, Key: string, Body: string) =>
  (await s3.send(new PutObjectCommand({ Bucket, Key, Body }))).VersionId;
const read = async (s3: S3Client, Bucket: string, Key: string, VersionId?: string) =>
  bodyText((await s3.send(new GetObjectCommand({ Bucket, Key, VersionId }))).Body);

describe('Versioning', () => {
  test('GetBucketVersioning: no Status until enabled; Enabled, then Suspended', async ({ s3, bucket }) => {
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBeUndefined();
    await enable(s3, bucket);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    await enable(s3, bucket, 'Suspended');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Suspended');
  });

  test('PutBucketVersioning: an unknown Status is MalformedXML', async ({ raw, bucket }) => {
    const res = await raw('PUT', `/${bucket}?versioning`, {
      body: '<VersioningConfiguration><Status>On</Status></VersioningConfiguration>',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>MalformedXML</Code>');
  });

  test('PutObject: each PUT in an Enabled bucket makes a version; GET by versionId reads each', async ({
    s3,
    bucket,
  }) => {
    await enable(s3, bucket);
    const v1 = await put(s3, bucket, 'k', 'one');
    const v2 = await put(s3, bucket, 'k', 'two');
    expect(v1).toMatch(/^[0-9a-f]{32}$/);
    expect(v2).not.toBe(v1);
    expect(await read(s3, bucket, 'k')).toBe('two');
    expect(await read(s3, bucket, 'k', v1)).toBe('one');
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v1 }));
    expect(head.VersionId).toBe(v1);
    expect(head.ContentLength).toBe(3);
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(listed.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      [v2, true],
      [v1, false],
    ]);
  });

  test('DeleteObject: a delete marker hides the key; GET answers 404 with x-amz-delete-marker; removing the marker restores it', async ({
    s3,
    raw,
    bucket,
  }) => {
    await enable(s3, bucket);
    const v1 = await put(s3, bucket, 'k', 'one');
    const del = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(del.DeleteMarker).toBe(true);
    const marker = del.VersionId!;
    expect(marker).not.toBe(v1);
    const res = await raw('GET', `/${bucket}/k`);
    expect(res.status).toBe(404);
    expect(res.header('x-amz-delete-marker')).toBe('true');
    expect(res.header('x-amz-version-id')).toBe(marker);
    const named = await raw('GET', `/${bucket}/k?versionId=${marker}`);
    expect(named.status).toBe(405);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(versions.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([[marker, true]]);
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([[v1, false]]);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: marker }));
    expect(await read(s3, bucket, 'k')).toBe('one');
  });

  test('DeleteBucket: BucketNotEmpty while a noncurrent version or a delete marker remains; 204 once none does', async ({
    s3,
  }) => {
    const bucket = await freshBucket(s3, 'vdel');
    await enable(s3, bucket);
    const v1 = await put(s3, bucket, 'k', 'one');
    const marker = (await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }))).VersionId;
    await expectS3Error(s3.send(new DeleteBucketCommand({ Bucket: bucket })), 'BucketNotEmpty', 409);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v1 }));
    await expectS3Error(s3.send(new DeleteBucketCommand({ Bucket: bucket })), 'BucketNotEmpty', 409);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: marker }));
    expect((await s3.send(new DeleteBucketCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(204);
  });

  test('a versionId that cannot be one is InvalidArgument; one that merely names no version deletes nothing', async ({
    s3,
    raw,
    bucket,
  }) => {
    await enable(s3, bucket);
    await put(s3, bucket, 'k', 'one');
    const odd = encodeURIComponent('\u{2F9FF}\u{F1364}\u00e9');
    for (const method of ['DELETE', 'GET', 'HEAD']) {
      const res = await raw(method, `/${bucket}/k?versionId=${odd}`);
      expect([method, res.status]).toEqual([method, 400]);
      if (method !== 'HEAD') {
        expect(xmlText(res.text, 'Code')).toBe('InvalidArgument');
        expect(xmlText(res.text, 'Message')).toBe('Invalid version id specified');
        expect(xmlText(res.text, 'RequestId')).toBe(res.header('x-amz-request-id'));
      }
    }
    const long = await raw('DELETE', `/${bucket}/k?versionId=${'a'.repeat(1025)}`);
    expect(xmlText(long.text, 'Code')).toBe('InvalidArgument');
    // A well-formed id that names no version: 204, the id echoed, the object untouched.
    const none = await raw('DELETE', `/${bucket}/k?versionId=3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH`);
    expect([none.status, none.header('x-amz-version-id')]).toEqual([204, '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH']);
    expect(await read(s3, bucket, 'k')).toBe('one');
  });

  test('DeleteObject with versionId removes that version; the newest older one becomes current', async ({
    s3,
    bucket,
  }) => {
    await enable(s3, bucket);
    const v1 = await put(s3, bucket, 'k', 'one');
    const v2 = await put(s3, bucket, 'k', 'two');
    const gone = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v2 }));
    expect(gone.VersionId).toBe(v2);
    expect(await read(s3, bucket, 'k')).toBe('one');
    await expectS3Error(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v2 })),
      'NoSuchVersion',
      404,
    );
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v1 }));
    await expectBodylessError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' })), 404);
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions ?? []).toEqual([]);
  });

  test('Suspended: new writes are the null version, replacing the previous null version; older versions stay', async ({
    s3,
    bucket,
  }) => {
    await put(s3, bucket, 'k', 'before'); // the null version, from before versioning
    await enable(s3, bucket);
    const v1 = await put(s3, bucket, 'k', 'enabled');
    await enable(s3, bucket, 'Suspended');
    // The answer to a write into a suspended bucket names no version (AWS's PutObject sample);
    // listings and reads call it `null`.
    expect(await put(s3, bucket, 'k', 'suspended-1')).toBeUndefined();
    expect(await put(s3, bucket, 'k', 'suspended-2')).toBeUndefined();
    const versions = (await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions ?? [];
    expect(versions.map((v) => v.VersionId)).toEqual(['null', v1]);
    expect(await read(s3, bucket, 'k', 'null')).toBe('suspended-2');
    expect(await read(s3, bucket, 'k', v1)).toBe('enabled');
  });

  test('CopyObject: a named source version is copied and both version headers are returned', async ({ s3, bucket }) => {
    await enable(s3, bucket);
    const v1 = await put(s3, bucket, 'src', 'one');
    await put(s3, bucket, 'src', 'two');
    const copy = await s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'dst', CopySource: `${bucket}/src?versionId=${v1}` }),
    );
    expect(copy.CopySourceVersionId).toBe(v1);
    expect(copy.VersionId).toMatch(/^[0-9a-f]{32}$/);
    expect(await read(s3, bucket, 'dst')).toBe('one');
  });

  test('DeleteObjects: versions by id, and delete markers for keys without one', async ({ s3, bucket }) => {
    await enable(s3, bucket);
    const a1 = await put(s3, bucket, 'a', 'a1');
    await put(s3, bucket, 'b', 'b1');
    const res = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: 'a', VersionId: a1 }, { Key: 'b' }] },
      }),
    );
    const byKey = Object.fromEntries((res.Deleted ?? []).map((d) => [d.Key, d]));
    expect(byKey.a).toMatchObject({ VersionId: a1 });
    expect(byKey.b?.DeleteMarker).toBe(true);
    expect(byKey.b?.DeleteMarkerVersionId).toMatch(/^[0-9a-f]{32}$/);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(versions.Versions?.map((v) => v.Key)).toEqual(['b']);
    expect(versions.DeleteMarkers?.map((v) => v.Key)).toEqual(['b']);
  });

  test('ListObjectVersions: pages by key and version markers, each version once', async ({ s3, bucket }) => {
    await enable(s3, bucket);
    const expected: string[] = [];
    for (const key of ['a', 'b', 'c']) {
      for (let i = 0; i < 3; i++) expected.push(`${key}:${await put(s3, bucket, key, `${key}${i}`)}`);
    }
    const seen: string[] = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          MaxKeys: 2,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
        }),
      );
      for (const v of res.Versions ?? []) seen.push(`${v.Key}:${v.VersionId}`);
      if (!res.IsTruncated) break;
      keyMarker = res.NextKeyMarker;
      versionMarker = res.NextVersionIdMarker;
    }
    expect(seen.sort()).toEqual(expected.sort());
  });

  test('Versions, delete markers and the versioning status survive a restart', async () => {
    const root = await makeDataRoot();
    const dataDir = join(root, 'data');
    try {
      let server = await launch(dataDir);
      let s3 = s3ClientFor(server);
      const bucket = await freshBucket(s3, 'restart');
      await enable(s3, bucket);
      const v1 = await put(s3, bucket, 'k', 'one');
      await put(s3, bucket, 'k', 'two');
      const marker = (await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }))).VersionId;
      s3.destroy();
      await server.close();
      server = await launch(dataDir);
      s3 = s3ClientFor(server);
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
      const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
      expect(versions.DeleteMarkers?.map((m) => m.VersionId)).toEqual([marker]);
      expect(versions.Versions?.map((v) => v.IsLatest)).toEqual([false, false]);
      expect(await read(s3, bucket, 'k', v1)).toBe('one');
      expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
      s3.destroy();
      await server.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('Access log: PutBucketVersioning is REST.PUT.VERSIONING; a GET by versionId logs it in field 18', async ({
    s3,
    server,
    bucket,
  }) => {
    const logs = await freshBucket(s3, 'logs');
    await enableLogging(s3, bucket, logs, 'v/');
    await enable(s3, bucket);
    const v1 = await put(s3, bucket, 'k', 'one');
    await read(s3, bucket, 'k', v1);
    await adminFlush(server.url);
    const records = (await readLogObjects(s3, logs, 'v/')).flatMap((o) => o.records);
    expect(records.find((r) => r.operation === 'REST.PUT.VERSIONING')).toMatchObject({ httpStatus: '200', key: '-' });
    const get = records.find((r) => r.operation === 'REST.GET.OBJECT');
    expect(get).toMatchObject({ key: 'k', versionId: v1, httpStatus: '200' });
  });

  test('Access log: a DeleteObject refused for its versionId is REST.DELETE.OBJECT, 400 InvalidArgument', async ({
    s3,
    raw,
    server,
    bucket,
  }) => {
    const logs = await freshBucket(s3, 'logs');
    await enableLogging(s3, bucket, logs, 'bad-v/');
    await enable(s3, bucket);
    await put(s3, bucket, 'k', 'one');
    const res = await raw('DELETE', `/${bucket}/k?versionId=${encodeURIComponent('v\u00e9rsion')}`);
    expect(res.status).toBe(400);
    await adminFlush(server.url);
    const records = (await readLogObjects(s3, logs, 'bad-v/')).flatMap((o) => o.records);
    const refused = records.filter((r) => r.operation === 'REST.DELETE.OBJECT');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      key: 'k',
      httpStatus: '400',
      errorCode: 'InvalidArgument',
      requestId: res.header('x-amz-request-id'),
    });
  });
});
