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
    expect(config).toEqual({});
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
        '--request-timeout',
        '1.5s',
        '--admin',
        'off',
      ],
      {},
    );
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 9000,
      dataDir: '/data',
      region: 'eu-west-1',
      baseDomains: ['localhost', 's3.example.test'],
      logLevel: 'info',
      logFlushIntervalMs: 500,
      accessLogFields: 'latest',
      loggingPermissionCheck: 'strict',
      deterministicSeed: 42,
      identities: [IDENTITY],
      initialBuckets: ['a-bucket', 'b-bucket'],
      requestTimeoutMs: 1500,
      admin: false,
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
      S3SCRIBE_REQUEST_TIMEOUT: '1m',
      S3SCRIBE_ADMIN: 'OFF',
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
      requestTimeoutMs: 60_000,
      admin: false,
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
    expect(parseCli([], { S3SCRIBE_PORT: '', S3SCRIBE_REGION: '' }).config).toEqual({});
  });

  it('--flag=value form and ephemeral env values', () => {
    expect(parseCli(['--port=4570'], {}).config.port).toBe(4570);
    expect(parseCli(['--region=eu-central-1'], {}).config.region).toBe('eu-central-1');
  });

  it('--help and -h', () => {
    expect(parseCli(['--help'], {}).help).toBe(true);
    expect(parseCli(['-h'], {}).help).toBe(true);
  });

  it('--version', () => {
    expect(parseCli(['--version'], {})).toEqual({ help: false, version: true, config: {} });
    expect(parseCli([], {}).version).toBe(false);
  });

  it('--help and --version do not validate the other values', () => {
    expect(parseCli(['--help', '--port', 'x'], { S3SCRIBE_EPHEMERAL: 'maybe' }).help).toBe(true);
    expect(parseCli(['--version', '--log-flush-interval', '5'], {}).version).toBe(true);
  });

  it('identities from @file.json', () => {
    const file = join(tmp, 'ids.json');
    writeFileSync(file, JSON.stringify([IDENTITY, { accessKeyId: 'second' }]));
    expect(parseCli(['--identities', `@${file}`], {}).config.identities).toEqual([IDENTITY, { accessKeyId: 'second' }]);
  });

  /** The one-line message parseCli throws, or 'ok'. */
  const outcome = (argv: string[], env: NodeJS.ProcessEnv = {}): string => {
    try {
      parseCli(argv, env);
      return 'ok';
    } catch (err) {
      return (err as Error).message;
    }
  };

  describe('each refusal is one line naming the option, what is expected and the value given', () => {
    it.each([
      // durations
      [
        ['--log-flush-interval', '5'],
        '--log-flush-interval: a duration needs a unit (ms, s, m or h), got "5": use e.g. 5s or 5ms',
      ],
      [['--log-flush-interval', '0s'], '--log-flush-interval: a duration must be more than 0, got "0s"'],
      [['--log-flush-interval=-1s'], '--log-flush-interval: a duration must be more than 0, got "-1s"'],
      [
        ['--log-flush-interval', 'soon'],
        '--log-flush-interval: expected a duration like 500ms, 5s, 1m or 1h, got "soon"',
      ],
      [
        ['--request-timeout', '20'],
        '--request-timeout: a duration needs a unit (ms, s, m or h), got "20": use e.g. 20s or 20ms',
      ],
      [['--request-timeout', '0ms'], '--request-timeout: a duration must be more than 0, got "0ms"'],
      // port
      [['--port', ''], '--port: needs a value, got ""'],
      [['--port', 'abc'], '--port: expected a port number 0-65535 (0 = any free port), got "abc"'],
      [['--port', '65536'], '--port: expected a port number 0-65535 (0 = any free port), got "65536"'],
      [['--port', '80.5'], '--port: expected a port number 0-65535 (0 = any free port), got "80.5"'],
      [['--port', '1e3'], '--port: expected a port number 0-65535 (0 = any free port), got "1e3"'],
      [['--port', ' 80'], '--port: expected a port number 0-65535 (0 = any free port), got " 80"'],
      [['--port=-1'], '--port: expected a port number 0-65535 (0 = any free port), got "-1"'],
      // region, log level
      [['--region', 'not a region'], '--region: expected an AWS Region code like us-east-1, got "not a region"'],
      [['--region', 'US-EAST-1'], '--region: expected an AWS Region code like us-east-1, got "US-EAST-1"'],
      [['--region', 'us-east'], '--region: expected an AWS Region code like us-east-1, got "us-east"'],
      [['--log-level', 'loud'], '--log-level: expected trace, debug, info, warn, error, fatal or silent, got "loud"'],
      [['--log-level', 'INFO'], '--log-level: expected trace, debug, info, warn, error, fatal or silent, got "INFO"'],
      // enumerations
      [['--access-log-fields', 'all'], '--access-log-fields: expected default or latest, got "all"'],
      [['--logging-permission-check', 'maybe'], '--logging-permission-check: expected lenient or strict, got "maybe"'],
      // booleans
      [['--admin', 'maybe'], '--admin: expected on/off (also true/false, 1/0, yes/no), got "maybe"'],
      [['--ephemeral=yes'], '--ephemeral: takes no value; see s3scribe --help'],
      // integers
      [['--deterministic', 'seed'], '--deterministic: expected an integer, got "seed"'],
      [['--deterministic', '1.5'], '--deterministic: expected an integer, got "1.5"'],
      [['--deterministic', '99999999999999999999'], '--deterministic: expected an integer, got "99999999999999999999"'],
      // buckets
      [['--initial-buckets', 'ok-bucket,Bad_Name'], '--initial-buckets: "Bad_Name" is not a valid bucket name'],
      [['--initial-buckets', 'ab'], '--initial-buckets: "ab" is not a valid bucket name'],
      // argv shape
      [['--unknown-flag'], '--unknown-flag: unknown option; see s3scribe --help'],
      [['-x'], '-x: unknown option; see s3scribe --help'],
      [['--port'], '--port: needs a value (one starting with "-" goes as --port=VALUE); see s3scribe --help'],
      [
        ['--port', '--ephemeral'],
        '--port: needs a value (one starting with "-" goes as --port=VALUE); see s3scribe --help',
      ],
      [['4569'], 'unexpected argument "4569"; see s3scribe --help'],
    ])('%j', (argv, message) => {
      expect(outcome(argv)).toBe(message);
    });
  });

  describe('environment variables: refusals name the variable', () => {
    it.each([
      [
        { S3SCRIBE_EPHEMERAL: 'maybe' },
        'S3SCRIBE_EPHEMERAL: expected true/false (also 1/0, yes/no, on/off), got "maybe"',
      ],
      [{ S3SCRIBE_EPHEMERAL: 'y' }, 'S3SCRIBE_EPHEMERAL: expected true/false (also 1/0, yes/no, on/off), got "y"'],
      [
        { S3SCRIBE_ADMIN: 'disabled' },
        'S3SCRIBE_ADMIN: expected on/off (also true/false, 1/0, yes/no), got "disabled"',
      ],
      [{ S3SCRIBE_PORT: '70000' }, 'S3SCRIBE_PORT: expected a port number 0-65535 (0 = any free port), got "70000"'],
      [
        { S3SCRIBE_LOG_FLUSH_INTERVAL: '5000' },
        'S3SCRIBE_LOG_FLUSH_INTERVAL: a duration needs a unit (ms, s, m or h), got "5000": use e.g. 5000s or 5000ms',
      ],
      [{ S3SCRIBE_REQUEST_TIMEOUT: '-5s' }, 'S3SCRIBE_REQUEST_TIMEOUT: a duration must be more than 0, got "-5s"'],
      [{ S3SCRIBE_REGION: 'mars-1' }, 'S3SCRIBE_REGION: expected an AWS Region code like us-east-1, got "mars-1"'],
      [
        { S3SCRIBE_LOG_LEVEL: 'verbose' },
        'S3SCRIBE_LOG_LEVEL: expected trace, debug, info, warn, error, fatal or silent, got "verbose"',
      ],
      [{ S3SCRIBE_DETERMINISTIC: 'x' }, 'S3SCRIBE_DETERMINISTIC: expected an integer, got "x"'],
      [
        { S3SCRIBE_IDENTITIES: '[{"accessKeyId":"k","accountId":"1"}]' },
        'S3SCRIBE_IDENTITIES[0]: accountId must be 12 digits (a string), got "1"',
      ],
      [{ S3SCRIBE_INITIAL_BUCKETS: 'UPPER' }, 'S3SCRIBE_INITIAL_BUCKETS: "UPPER" is not a valid bucket name'],
    ])('%j', (env, message) => {
      expect(outcome([], env)).toBe(message);
    });

    it('ephemeral (yes = true) with a --data-dir on the command line is a contradiction', () => {
      expect(outcome(['--data-dir', 'd'], { S3SCRIBE_EPHEMERAL: 'yes' })).toBe(
        'S3SCRIBE_EPHEMERAL ("yes") asks for a throw-away temp data dir, ' +
          'but --data-dir is given too; use one or the other',
      );
      expect(outcome(['--ephemeral', '--data-dir', 'd'], {})).toMatch(
        /^--ephemeral asks for a throw-away temp data dir/,
      );
      // S3SCRIBE_DATA_DIR (the Docker image sets it) yields to ephemeral; so does a false ephemeral to --data-dir.
      expect(parseCli(['--ephemeral'], { S3SCRIBE_DATA_DIR: '/data' }).config).toMatchObject({ ephemeral: true });
      expect(parseCli(['--data-dir', 'd'], { S3SCRIBE_EPHEMERAL: 'off' }).config).toEqual({
        dataDir: 'd',
        ephemeral: false,
      });
    });

    it('a flag overrides a bad environment value without reading it', () => {
      expect(
        parseCli(['--ephemeral', '--port', '1'], { S3SCRIBE_EPHEMERAL: 'maybe', S3SCRIBE_PORT: 'x' }).config,
      ).toEqual({
        ephemeral: true,
        port: 1,
      });
    });
  });

  it.each(['0', '1', '4569', '65535'])('--port %s is accepted', (p) => {
    expect(parseCli(['--port', p], {}).config.port).toBe(Number(p));
  });

  it.each([
    'us-east-1',
    'eu-west-3',
    'ap-southeast-2',
    'us-gov-west-1',
    'us-iso-east-1',
    'us-isob-east-1',
    'cn-north-1',
  ])('--region %s is accepted', (region) => {
    expect(parseCli(['--region', region], {}).config.region).toBe(region);
  });

  it.each(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])('--log-level %s is accepted', (level) => {
    expect(parseCli(['--log-level', level], {}).config.logLevel).toBe(level);
  });

  it.each([
    ['500ms', 500],
    ['5s', 5000],
    ['1.5s', 1500],
    ['1m', 60_000],
    ['1h', 3_600_000],
  ])('durations: %s → %i ms, for both duration options', (value, ms) => {
    expect(parseCli(['--log-flush-interval', value, '--request-timeout', value], {}).config).toEqual({
      logFlushIntervalMs: ms,
      requestTimeoutMs: ms,
    });
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['Yes', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['NO', false],
    ['off', false],
  ])('boolean words: %s → %s (S3SCRIBE_EPHEMERAL, S3SCRIBE_ADMIN, --admin)', (word, value) => {
    expect(parseCli([], { S3SCRIBE_EPHEMERAL: word, S3SCRIBE_ADMIN: word }).config).toEqual({
      ephemeral: value,
      admin: value,
    });
    expect(parseCli(['--admin', word], {}).config.admin).toBe(value);
  });

  it('--admin needs on or off; it is on unless turned off', () => {
    expect(parseCli([], {}).config.admin).toBeUndefined();
    expect(parseCli(['--admin', 'on'], {}).config.admin).toBe(true);
    expect(parseCli(['--admin=off'], {}).config.admin).toBe(false);
    expect(outcome(['--admin'])).toMatch(/^--admin: needs a value/);
  });

  it.each([
    ['0', 0],
    ['-7', -7],
    ['42', 42],
  ])('--deterministic %s is accepted', (seed, value) => {
    expect(parseCli([`--deterministic=${seed}`], {}).config.deterministicSeed).toBe(value);
  });

  it('--initial-buckets: valid names, blanks dropped', () => {
    expect(parseCli(['--initial-buckets', 'logs, my.bucket-1,,'], {}).config.initialBuckets).toEqual([
      'logs',
      'my.bucket-1',
    ]);
  });

  it('an empty value on the command line is refused; an empty environment variable is unset', () => {
    expect(outcome(['--host', ''])).toBe('--host: needs a value, got ""');
    expect(outcome(['--data-dir', ''])).toBe('--data-dir: needs a value, got ""');
    expect(outcome(['--identities', ''])).toBe('--identities: needs a value, got ""');
    expect(parseCli([], { S3SCRIBE_ADMIN: '', S3SCRIBE_LOG_FLUSH_INTERVAL: '' }).config).toEqual({});
  });

  describe('--identities', () => {
    it('accepts every known field', () => {
      const full = {
        accessKeyId: 'k',
        secretAccessKey: 's',
        accountId: '111122223333',
        canonicalId: 'main-user-id',
        displayName: 'main-user',
        arn: 'arn:aws:iam::111122223333:user/team/main-user',
      };
      const roles = [
        { accessKeyId: 'r', arn: 'arn:aws:iam::444455556666:role/reader' },
        { accessKeyId: 'root', arn: 'arn:aws:iam::444455556666:root', displayName: '' },
      ];
      expect(parseCli(['--identities', JSON.stringify([full, ...roles])], {}).config.identities).toEqual([
        full,
        ...roles,
      ]);
      expect(parseCli(['--identities', '[]'], {}).config.identities).toEqual([]);
    });

    it.each([
      ['not json', /^--identities: not valid JSON \(.+\)$/],
      ['{"accessKeyId":"x"}', /^--identities: expected a JSON array of identities, got /],
      ['[1]', /^--identities\[0\]: expected an object like \{"accessKeyId": "..."\}, got 1$/],
      ['[null]', /^--identities\[0\]: expected an object/],
      ['[[]]', /^--identities\[0\]: expected an object/],
      ['[{"foo":1}]', /^--identities\[0\]: accessKeyId is required$/],
      [
        '[{"accessKeyId":"k","foo":1}]',
        new RegExp(
          String.raw`^--identities\[0\]: unknown field "foo" ` +
            String.raw`\(known: accessKeyId, secretAccessKey, accountId, canonicalId, displayName, arn\)$`,
        ),
      ],
      ['[{"accessKeyId":""}]', /^--identities\[0\]: accessKeyId must be a non-empty string, got ""$/],
      ['[{"accessKeyId":7}]', /^--identities\[0\]: accessKeyId must be a non-empty string, got 7$/],
      [
        '[{"accessKeyId":"a"},{"accessKeyId":"k","accountId":"abc"}]',
        /^--identities\[1\]: accountId must be 12 digits \(a string\), got "abc"$/,
      ],
      [
        '[{"accessKeyId":"k","accountId":111122223333}]',
        /^--identities\[0\]: accountId must be 12 digits \(a string\), got 111122223333$/,
      ],
      ['[{"accessKeyId":"k","canonicalId":""}]', /^--identities\[0\]: canonicalId must be a non-empty string, got ""$/],
      ['[{"accessKeyId":"k","displayName":null}]', /^--identities\[0\]: displayName must be a string, got null$/],
      ['[{"accessKeyId":"k","secretAccessKey":1}]', /^--identities\[0\]: secretAccessKey must be a string, got 1$/],
      [
        '[{"accessKeyId":"k","arn":"arn:aws:iam::1:root"}]',
        /^--identities\[0\]: arn must look like arn:aws:iam::<12 digits>:root/,
      ],
      ['[{"accessKeyId":"k","arn":"arn:aws:s3:::bucket"}]', /^--identities\[0\]: arn must look like/],
      ['[{"accessKeyId":"k","arn":"arn:aws:iam::111122223333:group/g"}]', /^--identities\[0\]: arn must look like/],
      ['[{"accessKeyId":"k"},{"accessKeyId":"k"}]', /^--identities\[1\]: accessKeyId "k" is already used by \[0\]$/],
    ])('%s is refused', (value, message) => {
      const m = outcome(['--identities', value]);
      expect(m).toMatch(message);
      expect(m).not.toContain('\n');
    });

    it('a multi-line file with bad JSON is still one line', () => {
      const file = join(tmp, 'bad.json');
      writeFileSync(file, '[\n  {"accessKeyId": "k",}\n]\n');
      const m = outcome(['--identities', `@${file}`]);
      expect(m).toMatch(/^--identities: not valid JSON/);
      expect(m).not.toContain('\n');
    });

    it('a missing @file', () => {
      const file = join(tmp, 'missing.json');
      expect(outcome(['--identities', `@${file}`])).toBe(`--identities: cannot read "${file}" (no such file)`);
    });
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
      'website-domain',
      'log-level',
      'log-flush-interval',
      'access-log-fields',
      'logging-permission-check',
      'deterministic',
      'identities',
      'verify-signatures',
      'initial-buckets',
      'request-timeout',
      'admin',
      'lifecycle-day-length',
      'https-port',
      'tls-cert',
      'tls-key',
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
    expect(text).toContain('  --log-flush-interval DURATION\n');
    expect(text).toContain('  --request-timeout DURATION\n');
    expect(text).toContain('env S3SCRIBE_REQUEST_TIMEOUT; default 20s');
    expect(text).toContain('  --admin on|off\n');
    expect(text).toContain('serve the /_s3scribe/ admin endpoints (reset, flush); health stays on');
    expect(text).toContain('env S3SCRIBE_ADMIN; default on');
    expect(text).toContain('answer RequestTimeout when a client sends nothing for this long');
    expect(text).toContain('operational log level (trace, debug, info, warn, error, fatal, silent)');
  });

  it('says how durations are written, and lists --version', () => {
    expect(text).toContain('durations: 500ms, 5s, 1m, 1h');
    expect(text).toContain('  --version\n');
  });

  it('every default shown is itself accepted', () => {
    for (const o of OPTIONS) {
      if (o.default !== '' && !o.flag) expect(() => o.parse(o.default), o.name).not.toThrow();
    }
  });
});

