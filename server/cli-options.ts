import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isValidBucketName } from '../common/bucket-name.js';
import { isRegionCode } from '../common/region.js';
import { defaultConfig, parseDuration, type ServerConfig } from './config.js';
import type { IdentityConfig } from './kit/identity.js';

interface OptionSpec {
  name: string;
  env: string;
  help: string;
  /** A boolean flag: `--name` alone, no value. */
  flag?: boolean;
  /** What `--help` shows after `--name` (VALUE unless given). */
  arg?: string;
  default: string;
  key: keyof ServerConfig;
  /** The given text into the config value; throws an Error saying what is expected (and what was given). */
  parse: (value: string) => unknown;
}

/** A problem inside a value, `at` a place such as `[1]` (the second identity). */
class ValueError extends Error {
  constructor(
    message: string,
    readonly at = '',
  ) {
    super(message);
  }
}

const quote = (v: unknown): string => JSON.stringify(v) ?? String(v);
const SEE_HELP = 'see s3scribe --help';

const text = (v: string): string => v;
const list = (v: string): string[] =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const oneOf =
  <T extends string>(...allowed: T[]) =>
  (v: string): T => {
    if ((allowed as string[]).includes(v)) return v as T;
    throw new Error(`expected ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}, got ${quote(v)}`);
  };
const BOOLEAN_PAIRS = ['true/false', '1/0', 'yes/no', 'on/off'];
const BOOLEANS = new Map(BOOLEAN_PAIRS.flatMap((pair) => pair.split('/').map((w, i) => [w, i === 0] as const)));
/** true/false, 1/0, yes/no, on/off, any case; `shown` is the pair the message leads with. */
const bool = (shown: string) => {
  const expected = `expected ${shown} (also ${BOOLEAN_PAIRS.filter((p) => p !== shown).join(', ')})`;
  return (v: string): boolean => {
    const b = BOOLEANS.get(v.toLowerCase());
    if (b === undefined) throw new Error(`${expected}, got ${quote(v)}`);
    return b;
  };
};

function port(v: string): number {
  if (/^\d{1,5}$/.test(v) && Number(v) <= 65535) return Number(v);
  throw new Error(`expected a port number 0-65535 (0 = any free port), got ${quote(v)}`);
}

