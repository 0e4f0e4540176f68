import { describe, expect, it } from 'vitest';
import { createIdSource } from '../../../server/ids.js';

const REQUEST_ID = /^[0-9A-F]{16}$/;
const isBase64 = (s: string): boolean =>
  /^[A-Za-z0-9+/]+={0,2}$/.test(s) && Buffer.from(s, 'base64').toString('base64') === s;

describe('createIdSource', () => {
  it('request ids are 16 upper-case hex digits; host ids base64 of 48 bytes', () => {
    for (const ids of [createIdSource(), createIdSource(1)]) {
      for (let i = 0; i < 50; i++) {
        expect(ids.requestId()).toMatch(REQUEST_ID);
        const host = ids.hostId();
        expect(isBase64(host)).toBe(true);
        expect(Buffer.from(host, 'base64')).toHaveLength(48);
      }
    }
  });

  it('the same seed gives the same sequence', () => {
    const a = createIdSource(42);
    const b = createIdSource(42);
    const seq = (s: ReturnType<typeof createIdSource>) =>
      Array.from({ length: 20 }, (_, i) => (i % 3 ? s.requestId() : s.hostId()));
    expect(seq(a)).toEqual(seq(b));
  });

  it('golden: seed 1 starts with these ids', () => {
    const ids = createIdSource(1);
    expect([ids.requestId(), ids.requestId(), ids.hostId()]).toEqual([
      'F3EA87A0C949B300',
      'EBC40687FD2726FB',
      'K53n9zBm9kfwAeOcXJ+CuHAHAW1xt6z+CqaMdC47IX29JpEjItFbZ+C5XT+y3Iwn',
    ]);
  });

  it('different seeds give different sequences; seed 0 is a seed', () => {
    const firsts = [0, 1, 2, 3, -1, 2 ** 31].map((seed) => createIdSource(seed).requestId());
    expect(new Set(firsts).size).toBe(firsts.length);
    expect(createIdSource(0).requestId()).toBe(createIdSource(0).requestId());
  });

  it('unseeded: 10,000 request ids, all distinct; two sources differ', () => {
    const ids = createIdSource();
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) seen.add(ids.requestId());
    expect(seen.size).toBe(10_000);
    expect(createIdSource().hostId()).not.toBe(createIdSource().hostId());
  });

  it('seeded: 10,000 request ids, all distinct', () => {
    const ids = createIdSource(7);
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) seen.add(ids.requestId());
    expect(seen.size).toBe(10_000);
  });
});
