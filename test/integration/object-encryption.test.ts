import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { expect, expectS3Error, test } from '../helpers/server.js';

// s3scribe records and echoes server-side encryption settings (the bytes are stored as sent).
describe('Server-side encryption headers', () => {
  test('PutObject: SSE-S3 by default, echoed on PUT, GET and HEAD', async ({ s3, bucket }) => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
    expect(put.ServerSideEncryption).toBe('AES256');
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }))).ServerSideEncryption).toBe('AES256');
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(get.ServerSideEncryption).toBe('AES256');
    await get.Body?.transformToString();
  });

  test('PutObject: SSE-KMS with a key id and bucket key is stored and echoed; copies take the request’s setting', async ({
    s3,
    bucket,
  }) => {
    const keyId = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'k',
        Body: 'v',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: keyId,
        BucketKeyEnabled: true,
      }),
    );
    expect([put.ServerSideEncryption, put.SSEKMSKeyId, put.BucketKeyEnabled]).toEqual(['aws:kms', keyId, true]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect([head.ServerSideEncryption, head.SSEKMSKeyId]).toEqual(['aws:kms', keyId]);
    const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'c', CopySource: `${bucket}/k` }));
    expect(copy.ServerSideEncryption).toBe('AES256');
  });

  test('PutObject: an unknown algorithm, or a KMS key with AES256, is InvalidArgument', async ({ raw, bucket }) => {
    const bad = await raw('PUT', `/${bucket}/k`, { headers: { 'x-amz-server-side-encryption': 'AES128' }, body: 'v' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Code>InvalidArgument</Code>');
    const mixed = await raw('PUT', `/${bucket}/k`, {
      headers: { 'x-amz-server-side-encryption': 'AES256', 'x-amz-server-side-encryption-aws-kms-key-id': 'k' },
      body: 'v',
    });
    expect(mixed.status).toBe(400);
  });

  test('PutObject: SSE-C over plain HTTP is refused, as AWS refuses it', async ({ s3, bucket }) => {
    const key = Buffer.alloc(32, 7);
    await expectS3Error(
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'c',
          Body: 'v',
          SSECustomerAlgorithm: 'AES256',
          SSECustomerKey: key.toString('base64'),
        }),
      ),
      'InvalidRequest',
      400,
    );
  });
});
