import { S3Error } from '../../errors/s3-error.js';
import { MAX_KEY_BYTES, type Owner } from '../../storage/storage.js';
import type { S3Request } from './handler.js';
import type { Identity } from './identity.js';

export const ownerOf = (identity: Identity | undefined): Owner => ({
  id: identity?.canonicalId ?? '65a011a29cdf8ec533ec3d1ccaae921c',
  displayName: identity?.displayName ?? 'anonymous',
});

/** Object keys are at most MAX_KEY_BYTES bytes of UTF-8. */
export function requireKey(req: S3Request): string {
  const key = req.key!;
  if (Buffer.byteLength(key) > MAX_KEY_BYTES)
    throw new S3Error('KeyTooLongError', { Size: Buffer.byteLength(key), MaxSizeAllowed: MAX_KEY_BYTES });
  return key;
}

// Listings format thousands of dates per page, many of them equal; toISOString is not cheap.
const isoCache = new Map<number, string>();
export function isoDate(ms: number): string {
  let iso = isoCache.get(ms);
  if (iso === undefined) {
    if (isoCache.size >= 50_000) isoCache.clear();
    iso = new Date(ms).toISOString();
    isoCache.set(ms, iso);
  }
  return iso;
}
