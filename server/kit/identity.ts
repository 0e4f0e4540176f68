import { createHash } from 'node:crypto';

/** Who a set of credentials stands for. Configurable; see README "Identities". */
export interface Identity {
  accessKeyId: string;
  accountId: string;
  /** 64 lowercase hex: the owner id S3 shows in listings and access logs. */
  canonicalId: string;
  displayName: string;
  /** `arn:aws:iam::ACCOUNT:root` for root credentials, a user or role ARN otherwise. */
  arn: string;
  /** Needed only when signatures are verified (`--verify-signatures`). */
  secretAccessKey?: string;
}

/** Identity for any access key not in the table (the AWS docs' example account). */
export const DEFAULT_IDENTITY: Omit<Identity, 'accessKeyId'> = {
  accountId: '123456789012',
  canonicalId: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
  displayName: 's3scribe',
  arn: 'arn:aws:iam::123456789012:root',
};

/** A stable canonical id (64 lowercase hex, as S3's) for an account configured without one. */
export const canonicalIdOf = (accountId: string): string =>
  createHash('sha256').update(`s3scribe-account:${accountId}`).digest('hex');

export type IdentityConfig = Partial<Identity> & { accessKeyId: string };

export class IdentityTable {
  private readonly byKey = new Map<string, Identity>();
  /** The identities configured, apart from the unknown keys `resolve` remembers. */
  private readonly configuredKeys = new Set<string>();

  constructor(entries: IdentityConfig[] = []) {
    for (const e of entries) {
      const accountId = e.accountId ?? DEFAULT_IDENTITY.accountId;
      const ownAccount = accountId !== DEFAULT_IDENTITY.accountId;
      // Every account is its own owner: an identity of another account never borrows the default
      // account's canonical id or name; keys of one account share one canonical id.
      this.byKey.set(e.accessKeyId, {
        ...DEFAULT_IDENTITY,
        canonicalId: ownAccount ? canonicalIdOf(accountId) : DEFAULT_IDENTITY.canonicalId,
        displayName: ownAccount ? accountId : DEFAULT_IDENTITY.displayName,
        arn: `arn:aws:iam::${accountId}:root`,
        ...e,
        accountId,
      });
      this.configuredKeys.add(e.accessKeyId);
    }
  }

  /** A configured identity only: with signatures verified, an unknown key is InvalidAccessKeyId. */
  configured(accessKeyId: string): Identity | undefined {
    return this.configuredKeys.has(accessKeyId) ? this.byKey.get(accessKeyId) : undefined;
  }

  /** Configured identities that have no secret (signature verification cannot check them). */
  withoutSecret(): string[] {
    return [...this.configuredKeys].filter((k) => !this.byKey.get(k)!.secretAccessKey);
  }

  /** With signature verification off, every key is accepted; unknown keys get the default identity. */
  resolve(accessKeyId: string): Identity {
    let identity = this.byKey.get(accessKeyId);
    if (!identity) {
      identity = { ...DEFAULT_IDENTITY, accessKeyId };
      // Remembered so each request does not build a new object; bounded against key floods.
      if (this.byKey.size < 10_000) this.byKey.set(accessKeyId, identity);
    }
    return identity;
  }

  /** The account that owns a canonical id (PartitionedPrefix log keys name the account). */
  accountIdOf(canonicalId: string): string {
    for (const identity of this.byKey.values()) if (identity.canonicalId === canonicalId) return identity.accountId;
    return DEFAULT_IDENTITY.accountId;
  }

  /** Root ARNs log as the canonical id; IAM users and roles log as their ARN (reference §10). */
  static requesterOf(identity: Identity): string {
    return identity.arn.endsWith(':root') ? identity.canonicalId : identity.arn;
  }
}
