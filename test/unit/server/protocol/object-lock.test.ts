import { describe, expect, it } from 'vitest';
import type { S3Error } from '../../../../errors/s3-error.js';
import {
  defaultRetentionAt,
  isLocked,
  lockFromHeaders,
  lockResponseHeaders,
  parseIsoTimestamp,
  retentionChange,
} from '../../../../server/protocol/object-lock.js';
import { parseXml } from '../../../../server/xml/parse.js';
import { objectLockConfigFrom, retentionFrom } from '../../../../server/xml/shapes/object-lock.js';

const NOW = Date.parse('2025-01-01T00:00:00.000Z');
const FAR = '2100-01-01T00:00:00.000Z';
const LATER = '2100-06-01T00:00:00.000Z';

function thrown(fn: () => unknown): S3Error {
  try {
    fn();
  } catch (err) {
    return err as S3Error;
  }
  throw new Error('no error');
}

describe('parseIsoTimestamp', () => {
  it('reads Z, offsets and up to microseconds', () => {
    expect(parseIsoTimestamp('2100-01-01T00:00:00Z')).toBe(Date.parse(FAR));
    expect(parseIsoTimestamp('2100-01-01T00:00:00.123456Z')).toBe(Date.parse(FAR) + 123);
    expect(parseIsoTimestamp('2100-01-01T02:00:00+02:00')).toBe(Date.parse(FAR));
    expect(parseIsoTimestamp('2100-01-01T02:00:00+0200')).toBe(Date.parse(FAR));
  });
  it('refuses anything else', () => {
    for (const bad of ['2100-01-01', 'tomorrow', '2100-01-01T00:00:00', '2100-13-01T00:00:00Z'])
      expect(parseIsoTimestamp(bad)).toBeUndefined();
  });
});

