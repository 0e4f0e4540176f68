import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IndexStore, SETTLE_AFTER_MS } from '../../../../storage/fs/index-store.js';
import { KeyIndex } from '../../../../storage/fs/key-index.js';
import type { ListQuery, ObjectSummary } from '../../../../storage/storage.js';

const summary = (key: string, size = key.length): ObjectSummary => ({
  key,
  size,
  etag: 'e',
  lastModified: 0,
  storageClass: 'STANDARD',
  owner: { id: 'o', displayName: 'o' },
});

const dir = mkdtempSync(join(tmpdir(), 's3scribe-key-index-'));
const store = await IndexStore.open(join(dir, 'index'));
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

let buckets = 0;
/** Each index its own bucket in one store: rows of one bucket must never show in another. */
function newIndex(): KeyIndex {
  const name = `bucket-${buckets++}`;
  store.setStats(name, { objects: 0, bytes: 0 });
  return new KeyIndex(store, name);
}

function indexOf(keys: string[]): KeyIndex {
  const index = newIndex();
  for (const k of keys) index.upsert(summary(k));
  return index;
}

/** Keys of a bucket marked in the store and not yet settled. */
const marksOf = (index: KeyIndex): string[] =>
  store
    .marked()
    .filter((m) => m.bucket === index.bucket)
    .map((m) => m.key);

