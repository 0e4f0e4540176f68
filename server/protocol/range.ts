import { S3Error } from '../../errors/s3-error.js';
import type { ByteRange } from '../../storage/storage.js';

/**
 * Parses a single-range `Range: bytes=` header against an object size. S3 ignores headers it cannot
 * parse and multi-range requests (serving the whole object) and answers 416 InvalidRange only for a
 * well-formed range that starts past the end.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const [, first, last] = m;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) throw new S3Error('InvalidRange', { RangeRequested: header, ActualObjectSize: size });
    if (size === 0) return undefined;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) throw new S3Error('InvalidRange', { RangeRequested: header, ActualObjectSize: size });
  return { start, end };
}
