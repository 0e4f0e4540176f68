import { describe, expect, it } from 'vitest';
import { isS3Error, S3Error } from '../../../../errors/s3-error.js';
import { errorTable, type S3ErrorCode } from '../../../../errors/table.js';

// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
const SPOT: [S3ErrorCode, number][] = [
  ['NoSuchKey', 404],
  ['NoSuchBucket', 404],
  ['AccessDenied', 403],
  ['InvalidRange', 416],
  ['PreconditionFailed', 412],
  ['NotModified', 304],
  ['MethodNotAllowed', 405],
  ['NotImplemented', 501],
  ['CrossLocationLoggingProhibitted', 403],
  ['MissingContentLength', 411],
  ['NoSuchBucketPolicy', 404],
  ['NoSuchUpload', 404],
  ['BucketNotEmpty', 409],
  ['BucketAlreadyOwnedByYou', 409],
  ['InternalError', 500],
  ['SignatureDoesNotMatch', 403],
  ['InvalidBucketName', 400],
  ['MalformedXML', 400],
  ['InvalidURI', 400],
  ['InvalidPartNumber', 416],
  ['EntityTooSmall', 400],
  ['InvalidArgument', 400],
];

describe('errorTable', () => {
  it.each(Object.entries(errorTable))('%s: 3-digit status and a message', (_code, [status, message]) => {
    expect(Number.isInteger(status)).toBe(true);
    expect(String(status)).toMatch(/^[1-5]\d\d$/);
    expect(message.trim().length).toBeGreaterThan(0);
  });

  it.each(SPOT)('%s is %i', (code, status) => {
    expect(errorTable[code][0]).toBe(status);
  });

  it('codes are spelled as AWS does (CrossLocationLoggingProhibitted keeps its double t)', () => {
    expect(Object.keys(errorTable)).toContain('CrossLocationLoggingProhibitted');
    for (const code of Object.keys(errorTable)) expect(code).toMatch(/^[A-Z][A-Za-z0-9]+$/);
  });

  it('AWS default messages, exact', () => {
    expect(errorTable.NoSuchKey[1]).toBe('The specified key does not exist.');
    expect(errorTable.NoSuchBucket[1]).toBe('The specified bucket does not exist');
    expect(errorTable.AccessDenied[1]).toBe('Access Denied');
    expect(errorTable.InvalidRange[1]).toBe('The requested range is not satisfiable');
    expect(errorTable.PreconditionFailed[1]).toBe('At least one of the pre-conditions you specified did not hold');
  });
});

describe('S3Error', () => {
  it('takes status and default message from the table', () => {
    const err = new S3Error('NoSuchKey', { Key: 'a/b' });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('NoSuchKey');
    expect(err.status).toBe(404);
    expect(err.message).toBe('The specified key does not exist.');
    expect(err.details).toEqual({ Key: 'a/b' });
    expect(err.headers).toEqual({});
    expect(isS3Error(err)).toBe(true);
  });

  it('a custom message and headers override the defaults', () => {
    const err = new S3Error('NotModified', {}, 'custom', { ETag: '"x"' });
    expect(err.message).toBe('custom');
    expect(err.status).toBe(304);
    expect(err.headers).toEqual({ ETag: '"x"' });
  });

  it('every code constructs', () => {
    for (const code of Object.keys(errorTable) as S3ErrorCode[]) {
      const err = new S3Error(code);
      expect(err.status).toBe(errorTable[code][0]);
      expect(err.message).toBe(errorTable[code][1]);
    }
  });

  it('isS3Error is false for other errors and values', () => {
    expect(isS3Error(new Error('x'))).toBe(false);
    expect(isS3Error({ code: 'NoSuchKey', status: 404 })).toBe(false);
    expect(isS3Error(undefined)).toBe(false);
  });
});
