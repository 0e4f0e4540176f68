import { describe, expect, it } from 'vitest';
import { isValidBucketName } from '../../../common/bucket-name.js';

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
describe('isValidBucketName', () => {
  it.each([
    'abc',
    'my-bucket',
    'my.bucket.name',
    '123',
    'a1b2',
    'a'.repeat(63),
    'docexamplebucket1',
    'log-delivery-write',
    'xn-abc',
    'sthree',
    'bucket-s3',
    'ol-s3',
    '1.2.3',
    '1.2.3.4.5',
  ])('valid: %s', (name) => {
    expect(isValidBucketName(name)).toBe(true);
  });

  it.each([
    ['too short', 'ab'],
    ['too long', 'a'.repeat(64)],
    ['empty', ''],
    ['uppercase', 'MyBucket'],
    ['underscore', 'my_bucket'],
    ['space', 'my bucket'],
    ['starts with a hyphen', '-bucket'],
    ['ends with a hyphen', 'bucket-'],
    ['starts with a dot', '.bucket'],
    ['ends with a dot', 'bucket.'],
    ['adjacent dots', 'my..bucket'],
    ['dot then hyphen', 'my.-bucket'],
    ['hyphen then dot', 'my-.bucket'],
    ['IP address', '192.168.5.4'],
    ['IP-shaped', '999.999.999.999'],
    ['xn-- prefix', 'xn--bucket'],
    ['sthree- prefix', 'sthree-bucket'],
    ['sthree-configurator prefix', 'sthree-configurator'],
    ['amzn-s3-demo- prefix', 'amzn-s3-demo-bucket'],
    ['-s3alias suffix', 'bucket-s3alias'],
    ['--ol-s3 suffix', 'bucket--ol-s3'],
    ['.mrap suffix', 'bucket.mrap'],
    ['--x-s3 suffix', 'bucket--x-s3'],
    ['--table-s3 suffix', 'bucket--table-s3'],
    ['slash', 'a/b'],
    ['non-ASCII', 'bückét'],
  ])('invalid (%s): %s', (_why, name) => {
    expect(isValidBucketName(name)).toBe(false);
  });
});
