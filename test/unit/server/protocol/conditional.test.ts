import { describe, expect, it } from 'vitest';
import { S3Error } from '../../../../errors/s3-error.js';
import {
  checkCopySourcePreconditions,
  checkReadPreconditions,
  etagListMatches,
  notModifiedHeaders,
  writePreconditions,
} from '../../../../server/protocol/conditional.js';
import type { ObjectMeta } from '../../../../storage/storage.js';

const ETAG = 'd41d8cd98f00b204e9800998ecf8427e';
const MODIFIED = Date.UTC(2024, 0, 15, 12, 0, 0, 700);
const meta: ObjectMeta = {
  key: 'k',
  size: 0,
  etag: ETAG,
  lastModified: MODIFIED,
  userMetadata: {},
  checksums: {},
  storageClass: 'STANDARD',
  owner: { id: 'o', displayName: 'o' },
};
const BEFORE = new Date(MODIFIED - 3_600_000).toUTCString();
const AFTER = new Date(MODIFIED + 3_600_000).toUTCString();
const SAME_SECOND = new Date(MODIFIED).toUTCString(); // the HTTP date drops the 700 ms

function thrown(fn: () => void): S3Error | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof S3Error) return err;
    throw err;
  }
  return undefined;
}

const read = (h: Record<string, string | string[]>) => thrown(() => checkReadPreconditions(h, meta));
const copy = (h: Record<string, string>) => thrown(() => checkCopySourcePreconditions(h, meta));

describe('etagListMatches', () => {
  it.each([
    [`"${ETAG}"`, true],
    [ETAG, true],
    ['*', true],
    [`W/"${ETAG}"`, true],
    [`"other", "${ETAG}"`, true],
    [`"other",W/"${ETAG}"`, true],
    ['"other"', false],
    ['"other", "more"', false],
    [`"${ETAG.toUpperCase()}"`, false],
  ])('%s → %s', (list, expected) => {
    expect(etagListMatches(list, ETAG)).toBe(expected);
  });
});

