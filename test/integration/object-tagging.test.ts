import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectTaggingCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { adminFlush, readLogObjects } from '../helpers/access-logs.js';
import { expect, expectS3Error, freshBucket, test } from '../helpers/server.js';

const tagsOf = (set: { Key?: string; Value?: string }[] | undefined) =>
  Object.fromEntries((set ?? []).map((t) => [t.Key, t.Value]));

describe('Object tagging', () => {
  test('PutObjectTagging / GetObjectTagging / DeleteObjectTagging round trip; HEAD counts the tags', async ({
    s3,
    bucket,
  }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: 'k',
        Tagging: {
          TagSet: [
            { Key: 'team', Value: 'a' },
            { Key: 'env', Value: 'dev' },
          ],
        },
      }),
    );
    const got = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k' }));
    expect(tagsOf(got.TagSet)).toEqual({ team: 'a', env: 'dev' });
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(head.$metadata.httpStatusCode).toBe(200);
    await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'k' }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k' }))).TagSet).toEqual([]);
  });

  test('x-amz-tagging on PUT and CreateMultipartUpload; x-amz-tagging-count on HEAD', async ({ s3, raw, bucket }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'p', Body: 'v', Tagging: 'a=1&b=two%20words' }));
    expect(tagsOf((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'p' }))).TagSet)).toEqual({
      a: '1',
      b: 'two words',
    });
    expect((await raw('HEAD', `/${bucket}/p`)).header('x-amz-tagging-count')).toBe('2');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'm', Tagging: 'x=y' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'm', UploadId, PartNumber: 1, Body: 'z' }));
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'm',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    expect(tagsOf((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'm' }))).TagSet)).toEqual({
      x: 'y',
    });
  });

  test('CopyObject: tags are copied by default and replaced with x-amz-tagging-directive REPLACE', async ({
    s3,
    bucket,
  }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: 'v', Tagging: 'a=1' }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'kept', CopySource: `${bucket}/src` }));
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'replaced',
        CopySource: `${bucket}/src`,
        TaggingDirective: 'REPLACE',
        Tagging: 'b=2',
      }),
    );
    const tags = async (Key: string) =>
      tagsOf((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key }))).TagSet);
    expect(await tags('kept')).toEqual({ a: '1' });
    expect(await tags('replaced')).toEqual({ b: '2' });
  });

  test('Limits: 11 tags is BadRequest, a 129-character key InvalidTag, a repeated key InvalidTag', async ({
    s3,
    bucket,
  }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
    const put = (TagSet: { Key: string; Value: string }[]) =>
      s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'k', Tagging: { TagSet } }));
    await expectS3Error(put(Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }))), 'BadRequest', 400);
    await expectS3Error(put([{ Key: 'x'.repeat(129), Value: 'v' }]), 'InvalidTag', 400);
    await expectS3Error(
      put([
        { Key: 'same', Value: '1' },
        { Key: 'same', Value: '2' },
      ]),
      'InvalidTag',
      400,
    );
    await expectS3Error(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'h', Body: 'v', Tagging: `k=${'v'.repeat(257)}` })),
      'InvalidTag',
      400,
    );
  });

  test('Versioned: tags belong to a version', async ({ s3, bucket }) => {
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: '1', Tagging: 'v=1' }))).VersionId;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: '2', Tagging: 'v=2' }));
    const get = async (VersionId?: string) =>
      tagsOf((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k', VersionId }))).TagSet);
    expect(await get()).toEqual({ v: '2' });
    expect(await get(v1)).toEqual({ v: '1' });
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: 'k',
        VersionId: v1,
        Tagging: { TagSet: [{ Key: 'v', Value: 'one' }] },
      }),
    );
    expect(await get(v1)).toEqual({ v: 'one' });
    expect(await get()).toEqual({ v: '2' });
  });

  test('Policy: s3:ExistingObjectTag decides an anonymous read', async ({ s3, raw, bucket }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'pub', Body: 'v', Tagging: 'visibility=public' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'priv', Body: 'v', Tagging: 'visibility=private' }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${bucket}/*`,
          Condition: { StringEquals: { 's3:ExistingObjectTag/visibility': 'public' } },
        },
      ],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    expect((await raw('GET', `/${bucket}/pub`, { anonymous: true })).status).toBe(200);
    expect((await raw('GET', `/${bucket}/priv`, { anonymous: true })).status).toBe(403);
  });

  test('Access log: the three tagging operations log REST.*.OBJECT_TAGGING with the key', async ({
    s3,
    server,
    bucket,
  }) => {
    const logs = await freshBucket(s3, 'logs');
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket: bucket,
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: logs, TargetPrefix: 't/' } },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
    await s3.send(
      new PutObjectTaggingCommand({ Bucket: bucket, Key: 'k', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }),
    );
    await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k' }));
    await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'k' }));
    await adminFlush(server.url);
    const records = (await readLogObjects(s3, logs, 't/')).flatMap((o) => o.records);
    const ops = records.filter((r) => r.operation.endsWith('OBJECT_TAGGING'));
    expect(ops.map((r) => [r.operation, r.key, r.httpStatus])).toEqual([
      ['REST.PUT.OBJECT_TAGGING', 'k', '200'],
      ['REST.GET.OBJECT_TAGGING', 'k', '200'],
      ['REST.DELETE.OBJECT_TAGGING', 'k', '204'],
    ]);
  });
});
