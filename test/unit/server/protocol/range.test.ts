import { describe, expect, it } from 'vitest';
import { S3Error } from '../../../../errors/s3-error.js';
import { parseRange } from '../../../../server/protocol/range.js';

function rangeError(header: string, size: number): S3Error {
  try {
    parseRange(header, size);
  } catch (err) {
    return err as S3Error;
  }
  throw new Error(`no error for ${header} on ${size} bytes`);
}

describe('parseRange', () => {
  it('no header → whole object', () => {
    expect(parseRange(undefined, 100)).toBeUndefined();
    expect(parseRange('', 100)).toBeUndefined();
  });

  it('bytes=first-last (inclusive)', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=10-10', 100)).toEqual({ start: 10, end: 10 });
    expect(parseRange(' bytes=0-9 ', 100)).toEqual({ start: 0, end: 9 });
  });

  it('bytes=first- → to the end', () => {
    expect(parseRange('bytes=5-', 100)).toEqual({ start: 5, end: 99 });
    expect(parseRange('bytes=99-', 100)).toEqual({ start: 99, end: 99 });
  });

  it('bytes=-suffix → the last suffix bytes, the whole object when longer', () => {
    expect(parseRange('bytes=-3', 100)).toEqual({ start: 97, end: 99 });
    expect(parseRange('bytes=-100', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
  });

  it('an end past the object is clamped to size-1', () => {
    expect(parseRange('bytes=0-999', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=90-1000000', 100)).toEqual({ start: 90, end: 99 });
  });

  it('bytes=-0 → 416 InvalidRange', () => {
    const err = rangeError('bytes=-0', 100);
    expect(err).toBeInstanceOf(S3Error);
    expect(err.code).toBe('InvalidRange');
    expect(err.status).toBe(416);
  });

  it('a start at or beyond the size → 416 InvalidRange with the requested range and size', () => {
    const err = rangeError('bytes=100-200', 100);
    expect(err.code).toBe('InvalidRange');
    expect(err.status).toBe(416);
    expect(err.details).toEqual({ RangeRequested: 'bytes=100-200', ActualObjectSize: 100 });
    expect(rangeError('bytes=150-', 100).code).toBe('InvalidRange');
  });

  it.each([
    'bytes=0-1,5-6', // multi-range: S3 serves the whole object
    'bytes=-',
    'bytes=a-b',
    'bytes=5-2', // last < first is syntactically invalid (RFC 9110 §14.1.1), so ignored
    'items=0-9',
    'bytes 0-9',
    'bytes=0-9x',
    'garbage',
  ])('%s → undefined (whole object)', (header) => {
    expect(parseRange(header, 100)).toBeUndefined();
  });

  // AWS answers 416 to any first-last range on a 0-byte object (bytes=0-0 included), but a suffix
  // range reads the empty body.
  it('empty object: a first-byte range is InvalidRange, a suffix range the (empty) whole object', () => {
    expect(rangeError('bytes=0-0', 0).code).toBe('InvalidRange');
    expect(rangeError('bytes=0-', 0).code).toBe('InvalidRange');
    expect(parseRange('bytes=-1', 0)).toBeUndefined();
    expect(rangeError('bytes=-0', 0).code).toBe('InvalidRange');
  });

  it('one-byte object', () => {
    expect(parseRange('bytes=0-0', 1)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=-1', 1)).toEqual({ start: 0, end: 0 });
    expect(rangeError('bytes=1-', 1).code).toBe('InvalidRange');
  });
});
