import {
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketOwnershipControlsCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  GetBucketOwnershipControlsCommand,
  type ObjectOwnership,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ConfigHarness, errorOf, refusal, requestIdOf, startHarness } from '../helpers/bucket-config.js';

let h: ConfigHarness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

const put = (Bucket: string, ObjectOwnership: ObjectOwnership) =>
  h.s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership }] } }));
const get = async (Bucket: string) =>
  (await h.s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules;

describe('Bucket ownership controls', () => {
  test.each(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const)(
    'PutBucketOwnershipControls: %s round-trips; Delete, then OwnershipControlsNotFoundError',
    async (ownership) => {
      const b = await h.bucket();
      expect((await put(b, ownership)).$metadata.httpStatusCode).toBe(200);
      expect(await get(b)).toEqual([{ ObjectOwnership: ownership }]);
      const del = await h.s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: b }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      expect(await refusal(get(b))).toMatchObject({ name: 'OwnershipControlsNotFoundError', status: 404 });
    },
  );

  test('GetBucketOwnershipControls: never configured is OwnershipControlsNotFoundError (404)', async () => {
    const b = await h.bucket();
    const res = await h.raw('GET', `/${b}?ownershipControls`);
    expect(res.status).toBe(404);
    expect(errorOf(res.text).code).toBe('OwnershipControlsNotFoundError');
  });

  test('PutBucketOwnershipControls: BucketOwnerEnforced on a bucket whose ACL grants others is InvalidBucketAclWithObjectOwnership', async () => {
    const b = await h.bucket();
    await h.s3.send(new PutBucketAclCommand({ Bucket: b, ACL: 'public-read' }));
    expect(await refusal(put(b, 'BucketOwnerEnforced'))).toMatchObject({
      name: 'InvalidBucketAclWithObjectOwnership',
      status: 400,
    });
    // The other settings keep ACLs and are accepted; so is enforcement once the ACL is private again.
    await put(b, 'BucketOwnerPreferred');
    await h.s3.send(new PutBucketAclCommand({ Bucket: b, ACL: 'private' }));
    await put(b, 'BucketOwnerEnforced');
    expect(await get(b)).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
  });

  test.each([
    [
      'an unknown setting',
      '<OwnershipControls><Rule><ObjectOwnership>Anyone</ObjectOwnership></Rule></OwnershipControls>',
    ],
    ['no rule', '<OwnershipControls/>'],
    [
      'two rules',
      '<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>',
    ],
  ])('PutBucketOwnershipControls: %s is MalformedXML (400)', async (_label, body) => {
    const b = await h.bucket();
    const res = await h.raw('PUT', `/${b}?ownershipControls`, { body });
    expect(res.status).toBe(400);
    expect(errorOf(res.text).code).toBe('MalformedXML');
  });
});

describe('CreateBucket with x-amz-object-ownership', () => {
  test.each(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const)(
    "CreateBucket: ObjectOwnership %s becomes the bucket's ownership controls",
    async (ownership) => {
      const b = `own-${ownership.toLowerCase()}-${Date.now()}`;
      await h.s3.send(new CreateBucketCommand({ Bucket: b, ObjectOwnership: ownership }));
      expect(await get(b)).toEqual([{ ObjectOwnership: ownership }]);
    },
  );

  test('CreateBucket: BucketOwnerEnforced with a public-read ACL is InvalidBucketAclWithObjectOwnership; an unknown value, InvalidArgument', async () => {
    expect(
      await refusal(
        h.s3.send(
          new CreateBucketCommand({
            Bucket: `own-acl-${Date.now()}`,
            ObjectOwnership: 'BucketOwnerEnforced',
            ACL: 'public-read',
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidBucketAclWithObjectOwnership', status: 400 });
    const res = await h.raw('PUT', `/own-bad-${Date.now()}`, { headers: { 'x-amz-object-ownership': 'Nobody' } });
    expect(res.status).toBe(400);
    expect(errorOf(res.text).code).toBe('InvalidArgument');
  });
});

describe('Bucket ownership controls: BucketOwnerEnforced disables ACLs', () => {
  test('BucketOwnerEnforced: writes without an ACL or with bucket-owner-full-control pass; any other ACL is AccessControlListNotSupported', async () => {
    const b = await h.bucket();
    await put(b, 'BucketOwnerEnforced');
    await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'plain', Body: 'x' }));
    await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'bofc', Body: 'x', ACL: 'bucket-owner-full-control' }));
    await h.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'copy', CopySource: `${b}/plain` }));
    const notSupported = {
      name: 'AccessControlListNotSupported',
      status: 400,
      message: 'The bucket does not allow ACLs',
    };
    expect(
      await refusal(h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'p', Body: 'x', ACL: 'private' }))),
    ).toMatchObject(notSupported);
    expect(
      await refusal(
        h.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'c', CopySource: `${b}/plain`, ACL: 'public-read' })),
      ),
    ).toMatchObject(notSupported);
    expect(
      await refusal(h.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'm', ACL: 'private' }))),
    ).toMatchObject(notSupported);
    expect(await refusal(h.s3.send(new PutBucketAclCommand({ Bucket: b, ACL: 'private' })))).toMatchObject(
      notSupported,
    );
    expect(
      await refusal(h.s3.send(new PutObjectAclCommand({ Bucket: b, Key: 'plain', ACL: 'private' }))),
    ).toMatchObject(notSupported);
    // Other settings keep ACLs.
    await put(b, 'ObjectWriter');
    await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'p', Body: 'x', ACL: 'private' }));
  });
});

describe('Bucket ownership controls: access-log records', () => {
  test.each([
    ['PutBucketOwnershipControls', 'REST.PUT.OWNERSHIP_CONTROLS', 200, (b: string) => put(b, 'ObjectWriter')],
    [
      'GetBucketOwnershipControls',
      'REST.GET.OWNERSHIP_CONTROLS',
      200,
      async (b: string) => {
        await put(b, 'ObjectWriter');
        return h.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: b }));
      },
    ],
    [
      'DeleteBucketOwnershipControls',
      'REST.DELETE.OWNERSHIP_CONTROLS',
      204,
      (b: string) => h.s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: b })),
    ],
  ] as const)('%s: the delivered record is %s with key - and status %i', async (_name, operation, status, run) => {
    const b = await h.loggedBucket();
    const id = requestIdOf(await run(b));
    expect(await h.deliveredRecord(b, id)).toMatchObject({
      operation,
      key: '-',
      httpStatus: String(status),
      bucket: b,
    });
  });
});