const list = (index: KeyIndex, q: Partial<ListQuery>) => {
  const r = index.list({ prefix: '', maxKeys: 1000, ...q });
  return {
    keys: r.contents.map((c) => c.key),
    prefixes: r.commonPrefixes,
    isTruncated: r.isTruncated,
    lastReturned: r.lastReturned,
  };
};

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('KeyIndex.list', () => {
  const index = indexOf([
    'photos/2006/january/sample.jpg',
    'photos/2006/february/sample.jpg',
    'photos/2006/february/sample2.jpg',
    'photos/2006/february/sample3.jpg',
    'photos/readme.txt',
    'photos',
    'notes.txt',
    'videos/a.mp4',
  ]);

  it('everything, in order', () => {
    expect(list(index, {}).keys).toEqual([
      'notes.txt',
      'photos',
      'photos/2006/february/sample.jpg',
      'photos/2006/february/sample2.jpg',
      'photos/2006/february/sample3.jpg',
      'photos/2006/january/sample.jpg',
      'photos/readme.txt',
      'videos/a.mp4',
    ]);
  });

  it('prefix', () => {
    expect(list(index, { prefix: 'photos/2006/f' }).keys).toEqual([
      'photos/2006/february/sample.jpg',
      'photos/2006/february/sample2.jpg',
      'photos/2006/february/sample3.jpg',
    ]);
    expect(list(index, { prefix: 'nothing' })).toEqual({
      keys: [],
      prefixes: [],
      isTruncated: false,
      lastReturned: undefined,
    });
  });

  it('delimiter: keys and common prefixes at one level', () => {
    expect(list(index, { delimiter: '/' })).toMatchObject({
      keys: ['notes.txt', 'photos'],
      prefixes: ['photos/', 'videos/'],
      isTruncated: false,
    });
    expect(list(index, { prefix: 'photos/', delimiter: '/' })).toMatchObject({
      keys: ['photos/readme.txt'],
      prefixes: ['photos/2006/'],
    });
    expect(list(index, { prefix: 'photos/2006/', delimiter: '/' }).prefixes).toEqual([
      'photos/2006/february/',
      'photos/2006/january/',
    ]);
  });

  it('a multi-character delimiter', () => {
    const idx = indexOf(['x--y--z', 'x--w', 'xy', 'x-y', 'x----']);
    expect(list(idx, { delimiter: '--' })).toMatchObject({ keys: ['x-y', 'xy'], prefixes: ['x--'] });
    expect(list(idx, { prefix: 'x--', delimiter: '--' })).toMatchObject({
      keys: ['x--w'],
      prefixes: ['x----', 'x--y--'],
    });
  });

  it('a delimiter that is also in the prefix is looked for after the prefix only', () => {
    expect(list(index, { prefix: 'photos/2006', delimiter: '/' })).toMatchObject({
      keys: [],
      prefixes: ['photos/2006/'],
    });
  });

  it('an empty delimiter groups nothing', () => {
    expect(list(index, { delimiter: '' }).keys).toHaveLength(8);
  });

  it('maxKeys counts keys and common prefixes together', () => {
    const r = list(index, { delimiter: '/', maxKeys: 3 });
    expect(r).toEqual({
      keys: ['notes.txt', 'photos'],
      prefixes: ['photos/'],
      isTruncated: true,
      lastReturned: 'photos/',
    });
    expect(list(index, { delimiter: '/', after: 'photos/', maxKeys: 3 })).toEqual({
      keys: [],
      prefixes: ['videos/'],
      isTruncated: false,
      lastReturned: 'videos/',
    });
  });

  it('maxKeys 0: nothing, not truncated', () => {
    expect(list(index, { maxKeys: 0 })).toEqual({
      keys: [],
      prefixes: [],
      isTruncated: false,
      lastReturned: undefined,
    });
  });

  it('exactly maxKeys left: not truncated', () => {
    expect(list(index, { prefix: 'photos/2006/february/', maxKeys: 3 }).isTruncated).toBe(false);
    expect(list(index, { prefix: 'photos/2006/february/', maxKeys: 2 }).isTruncated).toBe(true);
  });

  it('after (marker) is exclusive, and need not be a key', () => {
    expect(list(index, { after: 'photos/2006/february/sample2.jpg', prefix: 'photos/2006/february/' }).keys).toEqual([
      'photos/2006/february/sample3.jpg',
    ]);
    expect(list(index, { after: 'photos/2006/february/sample1', prefix: 'photos/2006/february/' }).keys).toEqual([
      'photos/2006/february/sample2.jpg',
      'photos/2006/february/sample3.jpg',
    ]);
    expect(list(index, { after: 'zzz' }).keys).toEqual([]);
  });

  it('a marker before the prefix starts at the prefix', () => {
    expect(list(index, { prefix: 'videos/', after: 'a' }).keys).toEqual(['videos/a.mp4']);
  });

  it('a marker inside a common prefix: that prefix is not returned again', () => {
    const r = list(index, { delimiter: '/', after: 'photos/2006/february/sample.jpg' });
    expect(r).toMatchObject({ keys: [], prefixes: ['videos/'] });
    expect(list(index, { delimiter: '/', after: 'photos/' }).prefixes).toEqual(['videos/']);
    expect(list(index, { prefix: 'photos/', delimiter: '/', after: 'photos/2006/january/sample.jpg' })).toMatchObject({
      keys: ['photos/readme.txt'],
      prefixes: [],
    });
  });

  it('a marker before a common prefix still returns it', () => {
    expect(list(index, { delimiter: '/', after: 'photos' }).prefixes).toEqual(['photos/', 'videos/']);
  });

  it('keys in UTF-8 byte order, not UTF-16 order', () => {
    const keys = ['😀', '\uffff', 'a', '\ue000', 'é', 'z'];
    expect(list(indexOf(keys), {}).keys).toEqual([...keys].sort(byteOrder));
    expect(list(indexOf(keys), {}).keys).toEqual(['a', 'z', 'é', '\ue000', '\uffff', '😀']);
  });
});