describe('parseCli: HTTPS and lifecycle options', () => {
  it('--https-port takes a port; --tls-cert and --tls-key go together; --lifecycle-day-length is a duration', () => {
    expect(parseCli(['--https-port', '4570'], {}).config.httpsPort).toBe(4570);
    expect(() => parseCli(['--https-port', 'x'], {})).toThrow(/--https-port/);
    expect(() => parseCli(['--tls-cert', 'c.pem'], {})).toThrow(/go together/);
    expect(parseCli(['--tls-cert', 'c.pem', '--tls-key', 'k.pem'], {}).config).toMatchObject({
      tlsCert: 'c.pem',
      tlsKey: 'k.pem',
    });
    expect(parseCli(['--lifecycle-day-length', '2s'], {}).config.lifecycleDayMs).toBe(2000);
    expect(() => parseCli(['--lifecycle-day-length', '2'], {})).toThrow(/lifecycle-day-length/);
  });
});

describe('parseCli: signature verification', () => {
  const ids = JSON.stringify([{ accessKeyId: 'AK', secretAccessKey: 'SK' }]);
  it('--verify-signatures needs identities, each with a secret; the env var works the same', () => {
    expect(parseCli(['--verify-signatures', '--identities', ids], {}).config).toMatchObject({ verifySignatures: true });
    expect(() => parseCli(['--verify-signatures'], {})).toThrow(/--verify-signatures needs --identities/);
    expect(() =>
      parseCli(['--verify-signatures', '--identities', JSON.stringify([{ accessKeyId: 'AK' }])], {}),
    ).toThrow(/secretAccessKey for every identity; "AK" has none/);
    expect(parseCli([], { S3SCRIBE_VERIFY_SIGNATURES: 'true', S3SCRIBE_IDENTITIES: ids }).config.verifySignatures).toBe(
      true,
    );
    expect(() => parseCli([], { S3SCRIBE_VERIFY_SIGNATURES: 'true' })).toThrow(/^S3SCRIBE_VERIFY_SIGNATURES needs/);
  });
});
