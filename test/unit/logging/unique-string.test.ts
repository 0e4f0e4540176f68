import { describe, expect, it } from 'vitest';
import { createUniqueStringSource } from '../../../logging/unique-string.js';

const SHAPE = /^[0-9A-F]{16}$/;

function take(n: number, seed?: number): string[] {
  const source = createUniqueStringSource(seed);
  return Array.from({ length: n }, () => source.next());
}

describe('createUniqueStringSource', () => {
  it('unseeded: 10k values of 16 uppercase hex, unique and sorted in creation order', () => {
    const values = take(10_000);
    for (const v of values) expect(v).toMatch(SHAPE);
    expect(new Set(values).size).toBe(values.length);
    expect([...values].sort()).toEqual(values);
  });

  it('unseeded: a source created later starts above an idle earlier one', async () => {
    const first = take(1)[0];
    await new Promise((resolve) => setTimeout(resolve, 25));
    expect(take(1)[0] > first).toBe(true);
  });

  it('unseeded: the counter part follows the wall clock', () => {
    const before = Math.floor(Date.now() / 10);
    const counter = parseInt(take(1)[0].slice(0, 10), 16);
    expect(counter).toBeGreaterThanOrEqual(before);
    expect(counter - before).toBeLessThan(100);
  });

  it('seeded: the same seed yields the same sequence', () => {
    expect(take(100, 42)).toEqual(take(100, 42));
    expect(take(5, 0)).toEqual(take(5, 0));
  });

  it('seeded: different seeds yield different sequences', () => {
    const a = take(10, 1);
    const b = take(10, 2);
    const c = take(10, 2 ** 32 + 7);
    expect(a).not.toEqual(b);
    expect(new Set([...a, ...b, ...c]).size).toBe(30);
  });

  it('seeded: values are well-formed, unique and sorted', () => {
    const values = take(10_000, 12345);
    for (const v of values) expect(v).toMatch(SHAPE);
    expect(new Set(values).size).toBe(values.length);
    expect([...values].sort()).toEqual(values);
  });
});