describe('checkReadPreconditions', () => {
  it('no conditions pass', () => {
    expect(read({})).toBeUndefined();
  });

  it('If-Match: matching passes, other → 412 PreconditionFailed', () => {
    expect(read({ 'if-match': `"${ETAG}"` })).toBeUndefined();
    const err = read({ 'if-match': '"other"' });
    expect(err?.code).toBe('PreconditionFailed');
    expect(err?.status).toBe(412);
  });

  it('If-Unmodified-Since: earlier → 412, later or same second passes', () => {
    expect(read({ 'if-unmodified-since': BEFORE })?.code).toBe('PreconditionFailed');
    expect(read({ 'if-unmodified-since': AFTER })).toBeUndefined();
    expect(read({ 'if-unmodified-since': SAME_SECOND })).toBeUndefined();
  });

  it('If-None-Match: matching → 304 NotModified with ETag and Last-Modified, other passes', () => {
    const err = read({ 'if-none-match': `"${ETAG}"` });
    expect(err?.code).toBe('NotModified');
    expect(err?.status).toBe(304);
    expect(err?.headers).toEqual({ ETag: `"${ETAG}"`, 'Last-Modified': 'Mon, 15 Jan 2024 12:00:00 GMT' });
    expect(read({ 'if-none-match': '*' })?.code).toBe('NotModified');
    expect(read({ 'if-none-match': '"other"' })).toBeUndefined();
  });

  it('If-Modified-Since: later or same second → 304, earlier passes', () => {
    expect(read({ 'if-modified-since': AFTER })?.code).toBe('NotModified');
    expect(read({ 'if-modified-since': SAME_SECOND })?.code).toBe('NotModified');
    expect(read({ 'if-modified-since': BEFORE })).toBeUndefined();
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (If-Match / If-None-Match notes)
  it('If-Match true + If-Unmodified-Since false → passes (200)', () => {
    expect(read({ 'if-match': `"${ETAG}"`, 'if-unmodified-since': BEFORE })).toBeUndefined();
  });

  it('If-None-Match false + If-Modified-Since true → 304', () => {
    expect(read({ 'if-none-match': `"${ETAG}"`, 'if-modified-since': BEFORE })?.code).toBe('NotModified');
  });

  it('If-Match false → 412 even when If-None-Match would give 304', () => {
    expect(read({ 'if-match': '"other"', 'if-none-match': `"${ETAG}"` })?.code).toBe('PreconditionFailed');
  });

  it('412 wins over 304: failing If-Unmodified-Since with matching If-None-Match', () => {
    expect(read({ 'if-unmodified-since': BEFORE, 'if-none-match': `"${ETAG}"` })?.code).toBe('PreconditionFailed');
  });

  it('unparseable dates are ignored', () => {
    expect(read({ 'if-modified-since': 'not a date' })).toBeUndefined();
    expect(read({ 'if-unmodified-since': 'yesterday-ish' })).toBeUndefined();
  });

  it('a repeated header uses its first value', () => {
    expect(read({ 'if-match': ['"other"', `"${ETAG}"`] })?.code).toBe('PreconditionFailed');
  });

  it('notModifiedHeaders: quoted ETag and the HTTP date', () => {
    expect(notModifiedHeaders(meta)).toEqual({ ETag: `"${ETAG}"`, 'Last-Modified': 'Mon, 15 Jan 2024 12:00:00 GMT' });
  });
});

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html: every failing copy-source
// condition is 412, never 304.
describe('checkCopySourcePreconditions', () => {
  it.each([
    [{ 'x-amz-copy-source-if-match': '"other"' }],
    [{ 'x-amz-copy-source-if-none-match': `"${ETAG}"` }],
    [{ 'x-amz-copy-source-if-none-match': '*' }],
    [{ 'x-amz-copy-source-if-unmodified-since': BEFORE }],
    [{ 'x-amz-copy-source-if-modified-since': AFTER }],
    [{ 'x-amz-copy-source-if-none-match': `"${ETAG}"`, 'x-amz-copy-source-if-modified-since': BEFORE }],
  ])('%j → 412 PreconditionFailed', (h) => {
    const err = copy(h);
    expect(err?.code).toBe('PreconditionFailed');
    expect(err?.status).toBe(412);
  });

  it.each([
    [{}],
    [{ 'x-amz-copy-source-if-match': `"${ETAG}"` }],
    [{ 'x-amz-copy-source-if-none-match': '"other"' }],
    [{ 'x-amz-copy-source-if-unmodified-since': AFTER }],
    [{ 'x-amz-copy-source-if-modified-since': BEFORE }],
    [{ 'x-amz-copy-source-if-match': `"${ETAG}"`, 'x-amz-copy-source-if-unmodified-since': BEFORE }],
  ])('%j → passes', (h) => {
    expect(copy(h)).toBeUndefined();
  });

  it('GET conditions are not copy-source conditions', () => {
    expect(copy({ 'if-match': '"other"', 'if-none-match': `"${ETAG}"` })).toBeUndefined();
  });
});

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
describe('writePreconditions', () => {
  const check = (h: Record<string, string>, current: ObjectMeta | undefined) =>
    thrown(() => writePreconditions(h)!(current));

  it('no conditional headers → no check', () => {
    expect(writePreconditions({})).toBeUndefined();
    expect(writePreconditions({ 'if-modified-since': AFTER })).toBeUndefined();
  });

  it('If-None-Match: * → 412 when the key exists, passes when it does not', () => {
    const err = check({ 'if-none-match': '*' }, meta);
    expect(err?.code).toBe('PreconditionFailed');
    expect(err?.status).toBe(412);
    expect(check({ 'if-none-match': '*' }, undefined)).toBeUndefined();
  });

  it('If-Match on a missing key → 404 NoSuchKey', () => {
    const err = check({ 'if-match': `"${ETAG}"` }, undefined);
    expect(err?.code).toBe('NoSuchKey');
    expect(err?.status).toBe(404);
  });

  it('If-Match: matching ETag passes, another → 412', () => {
    expect(check({ 'if-match': `"${ETAG}"` }, meta)).toBeUndefined();
    expect(check({ 'if-match': '"other"' }, meta)?.code).toBe('PreconditionFailed');
  });
});
