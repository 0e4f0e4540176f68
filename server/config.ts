import type { IdentityConfig } from './kit/identity.js';

export interface ServerConfig {
  host: string;
  /** 0 picks any free port. */
  port: number;
  dataDir: string;
  /** Throw-away data dir: created in the OS temp dir and removed on close. */
  ephemeral: boolean;
  region: string;
  /** Host names under which `bucket.<domain>` addresses a bucket (virtual-hosted style). */
  baseDomains: string[];
  /** Host names under which `bucket.<domain>` is the bucket's website endpoint (WEBSITE.* records). */
  websiteDomains: string[];
  logLevel: string;
  /** A log batch is delivered this long after its first record. */
  logFlushIntervalMs: number;
  accessLogFields: 'default' | 'latest';
  loggingPermissionCheck: 'lenient' | 'strict';
  /** Seed for request ids, host ids and log-object names; undefined = random. */
  deterministicSeed?: number;
  identities: IdentityConfig[];
  /**
   * Check every signature against the identities' secrets, as S3 does; off, any key is accepted
   * (unknown keys act as the default account) and only presigned expiry is checked.
   */
  verifySignatures: boolean;
  initialBuckets: string[];
  /** Serve the /_s3scribe/ admin endpoints (health stays on either way). */
  admin: boolean;
  /**
   * A request whose client sends nothing for this long is answered `RequestTimeout` and its
   * connection closed (S3 does the same after about 20 s of silence).
   */
  requestTimeoutMs: number;
  /** How long a lifecycle "day" is: rules with `Days` run on this scale (tests use seconds). */
  lifecycleDayMs: number;
  /** Serve HTTPS beside HTTP on this port; undefined = HTTP only. */
  httpsPort?: number;
  /** PEM files for HTTPS; both unset = a self-signed localhost certificate kept in the data dir. */
  tlsCert?: string;
  tlsKey?: string;
}

export const DEFAULT_PORT = 4569;

export const defaultConfig = (): ServerConfig => ({
  host: '127.0.0.1',
  port: DEFAULT_PORT,
  dataDir: './s3scribe-data',
  ephemeral: false,
  region: 'us-east-1',
  baseDomains: ['localhost', 's3.localhost'],
  websiteDomains: ['s3-website.localhost'],
  logLevel: 'warn',
  logFlushIntervalMs: 5000,
  accessLogFields: 'default',
  loggingPermissionCheck: 'lenient',
  identities: [],
  verifySignatures: false,
  initialBuckets: [],
  admin: true,
  requestTimeoutMs: 20_000,
  lifecycleDayMs: 24 * 3_600_000,
});

/**
 * `500ms`, `5s`, `1m` or `1h` (decimals allowed) in milliseconds. The unit is required: a bare
 * `5` is refused rather than guessed. Throws, saying what is expected, unless 1 ms to about 596 h.
 */
export function parseDuration(value: string): number {
  const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  const MAX_DURATION_MS = 2 ** 31 - 1; // the longest a Node timer can wait, about 596 h
  const m = /^(-?\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const got = JSON.stringify(value);
  if (!m) throw new Error(`expected a duration like 500ms, 5s, 1m or 1h, got ${got}`);
  if (!m[2]) throw new Error(`a duration needs a unit (ms, s, m or h), got ${got}: use e.g. ${m[1]}s or ${m[1]}ms`);
  const ms = Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
  if (ms < 1) throw new Error(`a duration must be more than 0, got ${got}`);
  if (ms > MAX_DURATION_MS) throw new Error(`a duration must be at most 596h, got ${got}`);
  return ms;
}
