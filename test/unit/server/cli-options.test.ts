import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { helpText, OPTIONS, parseCli } from '../../../server/cli-options.js';

const tmp = mkdtempSync(join(tmpdir(), 's3scribe-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const IDENTITY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', accountId: '111122223333' };

describe('parseCli', () => {
  it('nothing given: every value left to the defaults', () => {
    const { help, config } = parseCli([], {});
    expect(help).toBe(false);
    expect(config).toEqual({
      host: undefined,
      port: undefined,
      dataDir: undefined,
      ephemeral: false,
      region: undefined,
      baseDomains: undefined,
      logLevel: undefined,
      logFlushIntervalMs: undefined,
      accessLogFields: undefined,
      loggingPermissionCheck: undefined,
      deterministicSeed: undefined,
      identities: undefined,
      initialBuckets: undefined,
    });
  });

  it('every option from flags', () => {
    const { config } = parseCli(
      [
        '--host',
        '0.0.0.0',
        '--port',
        '9000',
        '--data-dir',
        '/data',
        '--ephemeral',
        '--region',
        'eu-west-1',
        '--base-domain',
        'localhost, s3.example.test',
        '--log-level',
        'info',
        '--log-flush-interval',
        '500ms',
        '--access-log-fields',
        'latest',
        '--logging-permission-check',
        'strict',
        '--deterministic',
        '42',
        '--identities',
        JSON.stringify([IDENTITY]),
        '--initial-buckets',
        'a-bucket,b-bucket',
      ],
      {},
    );
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 9000,
      dataDir: '/data',
      ephemeral: true,
      region: 'eu-west-1',
      baseDomains: ['localhost', 's3.example.test'],
      logLevel: 'info',
      logFlushIntervalMs: 500,
      accessLogFields: 'latest',
      loggingPermissionCheck: 'strict',
      deterministicSeed: 42,
      identities: [IDENTITY],
      initialBuckets: ['a-bucket', 'b-bucket'],
    });
  });

  it('every option from S3SCRIBE_* environment variables', () => {
    const { config } = parseCli([], {
      S3SCRIBE_HOST: '::',
      S3SCRIBE_PORT: '0',
      S3SCRIBE_DATA_DIR: 'd',
      S3SCRIBE_EPHEMERAL: '1',
      S3SCRIBE_REGION: 'us-west-2',
      S3SCRIBE_BASE_DOMAIN: 'localhost',
      S3SCRIBE_LOG_LEVEL: 'debug',
      S3SCRIBE_LOG_FLUSH_INTERVAL: '5s',
      S3SCRIBE_ACCESS_LOG_FIELDS: 'default',
      S3SCRIBE_LOGGING_PERMISSION_CHECK: 'lenient',
      S3SCRIBE_DETERMINISTIC: '7',
      S3SCRIBE_IDENTITIES: JSON.stringify([IDENTITY]),
      S3SCRIBE_INITIAL_BUCKETS: 'one',
    });
    expect(config).toEqual({
      host: '::',
      port: 0,
      dataDir: 'd',
      ephemeral: true,
      region: 'us-west-2',
      baseDomains: ['localhost'],
      logLevel: 'debug',
      logFlushIntervalMs: 5000,
      accessLogFields: 'default',
      loggingPermissionCheck: 'lenient',
      deterministicSeed: 7,
      identities: [IDENTITY],
      initialBuckets: ['one'],
    });
  });

  it('flags win over the environment', () => {
    const { config } = parseCli(['--port', '1234', '--region', 'ap-south-1', '--log-flush-interval', '2s'], {
      S3SCRIBE_PORT: '9999',
      S3SCRIBE_REGION: 'us-east-2',
      S3SCRIBE_LOG_FLUSH_INTERVAL: '1m',
      S3SCRIBE_HOST: 'h',
    });
    expect(config).toMatchObject({ port: 1234, region: 'ap-south-1', logFlushIntervalMs: 2000, host: 'h' });
  });

  it('an empty environment variable counts as unset', () => {
    expect(parseCli([], { S3SCRIBE_PORT: '', S3SCRIBE_REGION: '' }).config).toMatchObject({
      port: undefined,
      region: undefined,
    });
  });

  it('--flag=value form and ephemeral env values', () => {
    expect(parseCli(['--port=4570'], {}).config.port).toBe(4570);
    expect(parseCli([], { S3SCRIBE_EPHEMERAL: 'true' }).config.ephemeral).toBe(true);
    expect(parseCli([], { S3SCRIBE_EPHEMERAL: 'no' }).config.ephemeral).toBe(false);
  });

  it('--help and -h', () => {
    expect(parseCli(['--help'], {}).help).toBe(true);
    expect(parseCli(['-h'], {}).help).toBe(true);
  });

  it('identities from @file.json', () => {
    const file = join(tmp, 'ids.json');
    writeFileSync(file, JSON.stringify([IDENTITY, { accessKeyId: 'second' }]));
    expect(parseCli(['--identities', `@${file}`], {}).config.identities).toEqual([IDENTITY, { accessKeyId: 'second' }]);
  });

  it.each([
    [['--port', 'abc']],
    [['--port', '65536']],
    [['--port', '-1']],
    [['--port', '80.5']],
    [['--log-flush-interval', 'soon']],
    [['--log-flush-interval', '5x']],
    [['--access-log-fields', 'all']],
    [['--logging-permission-check', 'maybe']],
    [['--deterministic', 'seed']],
    [['--deterministic', '1.5']],
    [['--identities', '{"accessKeyId":"x"}']],
    [['--identities', 'not json']],
    [['--unknown-flag']],
    [['--port']],
  ])('%j throws', (argv) => {
    expect(() => parseCli(argv, {})).toThrow();
  });

  it('an invalid port from the environment throws too, naming it', () => {
    expect(() => parseCli([], { S3SCRIBE_PORT: '70000' })).toThrow(/invalid port 70000/);
  });
});

describe('helpText', () => {
  const text = helpText();

  it('mentions every option with its env var, and --help', () => {
    for (const o of OPTIONS) {
      expect(text).toContain(`--${o.name}`);
      expect(text).toContain(o.env);
    }
    expect(text).toContain('--help');
    expect(text.startsWith('Usage: s3scribe [options]\n')).toBe(true);
  });

  it('covers exactly the options parseCli reads', () => {
    expect(OPTIONS.map((o) => o.name)).toEqual([
      'host',
      'port',
      'data-dir',
      'ephemeral',
      'region',
      'base-domain',
      'log-level',
      'log-flush-interval',
      'access-log-fields',
      'logging-permission-check',
      'deterministic',
      'identities',
      'initial-buckets',
    ]);
    for (const o of OPTIONS) expect(o.env).toBe(`S3SCRIBE_${o.name.toUpperCase().replace(/-/g, '_')}`);
  });

  it('shows defaults', () => {
    expect(text).toContain('env S3SCRIBE_PORT; default 4569');
    expect(text).toContain('env S3SCRIBE_LOG_FLUSH_INTERVAL; default 5s');
    expect(text).toContain('env S3SCRIBE_BASE_DOMAIN; default localhost,s3.localhost');
    expect(text).toContain('env S3SCRIBE_IDENTITIES; default (none)');
    expect(text).toContain('  --ephemeral\n');
    expect(text).toContain('  --port VALUE\n');
  });
});
