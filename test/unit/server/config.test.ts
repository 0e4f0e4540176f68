import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, defaultConfig, parseDuration } from '../../../server/config.js';

describe('parseDuration', () => {
  it.each([
    ['5s', 5000],
    ['500ms', 500],
    ['1m', 60_000],
    ['2h', 7_200_000],
    ['1.5s', 1500],
    ['0.5ms', 1],
    ['1ms', 1],
    ['596h', 2_145_600_000],
    [' 5s ', 5000],
  ])('%j → %i ms', (value, ms) => {
    expect(parseDuration(value)).toBe(ms);
  });

  it.each(['', 's', '5 s', '5x', '5sec', '1e3', 'five', '5S', '.5s', '5.s'])('%j throws: not a duration', (value) => {
    expect(() => parseDuration(value)).toThrow(/expected a duration like 500ms, 5s, 1m or 1h, got /);
  });

  it.each(['5', '250', '0', '1.5'])('%j (no unit) throws, asking for a unit', (value) => {
    expect(() => parseDuration(value)).toThrow(`a duration needs a unit (ms, s, m or h), got "${value}"`);
  });

  it('the unit message suggests the number with a unit', () => {
    expect(() => parseDuration('5')).toThrow(/use e\.g\. 5s or 5ms$/);
  });

  it.each(['0s', '0ms', '0.0h', '-1s', '-0s', '0.4ms'])('%j (zero or negative) throws', (value) => {
    expect(() => parseDuration(value)).toThrow(`a duration must be more than 0, got "${value}"`);
  });

  it('longer than a Node timer can wait throws', () => {
    expect(() => parseDuration('597h')).toThrow('a duration must be at most 596h, got "597h"');
    expect(() => parseDuration('1000000m')).toThrow(/at most 596h/);
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
      lifecycleDayMs: 86_400_000,
    });
    expect(DEFAULT_PORT).toBe(4569);
    expect(defaultConfig()).not.toBe(a);
    expect(defaultConfig().baseDomains).not.toBe(a.baseDomains);
  });
});
