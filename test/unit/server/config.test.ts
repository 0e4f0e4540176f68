import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, defaultConfig, parseDuration } from '../../../server/config.js';

describe('parseDuration', () => {
  it.each([
    ['5s', 5000],
    ['500ms', 500],
    ['1m', 60_000],
    ['2h', 7_200_000],
    ['250', 250],
    ['0', 0],
    ['1.5s', 1500],
    ['0.25ms', 0],
    [' 5s ', 5000],
  ])('%j → %i ms', (value, ms) => {
    expect(parseDuration(value)).toBe(ms);
  });

  it.each(['', 's', '5 s', '-1s', '5x', '5sec', '1e3', 'five'])('%j throws', (value) => {
    expect(() => parseDuration(value)).toThrow(/not a duration/);
  });
});

describe('defaultConfig', () => {
  it('the documented defaults, a fresh object each time', () => {
    const a = defaultConfig();
    expect(a).toEqual({
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
    expect(DEFAULT_PORT).toBe(4569);
    expect(defaultConfig()).not.toBe(a);
    expect(defaultConfig().baseDomains).not.toBe(a.baseDomains);
  });
});
