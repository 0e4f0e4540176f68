import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { expect, expectS3Error, freshBucket, s3ClientFor, test, xmlText } from '../helpers/server.js';

describe('buckets', () => {
  test("ListBuckets: lists the caller's buckets in name order with owner and creation date", async ({ s3 }) => {
    const a = await freshBucket(s3, 'list-b');
    const b = await freshBucket(s3, 'list-a');
    const out = await s3.send(new ListBucketsCommand({}));
    expect(out.$metadata.httpStatusCode).toBe(200);
    const names = (out.Buckets ?? []).map((x) => x.Name!);
    expect(names).toEqual(expect.arrayContaining([a, b]));
    expect(names).toEqual([...names].sort());
    const mine = out.Buckets!.find((x) => x.Name === a)!;
    expect(mine.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs(mine.CreationDate!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(out.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  test('CreateBucket: without a configuration creates a us-east-1 bucket', async ({ s3 }) => {
    const name = `plain-${Date.now()}`;
    const out = await s3.send(new CreateBucketCommand({ Bucket: name }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Location).toBe(`/${name}`);
    const loc = await s3.send(new GetBucketLocationCommand({ Bucket: name }));
    expect(loc.LocationConstraint).toBeUndefined();
  });

  test('CreateBucket: LocationConstraint sent to that Region creates the bucket there', async ({ server }) => {
    // A client for eu-west-1: AWS accepts a constraint that matches the endpoint's Region.
    const eu = s3ClientFor(server, { region: 'eu-west-1' });
    try {
      const name = `eu-${Date.now()}`;
      const out = await eu.send(
        new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
      );
      expect(out.$metadata.httpStatusCode).toBe(200);
      const loc = await eu.send(new GetBucketLocationCommand({ Bucket: name }));
      expect(loc.LocationConstraint).toBe('eu-west-1');
      const head = await eu.send(new HeadBucketCommand({ Bucket: name }));
      expect(head.BucketRegion).toBe('eu-west-1');
      // Outside us-east-1 a second create by the owner is 409.
      await expectS3Error(
        eu.send(
          new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
        ),
        'BucketAlreadyOwnedByYou',
        409,
      );
    } finally {
      eu.destroy();
    }
  });

  test('CreateBucket: an explicit us-east-1 LocationConstraint is InvalidLocationConstraint', async ({ s3 }) => {
    // us-east-1 buckets are created by sending no constraint; naming it is rejected.
    await expectS3Error(
      s3.send(
        new CreateBucketCommand({
          Bucket: `use1-${Date.now()}`,
          CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as BucketLocationConstraint },
        }),
      ),
      'InvalidLocationConstraint',
      400,
    );
  });

  test.for(['Bad_Name', 'ab', '192.168.1.1', 'a..b', '-lead', 'trail-', 'x'.repeat(64), 'UPPER'])(
    'CreateBucket: %s is InvalidBucketName',
    async (name, { raw }) => {
      // Raw request: the SDK may refuse some of these names before sending them.
      const res = await raw('PUT', `/${encodeURIComponent(name)}`);
      expect(res.status).toBe(400);
      expect(xmlText(res.text, 'Code')).toBe('InvalidBucketName');
    },
  );

  test('CreateBucket: InvalidBucketName through the SDK', async ({ s3 }) => {
    await expectS3Error(s3.send(new CreateBucketCommand({ Bucket: 'a..b' })), 'InvalidBucketName', 400);
  });

  test('CreateBucket: the owner re-creating a us-east-1 bucket gets 200', async ({ s3, bucket }) => {
    // us-east-1 keeps its legacy answer; every other Region says BucketAlreadyOwnedByYou.
    const out = await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  test('HeadBucket: 200 with the bucket Region for an existing bucket', async ({ s3, bucket }) => {
    const out = await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.BucketRegion).toBe('us-east-1');
  });

  test('HeadBucket: 404 for a missing bucket', async ({ s3 }) => {
    await expectS3Error(s3.send(new HeadBucketCommand({ Bucket: `missing-${Date.now()}` })), 'NotFound', 404);
  });

  test('GetBucketLocation: us-east-1 is an empty LocationConstraint element', async ({ raw, bucket }) => {
    const res = await raw('GET', `/${bucket}?location`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /<LocationConstraint xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/"\s*\/>|<LocationConstraint xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/"><\/LocationConstraint>/,
    );
  });

  test('GetBucketLocation: NoSuchBucket for a missing bucket', async ({ s3 }) => {
    await expectS3Error(
      s3.send(new GetBucketLocationCommand({ Bucket: `missing-${Date.now()}` })),
      'NoSuchBucket',
      404,
    );
  });

  test('DeleteBucket: an empty bucket is deleted (204) and gone', async ({ s3, bucket }) => {
    const out = await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expectS3Error(s3.send(new HeadBucketCommand({ Bucket: bucket })), 'NotFound', 404);
    const list = await s3.send(new ListBucketsCommand({}));
    expect((list.Buckets ?? []).map((b) => b.Name)).not.toContain(bucket);
  });

  test('DeleteBucket: BucketNotEmpty (409) while objects remain', async ({ s3, bucket }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    await expectS3Error(s3.send(new DeleteBucketCommand({ Bucket: bucket })), 'BucketNotEmpty', 409);
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  });

  test('DeleteBucket: NoSuchBucket (404) for a missing bucket', async ({ s3 }) => {
    await expectS3Error(s3.send(new DeleteBucketCommand({ Bucket: `missing-${Date.now()}` })), 'NoSuchBucket', 404);
  });
});
