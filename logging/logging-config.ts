import { MAX_KEY_BYTES } from '../storage/storage.js';
import { type LogObjectKeyFormat, logObjectKey } from './object-key.js';

/** A grant in TargetGrants, kept as given and returned by GetBucketLogging. */
export interface TargetGrant {
  granteeType: 'CanonicalUser' | 'AmazonCustomerByEmail' | 'Group';
  id?: string;
  displayName?: string;
  emailAddress?: string;
  uri?: string;
  permission: 'FULL_CONTROL' | 'READ' | 'WRITE';
}

/** A source bucket's LoggingEnabled, stored with the bucket. */
export interface LoggingConfig {
  targetBucket: string;
  targetPrefix: string;
  targetGrants: TargetGrant[];
  /** Undefined when the request had no TargetObjectKeyFormat (SimplePrefix applies). */
  keyFormat?: LogObjectKeyFormat;
}

export const effectiveKeyFormat = (c: LoggingConfig): LogObjectKeyFormat => c.keyFormat ?? { kind: 'SimplePrefix' };

/**
 * Whether every log object this configuration names fits S3's 1,024-byte key limit: the prefix
 * plus the longest date part and unique string the key format adds.
 */
export function logKeysFit(c: LoggingConfig, source: { bucket: string; accountId: string; region: string }): boolean {
  const longest = logObjectKey({
    targetPrefix: c.targetPrefix,
    format: effectiveKeyFormat(c),
    deliveryTime: Date.UTC(2099, 11, 31, 23, 59, 59),
    eventTime: Date.UTC(2099, 11, 31, 23, 59, 59),
    sourceAccountId: source.accountId,
    sourceRegion: source.region,
    sourceBucket: source.bucket,
    uniqueString: 'F'.repeat(16),
  });
  return Buffer.byteLength(longest) <= MAX_KEY_BYTES;
}
