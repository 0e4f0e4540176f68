import { S3Error } from '../../errors/s3-error.js';
import type { ObjectMeta } from '../../storage/storage.js';

type Headers = Record<string, string | string[] | undefined>;

const one = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Whether an If-Match / If-None-Match list names this ETag (`*` names any). */
export function etagListMatches(list: string, etag: string): boolean {
  return list.split(',').some((item) => {
    const tag = item.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return tag === '*' || tag === etag;
  });
}

const parseDate = (value: string | undefined): number | undefined => {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
};

// HTTP dates have one-second resolution; an object modified within the same second is not newer.
const modifiedSince = (meta: ObjectMeta, since: number): boolean =>
  Math.floor(meta.lastModified / 1000) > Math.floor(since / 1000);

export function notModifiedHeaders(meta: ObjectMeta): Record<string, string> {
  return { ETag: `"${meta.etag}"`, 'Last-Modified': new Date(meta.lastModified).toUTCString() };
}

/**
 * GET/HEAD preconditions with S3's precedence (RFC 7232 §6): a passing If-Match overrides a failing
 * If-Unmodified-Since, and a failing If-None-Match decides 304 whatever If-Modified-Since says.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax
 */
export function checkReadPreconditions(h: Headers, meta: ObjectMeta): void {
  const ifMatch = one(h, 'if-match');
  const ifNoneMatch = one(h, 'if-none-match');
  if (ifMatch !== undefined) {
    if (!etagListMatches(ifMatch, meta.etag)) throw new S3Error('PreconditionFailed', { Condition: 'If-Match' });
  } else {
    const since = parseDate(one(h, 'if-unmodified-since'));
    if (since !== undefined && modifiedSince(meta, since))
      throw new S3Error('PreconditionFailed', { Condition: 'If-Unmodified-Since' });
  }
  if (ifNoneMatch !== undefined) {
    if (etagListMatches(ifNoneMatch, meta.etag))
      throw new S3Error('NotModified', {}, undefined, notModifiedHeaders(meta));
  } else {
    const since = parseDate(one(h, 'if-modified-since'));
    if (since !== undefined && !modifiedSince(meta, since))
      throw new S3Error('NotModified', {}, undefined, notModifiedHeaders(meta));
  }
}

/** CopyObject / UploadPartCopy source preconditions: every failure is 412. */
export function checkCopySourcePreconditions(h: Headers, meta: ObjectMeta): void {
  const ifMatch = one(h, 'x-amz-copy-source-if-match');
  const ifNoneMatch = one(h, 'x-amz-copy-source-if-none-match');
  const unmodified = parseDate(one(h, 'x-amz-copy-source-if-unmodified-since'));
  const modified = parseDate(one(h, 'x-amz-copy-source-if-modified-since'));
  if (ifMatch !== undefined) {
    if (!etagListMatches(ifMatch, meta.etag))
      throw new S3Error('PreconditionFailed', { Condition: 'x-amz-copy-source-If-Match' });
  } else if (unmodified !== undefined && modifiedSince(meta, unmodified)) {
    throw new S3Error('PreconditionFailed', { Condition: 'x-amz-copy-source-If-Unmodified-Since' });
  }
  if (ifNoneMatch !== undefined) {
    if (etagListMatches(ifNoneMatch, meta.etag))
      throw new S3Error('PreconditionFailed', { Condition: 'x-amz-copy-source-If-None-Match' });
  } else if (modified !== undefined && !modifiedSince(meta, modified)) {
    throw new S3Error('PreconditionFailed', { Condition: 'x-amz-copy-source-If-Modified-Since' });
  }
}

/**
 * Conditional writes, checked against the object as it is at commit time.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
export function writePreconditions(h: Headers): ((current: ObjectMeta | undefined) => void) | undefined {
  const ifMatch = one(h, 'if-match');
  const ifNoneMatch = one(h, 'if-none-match');
  if (ifMatch === undefined && ifNoneMatch === undefined) return undefined;
  return (current) => {
    if (ifMatch !== undefined) {
      if (!current) throw new S3Error('NoSuchKey');
      if (!etagListMatches(ifMatch, current.etag)) throw new S3Error('PreconditionFailed', { Condition: 'If-Match' });
    }
    if (ifNoneMatch !== undefined && current && etagListMatches(ifNoneMatch, current.etag)) {
      throw new S3Error('PreconditionFailed', { Condition: 'If-None-Match' });
    }
  };
}