describe('lockFromHeaders', () => {
  it('mode and date together, legal hold alone', () => {
    expect(
      lockFromHeaders(
        { 'x-amz-object-lock-mode': 'COMPLIANCE', 'x-amz-object-lock-retain-until-date': '2100-01-01T00:00:00Z' },
        NOW,
      ),
    ).toEqual({ retention: { mode: 'COMPLIANCE', retainUntil: FAR } });
    expect(lockFromHeaders({ 'x-amz-object-lock-legal-hold': 'ON' }, NOW)).toEqual({ legalHold: 'ON' });
    expect(lockFromHeaders({}, NOW)).toEqual({});
  });
  it('InvalidArgument for half a retention, an unknown mode, a past date, a bad legal hold', () => {
    const cases = [
      { 'x-amz-object-lock-mode': 'GOVERNANCE' },
      { 'x-amz-object-lock-retain-until-date': FAR },
      { 'x-amz-object-lock-mode': 'governance', 'x-amz-object-lock-retain-until-date': FAR },
      { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': '2020-01-01T00:00:00Z' },
      { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': 'soon' },
      { 'x-amz-object-lock-legal-hold': 'on' },
    ];
    for (const h of cases) expect(thrown(() => lockFromHeaders(h, NOW)).code).toBe('InvalidArgument');
  });
});

describe('retention rules', () => {
  it('default retention counts days, or calendar years, from now', () => {
    expect(defaultRetentionAt({ mode: 'GOVERNANCE', days: 2 }, NOW)).toEqual({
      mode: 'GOVERNANCE',
      retainUntil: '2025-01-03T00:00:00.000Z',
    });
    expect(defaultRetentionAt({ mode: 'COMPLIANCE', years: 1 }, NOW).retainUntil).toBe('2026-01-01T00:00:00.000Z');
  });
  it('isLocked: legal hold always; COMPLIANCE until it ends; GOVERNANCE unless bypassed; markers never', () => {
    const gov = { retention: { mode: 'GOVERNANCE' as const, retainUntil: FAR } };
    const comp = { retention: { mode: 'COMPLIANCE' as const, retainUntil: FAR } };
    expect(isLocked(gov, NOW)).toBe(true);
    expect(isLocked(gov, NOW, true)).toBe(false);
    expect(isLocked(comp, NOW, true)).toBe(true);
    expect(isLocked(comp, Date.parse(FAR) + 1)).toBe(false);
    expect(isLocked({ legalHold: 'ON' }, NOW, true)).toBe(true);
    expect(isLocked({ legalHold: 'OFF' }, NOW)).toBe(false);
    expect(isLocked({ deleteMarker: true, legalHold: 'ON' }, NOW)).toBe(false);
  });
  it('retentionChange: extend freely; shorten, switch or remove needs the bypass (GOVERNANCE) or is refused', () => {
    const gov = { mode: 'GOVERNANCE' as const, retainUntil: FAR };
    const comp = { mode: 'COMPLIANCE' as const, retainUntil: FAR };
    expect(retentionChange(undefined, gov, NOW)).toBe('allowed');
    expect(retentionChange(gov, { ...gov, retainUntil: LATER }, NOW)).toBe('allowed');
    expect(retentionChange({ ...gov, retainUntil: LATER }, gov, NOW)).toBe('bypass');
    expect(retentionChange(gov, comp, NOW)).toBe('bypass');
    expect(retentionChange(gov, undefined, NOW)).toBe('bypass');
    expect(retentionChange(comp, { ...comp, retainUntil: LATER }, NOW)).toBe('allowed');
    expect(retentionChange({ ...comp, retainUntil: LATER }, comp, NOW)).toBe('refused');
    expect(retentionChange(comp, gov, NOW)).toBe('refused');
    expect(retentionChange(comp, gov, Date.parse(FAR) + 1)).toBe('allowed');
  });
  it('response headers name what is set', () => {
    expect(lockResponseHeaders({ retention: { mode: 'GOVERNANCE', retainUntil: FAR }, legalHold: 'OFF' })).toEqual({
      'x-amz-object-lock-mode': 'GOVERNANCE',
      'x-amz-object-lock-retain-until-date': FAR,
      'x-amz-object-lock-legal-hold': 'OFF',
    });
    expect(lockResponseHeaders({})).toEqual({});
  });
});

describe('Object Lock documents', () => {
  const config = async (xml: string) => {
    const { root, body } = await parseXml(xml);
    return objectLockConfigFrom(root, body);
  };
  const rule = (inner: string) =>
    `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention>${inner}</DefaultRetention></Rule></ObjectLockConfiguration>`;
  it('ObjectLockConfiguration: enabled alone, or with a Days or Years rule', async () => {
    expect(
      await config('<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>'),
    ).toEqual({});
    expect(await config(rule('<Mode>GOVERNANCE</Mode><Days>3</Days>'))).toEqual({
      rule: { mode: 'GOVERNANCE', days: 3 },
    });
    expect(await config(rule('<Mode>COMPLIANCE</Mode><Years>1</Years>'))).toEqual({
      rule: { mode: 'COMPLIANCE', years: 1 },
    });
  });
  it('ObjectLockConfiguration errors: MalformedXML, InvalidRetentionPeriod', async () => {
    const code = (xml: string) =>
      config(xml).then(
        () => 'ok',
        (e: S3Error) => e.code,
      );
    expect(await code(rule('<Mode>GOVERNANCE</Mode><Days>1</Days><Years>1</Years>'))).toBe('MalformedXML');
    expect(await code(rule('<Mode>GOVERNANCE</Mode>'))).toBe('MalformedXML');
    expect(await code(rule('<Days>1</Days>'))).toBe('MalformedXML');
    expect(await code(rule('<Mode>GOVERNANCE</Mode><Days>1.5</Days>'))).toBe('MalformedXML');
    expect(await code(rule('<Mode>GOVERNANCE</Mode><Days>0</Days>'))).toBe('InvalidRetentionPeriod');
    expect(
      await code('<ObjectLockConfiguration><ObjectLockEnabled>Disabled</ObjectLockEnabled></ObjectLockConfiguration>'),
    ).toBe('MalformedXML');
    expect(await code('<ObjectLockConfiguration><Rule/></ObjectLockConfiguration>')).toBe('MalformedXML');
  });
  it('Retention: both fields, or neither (removal)', async () => {
    const parse = async (xml: string) => {
      const { root, body } = await parseXml(xml);
      return retentionFrom(root, body, NOW);
    };
    expect(
      await parse(`<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>${FAR}</RetainUntilDate></Retention>`),
    ).toEqual({
      mode: 'GOVERNANCE',
      retainUntil: FAR,
    });
    expect(await parse('<Retention/>')).toBeUndefined();
    await expect(parse('<Retention><Mode>GOVERNANCE</Mode></Retention>')).rejects.toMatchObject({
      code: 'MalformedXML',
    });
  });
});