describe('KeyIndex pagination', () => {
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }
  const ALPHABET = ['a', 'b', '/', '-', 'é', '😀', '\ue000', '.'];

  /** What a single, unlimited listing must show, computed the slow way. */
  function expected(keys: string[], prefix: string, delimiter?: string): string[] {
    const out = new Set<string>();
    for (const k of [...keys].sort(byteOrder)) {
      if (!k.startsWith(prefix)) continue;
      const cut = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
      out.add(cut >= 0 ? `P:${k.slice(0, cut + delimiter!.length)}` : `K:${k}`);
    }
    return [...out];
  }

  it('paging with lastReturned visits every key and common prefix exactly once, in order', () => {
    const next = rng(99);
    for (let round = 0; round < 60; round++) {
      const keys = new Set<string>();
      const count = 1 + Math.floor(next() * 120);
      while (keys.size < count) {
        let k = '';
        const len = 1 + Math.floor(next() * 6);
        for (let i = 0; i < len; i++) k += ALPHABET[Math.floor(next() * ALPHABET.length)];
        keys.add(k);
      }
      const all = [...keys];
      const index = indexOf(all);
      const prefix = ['', 'a', 'a/', 'é'][Math.floor(next() * 4)]!;
      const delimiter = [undefined, '/', '-', '/-'][Math.floor(next() * 4)];
      const maxKeys = 1 + Math.floor(next() * 7);

      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 1000; page++) {
        const r = index.list({ prefix, delimiter, after, maxKeys });
        const items = [...r.contents.map((c) => `K:${c.key}`), ...r.commonPrefixes.map((p) => `P:${p}`)];
        expect(items.length).toBeLessThanOrEqual(maxKeys);
        seen.push(...items.sort((x, y) => byteOrder(x.slice(2), y.slice(2))));
        if (!r.isTruncated) break;
        expect(r.lastReturned).toBeDefined();
        after = r.lastReturned;
      }
      expect(seen, JSON.stringify({ prefix, delimiter, maxKeys })).toEqual(expected(all, prefix, delimiter));
    }
  });
});

describe('KeyIndex upsert/remove', () => {
  it('upsert adds in order (out-of-order inserts included) and replaces an existing entry', () => {
    const index = newIndex();
    for (const k of ['m', 'c', 'x', 'a', 'c']) index.upsert(summary(k));
    expect(index.size).toBe(4);
    expect(list(index, {}).keys).toEqual(['a', 'c', 'm', 'x']);
    index.upsert(summary('c', 99));
    expect(index.size).toBe(4);
    expect(index.list({ prefix: 'c', maxKeys: 10 }).contents).toEqual([summary('c', 99)]);
  });

  it('remove deletes; removing a missing key is a no-op', () => {
    const index = indexOf(['a', 'b', 'c']);
    index.remove('b');
    index.remove('zz');
    index.remove('b');
    expect(index.size).toBe(2);
    expect(list(index, {}).keys).toEqual(['a', 'c']);
    index.remove('a');
    index.remove('c');
    expect(index.size).toBe(0);
    expect(list(index, {})).toEqual({ keys: [], prefixes: [], isTruncated: false, lastReturned: undefined });
  });

  it('random upserts and removes keep the same order as a sorted set', () => {
    const index = newIndex();
    const model = new Set<string>();
    let s = 5;
    const next = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s % 200;
    };
    for (let i = 0; i < 2000; i++) {
      const k = `k${next()}${'😀'.repeat(next() % 2)}`;
      if (next() % 3 === 0) {
        index.remove(k);
        model.delete(k);
      } else {
        index.upsert(summary(k));
        model.add(k);
      }
    }
    expect(index.size).toBe(model.size);
    expect(list(index, {}).keys).toEqual([...model].sort(byteOrder));
  });
});

