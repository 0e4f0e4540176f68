import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultConfig, parseDuration, type ServerConfig } from './config.js';
import type { IdentityConfig } from './kit/identity.js';

interface OptionSpec {
  name: string;
  env: string;
  help: string;
  flag?: boolean;
  default: string;
}

const d = defaultConfig();
/** Every option, with its env var and default; `--help` prints this table. */
export const OPTIONS: OptionSpec[] = [
  { name: 'host', env: 'S3SCRIBE_HOST', help: 'address to listen on', default: d.host },
  { name: 'port', env: 'S3SCRIBE_PORT', help: 'port (0 = any free port)', default: String(d.port) },
  {
    name: 'data-dir',
    env: 'S3SCRIBE_DATA_DIR',
    help: 'where buckets, objects and pending logs live',
    default: d.dataDir,
  },
  {
    name: 'ephemeral',
    env: 'S3SCRIBE_EPHEMERAL',
    help: 'use a throw-away temp data dir, removed on exit',
    flag: true,
    default: 'false',
  },
  {
    name: 'region',
    env: 'S3SCRIBE_REGION',
    help: 'Region of the endpoint and default bucket Region',
    default: d.region,
  },
  {
    name: 'base-domain',
    env: 'S3SCRIBE_BASE_DOMAIN',
    help: 'comma-separated domains for virtual-hosted style (bucket.DOMAIN)',
    default: d.baseDomains.join(','),
  },
  {
    name: 'log-level',
    env: 'S3SCRIBE_LOG_LEVEL',
    help: 'operational log level (trace, debug, info, warn, error, silent)',
    default: d.logLevel,
  },
  {
    name: 'log-flush-interval',
    env: 'S3SCRIBE_LOG_FLUSH_INTERVAL',
    help: 'deliver an access-log batch this long after its first record',
    default: '5s',
  },
  {
    name: 'access-log-fields',
    env: 'S3SCRIBE_ACCESS_LOG_FIELDS',
    help: "'default' (26 fields) or 'latest' (adds the trailing Region field)",
    default: d.accessLogFields,
  },
  {
    name: 'logging-permission-check',
    env: 'S3SCRIBE_LOGGING_PERMISSION_CHECK',
    help: "'lenient' (deliver regardless) or 'strict' (AWS's target bucket policy rules)",
    default: d.loggingPermissionCheck,
  },
  {
    name: 'deterministic',
    env: 'S3SCRIBE_DETERMINISTIC',
    help: 'seed (integer) for reproducible request ids, host ids and log object names',
    default: '',
  },
  {
    name: 'identities',
    env: 'S3SCRIBE_IDENTITIES',
    help: 'JSON array, or @file.json, of {accessKeyId, accountId, canonicalId, displayName, arn}',
    default: '',
  },
  {
    name: 'initial-buckets',
    env: 'S3SCRIBE_INITIAL_BUCKETS',
    help: 'comma-separated buckets to create at start',
    default: '',
  },
];

export function helpText(): string {
  const rows = OPTIONS.map(
    (o) =>
      `  --${o.name}${o.flag ? '' : ' VALUE'}\n      ${o.help}\n      env ${o.env}; default ${o.default || '(none)'}`,
  );
  return `Usage: s3scribe [options]\n\nA local S3-compatible server that writes Amazon S3 server access logs.\n\nOptions:\n${rows.join('\n')}\n  --help\n      show this help\n`;
}

function identitiesFrom(value: string): IdentityConfig[] {
  const text = value.startsWith('@') ? readFileSync(value.slice(1), 'utf8') : value;
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed)) throw new Error('identities must be a JSON array');
  return parsed as IdentityConfig[];
}

/** Command line over environment over defaults. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): { help: boolean; config: Partial<ServerConfig> } {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries([
      ...OPTIONS.map((o) => [o.name, { type: o.flag ? 'boolean' : 'string' }] as const),
      ['help', { type: 'boolean', short: 'h' }],
    ]),
    strict: true,
  }) as { values: Record<string, string | boolean | undefined> };
  const get = (name: string): string | undefined => {
    const v = values[name];
    if (v !== undefined) return String(v);
    return env[OPTIONS.find((o) => o.name === name)!.env] || undefined;
  };
  const list = (v: string | undefined): string[] | undefined =>
    v
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const config: Partial<ServerConfig> = {
    host: get('host'),
    port: get('port') === undefined ? undefined : Number(get('port')),
    dataDir: get('data-dir'),
    ephemeral: get('ephemeral') === 'true' || get('ephemeral') === '1',
    region: get('region'),
    baseDomains: list(get('base-domain')),
    logLevel: get('log-level'),
    logFlushIntervalMs: get('log-flush-interval') === undefined ? undefined : parseDuration(get('log-flush-interval')!),
    accessLogFields: get('access-log-fields') as ServerConfig['accessLogFields'] | undefined,
    loggingPermissionCheck: get('logging-permission-check') as ServerConfig['loggingPermissionCheck'] | undefined,
    deterministicSeed: get('deterministic') === undefined ? undefined : Number(get('deterministic')),
    identities: get('identities') === undefined ? undefined : identitiesFrom(get('identities')!),
    initialBuckets: list(get('initial-buckets')),
  };
  if (config.port !== undefined && !(Number.isInteger(config.port) && config.port >= 0 && config.port < 65536))
    throw new Error(`invalid port ${get('port')}`);
  if (config.accessLogFields && !['default', 'latest'].includes(config.accessLogFields))
    throw new Error('--access-log-fields must be default or latest');
  if (config.loggingPermissionCheck && !['lenient', 'strict'].includes(config.loggingPermissionCheck))
    throw new Error('--logging-permission-check must be lenient or strict');
  if (config.deterministicSeed !== undefined && !Number.isInteger(config.deterministicSeed))
    throw new Error('--deterministic takes an integer seed');
  return { help: values.help === true, config };
}
