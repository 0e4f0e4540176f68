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
  logLevel: string;
  /** A log batch is delivered this long after its first record. */
  logFlushIntervalMs: number;
  accessLogFields: 'default' | 'latest';
  loggingPermissionCheck: 'lenient' | 'strict';
  /** Seed for request ids, host ids and log-object names; undefined = random. */
  deterministicSeed?: number;
  identities: IdentityConfig[];
  initialBuckets: string[];
}

export const DEFAULT_PORT = 4569;

export const defaultConfig = (): ServerConfig => ({
  host: '127.0.0.1',
  port: DEFAULT_PORT,
  dataDir: './s3scribe-data',
  ephemeral: false,
  region: 'us-east-1',
  baseDomains: ['localhost', 's3.localhost'],
  logLevel: 'warn',
  logFlushIntervalMs: 5000,
  accessLogFields: 'default',
  loggingPermissionCheck: 'lenient',
  identities: [],
  initialBuckets: [],
});

/** `5s`, `500ms`, `1m` or a bare number of milliseconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new Error(`not a duration: ${value}`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}