describe('KeyIndex in the index store', () => {
  it('counts objects and bytes as keys come, change size and go', () => {
    const index = newIndex();
    index.upsert(summary('a', 10));
    index.upsert(summary('b', 5));
    index.upsert(summary('a', 3));
    expect([index.size, index.bytes]).toEqual([2, 8]);
    index.remove('b');
    index.remove('b');
    expect([index.size, index.bytes]).toEqual([1, 3]);
    expect(index.isEmpty()).toBe(false);
    index.remove('a');
    expect(index.isEmpty()).toBe(true);
  });

  it('a bucket whose name starts another one sees only its own keys', () => {
    store.setStats('ab', { objects: 0, bytes: 0 });
    store.setStats('a', { objects: 0, bytes: 0 });
    const ab = new KeyIndex(store, 'ab');
    const a = new KeyIndex(store, 'a');
    ab.upsert(summary('x'));
    a.upsert(summary('\u0001'));
    a.upsert(summary('b\u0000c'));
    expect(list(a, {}).keys).toEqual(['\u0001', 'b\u0000c']);
    expect(list(ab, {}).keys).toEqual(['x']);
    store.dropBucket('a');
    expect(list(a, {}).keys).toEqual([]);
    expect(list(ab, {}).keys).toEqual(['x']);
  });

  it('version listing merges current and versioned keys in order across chunks, from a key on', () => {
    const index = newIndex();
    const current = Array.from({ length: 2500 }, (_, i) => `k${String(i * 2).padStart(5, '0')}`);
    const versioned = Array.from({ length: 1800 }, (_, i) => `k${String(i * 3).padStart(5, '0')}`);
    index.load(
      current.map((k) => summary(k)),
      versioned,
    );
    const expected = [...new Set([...current, ...versioned])].sort(byteOrder);
    expect([...index.versionListingKeys('', '')]).toEqual(expected);
    expect([...index.versionListingKeys('k01', '')]).toEqual(expected.filter((k) => k.startsWith('k01')));
    expect([...index.versionListingKeys('', 'k03000')]).toEqual(expected.filter((k) => k >= 'k03000'));
    expect([...index.versionedKeys()]).toEqual(versioned);
  });

  it('reopening the map to release its pages loses nothing', async () => {
    const index = indexOf(['a', 'b']);
    store.touch(60_000);
    await new Promise((resolve) => setImmediate(resolve));
    index.upsert(summary('c'));
    expect(list(index, {}).keys).toEqual(['a', 'b', 'c']);
  });

  it('removeMarked takes the row and marks the key at once; settleSoon clears marks in the next commit', async () => {
    const index = indexOf(['a', 'b', 'c']);
    const marks = () => marksOf(index);
    const row = index.removeMarked('b');
    expect(row).toBeDefined();
    expect(list(index, {}).keys).toEqual(['a', 'c']);
    expect([index.size, index.bytes]).toEqual([2, 2]);
    expect(marks()).toEqual(['b']);
    index.settleSoon('b');
    expect(marks()).toEqual(['b']);
    // No commit of its own: the mark waits for the next write.
    await new Promise((resolve) => setImmediate(resolve));
    expect(marks()).toEqual(['b']);
    index.upsert(summary('d'));
    expect(marks()).toEqual([]);

    // A key marked again (a PUT right after the DELETE) keeps its new mark.
    index.removeMarked('c');
    index.settleSoon('c');
    index.intend('c');
    index.upsert(summary('e'));
    expect(marks()).toEqual(['c']);
    index.settle('c');
    index.remove('d');
    index.remove('e');

    // A row put back after a failed unlink counts again.
    index.restore('b', row!);
    expect(list(index, {}).keys).toEqual(['a', 'b']);
    expect([index.size, index.bytes]).toEqual([2, 2]);
    expect(index.removeMarked('missing')).toBeUndefined();
    expect(index.size).toBe(2);
    index.settle('missing');
  });

  it('removeMarkedShared: removals queued in one turn commit together, after the turn, with the marks settleSoon holds', async () => {
    const index = indexOf(['a', 'b', 'c', 'd']);
    const marks = () => marksOf(index);
    index.removeMarked('a');
    index.settleSoon('a');
    const queued = [index.removeMarkedShared('b'), index.removeMarkedShared('c'), index.removeMarkedShared('zz')];
    // Nothing is committed before the turn ends: the rows are still listed and counted.
    expect(list(index, {}).keys).toEqual(['b', 'c', 'd']);
    expect(marks()).toEqual(['a']);
    const rows = await Promise.all(queued);
    expect(rows.map((r) => r !== undefined)).toEqual([true, true, false]);
    expect(list(index, {}).keys).toEqual(['d']);
    expect([index.size, index.bytes]).toEqual([1, 1]);
    // The earlier mark went in the same commit; the new ones stay until their own settleSoon.
    expect(marks()).toEqual(['b', 'c']);
    index.settleSoon('b');
    index.settleSoon('c');
    // With no write coming, they get a commit of their own a little later.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_AFTER_MS + 100));
    expect(marks()).toEqual([]);
  });

  it('marks to clear survive a failed commit and go with the next one', async () => {
    const index = indexOf(['a', 'b']);
    const marks = () => marksOf(index);
    index.removeMarked('a');
    index.settleSoon('a');
    expect(() =>
      store.transaction(() => {
        throw new Error('broken change');
      }),
    ).toThrow('broken change');
    expect(marks()).toEqual(['a']);
    index.upsert(summary('c'));
    expect(marks()).toEqual([]);
  });

  it('a shared commit that fails rejects every change queued in it and leaves rows and counts as they were', async () => {
    const index = indexOf(['a', 'b']);
    const results = await Promise.allSettled([
      index.removeMarkedShared('a'),
      store.commitShared(() => {
        throw new Error('broken change');
      }),
      index.removeMarkedShared('b'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(list(index, {}).keys).toEqual(['a', 'b']);
    expect([index.size, index.bytes]).toEqual([2, 2]);
    expect(store.marked().filter((m) => m.bucket === index.bucket)).toEqual([]);
  });

  it('counts changed several times in one shared commit are stored as they stand when it ends', async () => {
    const own = await IndexStore.open(join(dir, 'index-counts'));
    const one = new KeyIndex(own, 'one');
    const two = new KeyIndex(own, 'two');
    own.setStats('one', { objects: 0, bytes: 0 });
    own.setStats('two', { objects: 0, bytes: 0 });
    for (const k of ['a', 'bb', 'ccc', 'dddd']) one.upsert(summary(k));
    for (const k of ['x', 'yy']) two.upsert(summary(k));
    await Promise.all([
      one.removeMarkedShared('a'),
      two.removeMarkedShared('yy'),
      one.removeMarkedShared('ccc'),
      one.removeMarkedShared('missing'),
    ]);
    own.close();
    // A fresh store has no counts in memory: what it reads is what the commit wrote.
    const reopened = await IndexStore.open(join(dir, 'index-counts'));
    try {
      expect(reopened.stats('one')).toEqual({ objects: 2, bytes: 6 });
      expect(reopened.stats('two')).toEqual({ objects: 1, bytes: 1 });
    } finally {
      reopened.close();
    }
  });

  it('dropping a bucket first commits the removals queued for it', async () => {
    const index = indexOf(['a', 'b']);
    const queued = index.removeMarkedShared('a');
    store.dropBucket(index.bucket);
    expect(await queued).toBeDefined();
    // No counts row came back for the dropped bucket: it reads as never indexed.
    expect(store.stats(index.bucket)).toBeUndefined();
    expect(list(index, {}).keys).toEqual([]);
    for (const m of store.marked().filter((x) => x.bucket === index.bucket)) store.settle(m.entry);
  });

  it('rows and marks of changes in flight outlive a reopening of the store', async () => {
    const index = newIndex();
    index.upsert(summary('kept', 7));
    index.intend('interrupted');
    const again = await IndexStore.open(join(dir, 'index2'));
    again.close();
    store.close();
    const reopened = await IndexStore.open(join(dir, 'index'));
    try {
      const view = new KeyIndex(reopened, index.bucket);
      expect(list(view, {}).keys).toEqual(['kept']);
      expect(reopened.marked().map((m) => [m.bucket, m.key])).toContainEqual([index.bucket, 'interrupted']);
      view.settle('interrupted');
      expect(reopened.marked().map((m) => m.key)).not.toContain('interrupted');
    } finally {
      reopened.close();
    }
  });
});