function integer(v: string): number {
  if (/^-?\d+$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
  throw new Error(`expected an integer, got ${quote(v)}`);
}

function bucketNames(v: string): string[] {
  const names = list(v);
  const bad = names.find((n) => !isValidBucketName(n));
  if (bad !== undefined) throw new Error(`${quote(bad)} is not a valid bucket name`);
  return names;
}

const ACCOUNT_ID = /^\d{12}$/;
const ARN = /^arn:aws:iam::\d{12}:(root|user\/.+|role\/.+)$/;
/** Each identity field, and what its value must be (undefined when fine). */
const IDENTITY_FIELDS: Record<string, (v: unknown) => string | undefined> = {
  accessKeyId: (v) => (typeof v === 'string' && v !== '' ? undefined : 'must be a non-empty string'),
  secretAccessKey: (v) => (typeof v === 'string' ? undefined : 'must be a string'),
  accountId: (v) => (typeof v === 'string' && ACCOUNT_ID.test(v) ? undefined : 'must be 12 digits (a string)'),
  canonicalId: (v) => (typeof v === 'string' && v !== '' ? undefined : 'must be a non-empty string'),
  displayName: (v) => (typeof v === 'string' ? undefined : 'must be a string'),
  arn: (v) =>
    typeof v === 'string' && ARN.test(v)
      ? undefined
      : 'must look like arn:aws:iam::<12 digits>:root, …:user/NAME or …:role/NAME',
};

/** A JSON array of identities, or `@file` holding one. */
function identities(value: string): IdentityConfig[] {
  let json = value;
  if (value.startsWith('@')) {
    const file = value.slice(1);
    try {
      json = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(`cannot read ${quote(file)} (${code === 'ENOENT' ? 'no such file' : (code ?? String(err))})`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new Error(`not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new Error(`expected a JSON array of identities, got ${quote(json.slice(0, 40))}`);
  const seen = new Map<string, number>();
  parsed.forEach((entry: unknown, i) => {
    const at = `[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new ValueError(`expected an object like {"accessKeyId": "..."}, got ${quote(entry)}`, at);
    if (!('accessKeyId' in entry)) throw new ValueError('accessKeyId is required', at);
    for (const [field, v] of Object.entries(entry)) {
      const check = Object.hasOwn(IDENTITY_FIELDS, field) ? IDENTITY_FIELDS[field] : undefined;
      if (!check)
        throw new ValueError(`unknown field ${quote(field)} (known: ${Object.keys(IDENTITY_FIELDS).join(', ')})`, at);
      const problem = check(v);
      if (problem) throw new ValueError(`${field} ${problem}, got ${quote(v)}`, at);
    }
    const key = (entry as IdentityConfig).accessKeyId;
    if (seen.has(key)) throw new ValueError(`accessKeyId ${quote(key)} is already used by [${seen.get(key)}]`, at);
    seen.set(key, i);
  });
  return parsed as IdentityConfig[];
}

const d = defaultConfig();
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** Every option: its env var, default, config field and parser; `--help` prints this table. */
export const OPTIONS: OptionSpec[] = [
  { name: 'host', env: 'S3SCRIBE_HOST', help: 'address to listen on', default: d.host, key: 'host', parse: text },
  {
    name: 'port',
    env: 'S3SCRIBE_PORT',
    help: 'port (0 = any free port)',
    default: String(d.port),
    key: 'port',
    parse: port,
  },
  {
    name: 'data-dir',
    env: 'S3SCRIBE_DATA_DIR',
    help: 'where buckets, objects and pending logs live',
    default: d.dataDir,
    key: 'dataDir',
    parse: text,
  },
  {
    name: 'ephemeral',
    env: 'S3SCRIBE_EPHEMERAL',
    help: 'use a throw-away temp data dir, removed on exit',
    flag: true,
    default: 'false',
    key: 'ephemeral',
    parse: bool('true/false'),
  },
  {
    name: 'region',
    env: 'S3SCRIBE_REGION',
    help: 'Region of the endpoint and default bucket Region',
    default: d.region,
    key: 'region',
    parse: (v) => {
      if (isRegionCode(v)) return v;
      throw new Error(`expected an AWS Region code like us-east-1, got ${quote(v)}`);
    },
  },
  {
    name: 'base-domain',
    env: 'S3SCRIBE_BASE_DOMAIN',
    help: 'comma-separated domains for virtual-hosted style (bucket.DOMAIN)',
    default: d.baseDomains.join(','),
    key: 'baseDomains',
    parse: list,
  },
  {
    name: 'website-domain',
    env: 'S3SCRIBE_WEBSITE_DOMAIN',
    help: 'comma-separated domains of website endpoints (bucket.DOMAIN serves the bucket as a website)',
    default: d.websiteDomains.join(','),
    key: 'websiteDomains',
    parse: list,
  },
  {
    name: 'log-level',
    env: 'S3SCRIBE_LOG_LEVEL',
    help: `operational log level (${LOG_LEVELS.join(', ')})`,
    default: d.logLevel,
    key: 'logLevel',
    parse: oneOf(...LOG_LEVELS),
  },
  {
    name: 'log-flush-interval',
    env: 'S3SCRIBE_LOG_FLUSH_INTERVAL',
    help: 'deliver an access-log batch this long after its first record',
    arg: 'DURATION',
    default: '5s',
    key: 'logFlushIntervalMs',
    parse: parseDuration,
  },
  {
    name: 'access-log-fields',
    env: 'S3SCRIBE_ACCESS_LOG_FIELDS',
    help: "'default' (26 fields) or 'latest' (adds the trailing Region field)",
    default: d.accessLogFields,
    key: 'accessLogFields',
    parse: oneOf('default', 'latest'),
  },
  {
    name: 'logging-permission-check',
    env: 'S3SCRIBE_LOGGING_PERMISSION_CHECK',
    help: "'lenient' (deliver regardless) or 'strict' (AWS's target bucket policy rules)",
    default: d.loggingPermissionCheck,
    key: 'loggingPermissionCheck',
    parse: oneOf('lenient', 'strict'),
  },
  {
    name: 'deterministic',
    env: 'S3SCRIBE_DETERMINISTIC',
    help: 'seed (integer) for reproducible request ids, host ids and log object names',
    default: '',
    key: 'deterministicSeed',
    parse: integer,
  },
  {
    name: 'identities',
    env: 'S3SCRIBE_IDENTITIES',
    help: 'JSON array, or @file.json, of {accessKeyId, secretAccessKey, accountId, canonicalId, displayName, arn}',
    default: '',
    key: 'identities',
    parse: identities,
  },
  {
    name: 'verify-signatures',
    env: 'S3SCRIBE_VERIFY_SIGNATURES',
    help: 'check SigV4/SigV2 signatures against --identities secrets (unknown keys get InvalidAccessKeyId)',
    flag: true,
    default: 'false',
    key: 'verifySignatures',
    parse: bool('true/false'),
  },
  {
    name: 'initial-buckets',
    env: 'S3SCRIBE_INITIAL_BUCKETS',
    help: 'comma-separated buckets to create at start',
    default: '',
    key: 'initialBuckets',
    parse: bucketNames,
  },
  {
    name: 'request-timeout',
    env: 'S3SCRIBE_REQUEST_TIMEOUT',
    help: 'answer RequestTimeout when a client sends nothing for this long',
    arg: 'DURATION',
    default: `${d.requestTimeoutMs / 1000}s`,
    key: 'requestTimeoutMs',
    parse: parseDuration,
  },
  {
    name: 'admin',
    env: 'S3SCRIBE_ADMIN',
    help: 'serve the /_s3scribe/ admin endpoints (reset, flush); health stays on',
    arg: 'on|off',
    default: d.admin ? 'on' : 'off',
    key: 'admin',
    parse: bool('on/off'),
  },
  {
    name: 'lifecycle-day-length',
    env: 'S3SCRIBE_LIFECYCLE_DAY_LENGTH',
    help: 'how long a lifecycle day is (rules run once per day; POST /_s3scribe/lifecycle/run runs them now)',
    arg: 'DURATION',
    default: '24h',
    key: 'lifecycleDayMs',
    parse: parseDuration,
  },
  {
    name: 'https-port',
    env: 'S3SCRIBE_HTTPS_PORT',
    help: 'also serve HTTPS on this port (0 = any free port)',
    default: '',
    key: 'httpsPort',
    parse: port,
  },
  {
    name: 'tls-cert',
    env: 'S3SCRIBE_TLS_CERT',
    help: 'PEM certificate for HTTPS (default: a self-signed localhost certificate made once in the data dir)',
    default: '',
    key: 'tlsCert',
    parse: (v) => v,
  },
  {
    name: 'tls-key',
    env: 'S3SCRIBE_TLS_KEY',
    help: 'PEM private key for --tls-cert',
    default: '',
    key: 'tlsKey',
    parse: (v) => v,
  },
];

export function helpText(): string {
  const rows = OPTIONS.map((o) => {
    const usage = `  --${o.name}${o.flag ? '' : ` ${o.arg ?? 'VALUE'}`}`;
    return `${usage}\n      ${o.help}\n      env ${o.env}; default ${o.default || '(none)'}`;
  });
  return [
    'Usage: s3scribe [options]',
    '       s3scribe tail [--endpoint URL] [--bucket B] [--status 4xx] [--json]   (see s3scribe tail --help)',
    '',
    'A local S3-compatible server that writes Amazon S3 server access logs.',
    'Options win over their S3SCRIBE_* environment variables, which win over the defaults.',
    'durations: 500ms, 5s, 1m, 1h (decimals allowed; the unit is required)',
    'booleans in environment variables: true/false, 1/0, yes/no, on/off',
    '',
    'Options:',
    ...rows,
    '  --version\n      print the version and exit',
    '  --help, -h\n      show this help',
    '',
  ].join('\n');
}

/** parseArgs' complaint as one line naming the option. */
function argvProblem(err: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(err.message)?.[1] ?? 'an option';
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `${option}: unknown option; ${SEE_HELP}`;
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(err.message)) return `${option}: takes no value; ${SEE_HELP}`;
    return `${option}: needs a value (one starting with "-" goes as ${option}=VALUE); ${SEE_HELP}`;
  }
  return `${err.message.split('\n')[0]}; ${SEE_HELP}`;
}

export interface CliInput {
  help: boolean;
  version: boolean;
  /** Only what was given; a field left undefined takes its default. */
  config: Partial<ServerConfig>;
}

/**
 * Command line over environment over defaults (an empty environment variable counts as unset).
 * Throws an Error whose message is one line naming the option or environment variable.
 */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliInput {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: Object.fromEntries([
        ...OPTIONS.map((o) => [o.name, { type: o.flag ? 'boolean' : 'string' }] as const),
        ['help', { type: 'boolean', short: 'h' }],
        ['version', { type: 'boolean' }],
      ]),
      strict: true,
      allowPositionals: true,
    }) as typeof parsed;
  } catch (err) {
    throw new Error(argvProblem(err as Error));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new Error(`unexpected argument ${quote(positionals[0])}; ${SEE_HELP}`);
  const result: CliInput = { help: values.help === true, version: values.version === true, config: {} };
  if (result.help || result.version) return result;
  const config: Record<string, unknown> = result.config;
  for (const o of OPTIONS) {
    const given = values[o.name];
    const source = given === undefined ? o.env : `--${o.name}`;
    const value = given === undefined ? env[o.env] || undefined : String(given);
    if (value === undefined) continue;
    if (value === '') throw new Error(`${source}: needs a value, got ""`);
    try {
      config[o.key] = o.parse(value);
    } catch (err) {
      const at = err instanceof ValueError ? err.at : '';
      throw new Error(`${source}${at}: ${(err as Error).message}`.replace(/\s*\n\s*/g, ' '));
    }
  }
  // An ephemeral server ignores the data dir; one named on the command line is a contradiction, not
  // something to drop silently (S3SCRIBE_DATA_DIR, as the Docker image sets it, just yields).
  if (config.ephemeral === true && values['data-dir'] !== undefined) {
    const [source, given] = values.ephemeral
      ? ['--ephemeral', '']
      : ['S3SCRIBE_EPHEMERAL', ` (${quote(env.S3SCRIBE_EPHEMERAL)})`];
    throw new Error(
      `${source}${given} asks for a throw-away temp data dir, but --data-dir is given too; use one or the other`,
    );
  }
  if (config.verifySignatures === true) {
    const list = (config.identities ?? []) as IdentityConfig[];
    const source = values['verify-signatures'] ? '--verify-signatures' : 'S3SCRIBE_VERIFY_SIGNATURES';
    if (list.length === 0)
      throw new Error(`${source} needs --identities with an accessKeyId and secretAccessKey for each caller`);
    const missing = list.find((i) => !i.secretAccessKey);
    if (missing)
      throw new Error(`${source} needs a secretAccessKey for every identity; ${quote(missing.accessKeyId)} has none`);
  }
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw new Error(
      '--tls-cert and --tls-key go together: give both, or neither for a self-signed localhost certificate',
    );
  }
  return result;
}
