import type { LogObjectKeyFormat } from './object-key.js';

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
