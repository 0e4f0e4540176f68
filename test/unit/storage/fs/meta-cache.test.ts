import { describe, expect, it } from 'vitest';
import type { ObjectMeta } from '../../../../storage/storage.js';
import { MetaCache } from '../../../../storage/fs/meta-cache.js';

const meta = (key: string, size = 0): ObjectMeta => ({
  key,
  size,
  etag: '"d41d8cd98f00b204e9800998ecf8427e"',
  lastModified: 0,
  userMetadata: {},
  checksums: {},
  storageClass: 'STANDARD',
  owner: { id: 'owner', displayName: 'owner' },
});

describe('MetaCache', () => {
  it('answers what was set, per bucket, and forgets deleted keys', () => {
    const cache = new MetaCache(10);
    cache.set('a', meta('k', 1));
    cache.set('b', meta('k', 2));
    expect(cache.get('a', 'k')?.size).toBe(1);
    expect(cache.get('b', 'k')?.size).toBe(2);
    cache.delete('a', 'k');
    expect(cache.get('a', 'k')).toBeUndefined();
    expect(cache.get('b', 'k')?.size).toBe(2);
  });

  it('replaces an entry in place when a key is written again', () => {
    const cache = new MetaCache(10);
    cache.set('a', meta('k', 1));
    cache.set('a', meta('k', 2));
    expect(cache.get('a', 'k')?.size).toBe(2);
  });

  it('holds at most its limit, evicting the oldest first', () => {
    const cache = new MetaCache(100);
    for (let i = 0; i < 150; i++) cache.set('a', meta(`k${i}`));
    const held = Array.from({ length: 150 }, (_, i) => cache.get('a', `k${i}`) !== undefined);
    expect(held.filter(Boolean)).toHaveLength(100);
    expect(held.slice(0, 50).some(Boolean)).toBe(false);
    expect(held.slice(50).every(Boolean)).toBe(true);
  });

  it('keeps a key read as often as every half of its capacity, however many others come and go', () => {
    const cache = new MetaCache(100);
    cache.set('a', meta('hot'));
    for (let i = 0; i < 1_000; i++) {
      cache.set('a', meta(`cold${i}`));
      if (i % 40 === 0) expect(cache.get('a', 'hot')).toBeDefined();
    }
    expect(cache.get('a', 'hot')).toBeDefined();
    expect(cache.get('a', 'cold0')).toBeUndefined();
  });

  it('does not fill from a read that a write overtook', () => {
    const cache = new MetaCache(10);
    const epoch = cache.epoch;
    cache.set('a', meta('other'));
    cache.fill('a', meta('k'), epoch);
    expect(cache.get('a', 'k')).toBeUndefined();
    cache.fill('a', meta('k'), cache.epoch);
    expect(cache.get('a', 'k')).toBeDefined();
  });
});
