import { describe, expect, it } from 'vitest';
import { dueAt, type LifecycleRule, needsTags, ruleSelects } from '../../../../server/lifecycle/rules.js';

const rule = (over: Partial<LifecycleRule>): LifecycleRule => ({ id: 'r', status: 'Enabled', ...over });
const object = (key: string, size = 10, tags?: Record<string, string>) => ({ key, size, tags });

describe('ruleSelects', () => {
  it('prefix: the legacy rule-level Prefix, Filter.Prefix and And.Prefix; an empty prefix selects all', () => {
    expect(ruleSelects(rule({ prefix: 'logs/' }), object('logs/a'))).toBe(true);
    expect(ruleSelects(rule({ prefix: 'logs/' }), object('data/a'))).toBe(false);
    expect(ruleSelects(rule({ filter: { prefix: 'tmp/' } }), object('tmp/x'))).toBe(true);
    expect(ruleSelects(rule({ filter: { and: { prefix: 'a/', tags: [] } } }), object('b/x'))).toBe(false);
    expect(ruleSelects(rule({ prefix: '', filter: { prefix: '' } }), object('anything'))).toBe(true);
  });

  it('tags: every tag of the filter must be on the object with the same value', () => {
    const r = rule({
      filter: {
        and: {
          tags: [
            { key: 'a', value: '1' },
            { key: 'b', value: '2' },
          ],
        },
      },
    });
    expect(ruleSelects(r, object('k', 1, { a: '1', b: '2', c: '3' }))).toBe(true);
    expect(ruleSelects(r, object('k', 1, { a: '1' }))).toBe(false);
    expect(ruleSelects(r, object('k', 1, { a: '1', b: 'x' }))).toBe(false);
    expect(needsTags(r)).toBe(true);
    expect(needsTags(rule({ filter: { prefix: 'p' } }))).toBe(false);
  });

  it('size: ObjectSizeGreaterThan and ObjectSizeLessThan are strict bounds', () => {
    const r = rule({ filter: { objectSizeGreaterThan: 10, objectSizeLessThan: 20 } });
    expect(ruleSelects(r, object('k', 10))).toBe(false);
    expect(ruleSelects(r, object('k', 11))).toBe(true);
    expect(ruleSelects(r, object('k', 20))).toBe(false);
  });
});

describe('dueAt', () => {
  it('days are counted in lifecycle days from the given time; a date is absolute; neither is never', () => {
    expect(dueAt(1_000, 2, undefined, 500)).toBe(2_000);
    expect(dueAt(1_000, undefined, '2030-01-01T00:00:00.000Z', 500)).toBe(Date.parse('2030-01-01T00:00:00Z'));
    expect(dueAt(1_000, undefined, undefined, 500)).toBe(Number.POSITIVE_INFINITY);
  });
});
