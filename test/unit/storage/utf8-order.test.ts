import { describe, expect, it } from 'vitest';
import { compareUtf8 } from '../../../storage/utf8-order.js';

/** mulberry32, fixed seed: the same 5,000 pairs on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

// Code point ranges where UTF-16 and UTF-8 order agree or disagree.
const RANGES: [number, number][] = [
  [0x00, 0x7f],
  [0x80, 0x7ff],
  [0x800, 0xd7ff],
  [0xe000, 0xffff],
  [0x10000, 0x10ffff],
  [0xd7f0, 0xd7ff],
  [0xfff0, 0xffff],
];

function randomString(next: () => number): string {
  const length = Math.floor(next() * 6);
  let s = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = RANGES[Math.floor(next() * RANGES.length)]!;
    s += String.fromCodePoint(lo + Math.floor(next() * (hi - lo + 1)));
  }
  return s;
}

const sign = (n: number): number => Math.sign(n);
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('compareUtf8', () => {
  it('agrees with Buffer.compare of the UTF-8 bytes over 5,000 random pairs', () => {
    const next = rng(20240601);
    for (let i = 0; i < 5000; i++) {
      const a = randomString(next);
      // Half the pairs share a prefix, so the first difference falls anywhere.
      const b =
        next() < 0.5 ? a.slice(0, Math.floor(next() * (a.length + 1))) + randomString(next) : randomString(next);
      expect(sign(compareUtf8(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(sign(byteOrder(a, b)));
      expect(sign(compareUtf8(b, a))).toBe(-sign(compareUtf8(a, b)) || 0);
    }
  });

  it('the cases where UTF-16 order is wrong', () => {
    // U+FF61 (EF BD A1) sorts before U+10000 (F0 90 80 80) in UTF-8, after it in UTF-16.
    expect(compareUtf8('\uff61', '\u{10000}')).toBeLessThan(0);
    expect('\uff61' < '\u{10000}').toBe(false);
    expect(compareUtf8('\ue000', '😀')).toBeLessThan(0);
    expect(compareUtf8('😀', '\uffff')).toBeGreaterThan(0);
    expect(compareUtf8('\ud7ff', '\u{10000}')).toBeLessThan(0);
  });

  it('equal strings are 0; a prefix sorts first', () => {
    expect(compareUtf8('', '')).toBe(0);
    expect(compareUtf8('a😀', 'a😀')).toBe(0);
    expect(compareUtf8('a', 'ab')).toBeLessThan(0);
    expect(compareUtf8('ab', 'a')).toBeGreaterThan(0);
    expect(compareUtf8('', 'a')).toBeLessThan(0);
  });

  it('sorting with it equals sorting the UTF-8 bytes', () => {
    const keys = ['b', 'a/b', 'a', 'a-', 'é', 'z', '\uffff', '😀', '\ue000', 'a/', 'A', '0', '~'];
    expect([...keys].sort(compareUtf8)).toEqual([...keys].sort(byteOrder));
  });
});
