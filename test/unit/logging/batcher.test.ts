import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher, type BatchTarget } from '../../../logging/batcher.js';
import { type BatchMeta, removeSpooled, type SpoolFile } from '../../../logging/spool.js';

/** What `deliver` saw of one batch: its meta, its record count and the spooled lines. */
interface Delivered {
  meta: BatchMeta;
  records: number;
  lines: string[];
}

let dir: string;
let delivered: Delivered[];
let errors: unknown[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3scribe-batcher-'));
  delivered = [];
  errors = [];
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
  expect(errors).toEqual([]);
});

/** A Batcher on the temp spool dir whose `deliver` reads the spool file and removes it, as delivery does. */
function batcher(intervalMs = 60_000, beforeDeliver?: (spool: SpoolFile) => Promise<void>): Batcher {
  return new Batcher(
    dir,
    intervalMs,
    async (spool) => {
      const text = await readFile(join(spool.dir, `${spool.meta.id}.log`), 'utf8');
      await beforeDeliver?.(spool);
      const n = delivered.push({ meta: spool.meta, records: spool.records, lines: text.split('\n').slice(0, -1) });
      await removeSpooled(spool.dir, spool.meta.id);
      return `key-${n}`;
    },
    (err) => errors.push(err),
  );
}

const T: BatchTarget = {
  sourceBucket: 'src-a',
  sourceOwnerAccountId: '111122223333',
  sourceRegion: 'us-east-1',
  targetBucket: 'logs-1',
  targetPrefix: 'p/',
  keyFormat: { kind: 'SimplePrefix' },
};
const T0 = Date.UTC(2024, 4, 6, 12, 0, 0);

const linesOf = (source: string): string[] | undefined => delivered.find((d) => d.meta.sourceBucket === source)?.lines;

describe('Batcher timing', () => {
  it('delivers a batch one interval after its FIRST record, not after later ones', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const b = batcher(1_000);
    b.add(T, T0, 'first\n');
    await b.settle(); // the spool exists and holds the first record's append
    await vi.advanceTimersByTimeAsync(600);
    b.add(T, T0 + 600, 'second\n');

    await vi.advanceTimersByTimeAsync(399); // 999 ms after the first record
    await b.settle();
    expect(delivered).toEqual([]);

    await vi.advanceTimersByTimeAsync(1); // 1000 ms after the first, 400 after the second
    await b.settle();
    expect(delivered).toHaveLength(1);
    expect(delivered[0].lines).toEqual(['first', 'second']);
    expect(delivered[0].records).toBe(2);
    expect(delivered[0].meta.firstEventTime).toBe(T0);

    // A record after that delivery opens a new batch, with an interval of its own.
    await vi.advanceTimersByTimeAsync(200);
    b.add(T, T0 + 1_200, 'third\n');
    await b.settle();
    await vi.advanceTimersByTimeAsync(999);
    await b.settle();
    expect(delivered).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await b.settle();
    expect(delivered).toHaveLength(2);
    expect(delivered[1].lines).toEqual(['third']);
    expect(delivered[1].meta.firstEventTime).toBe(T0 + 1_200);
    expect(delivered[1].meta.id).not.toBe(delivered[0].meta.id);
    expect(await readdir(dir)).toEqual([]);
  });

  it('delivers early, without waiting for the interval, once a batch holds 10,000 records', async () => {
    const b = batcher(60_000);
    for (let i = 0; i < 9_999; i++) b.add(T, T0, `r${i}\n`);
    await b.settle();
    expect(delivered).toEqual([]);

    b.add(T, T0, 'r9999\n');
    await b.settle();
    expect(delivered).toHaveLength(1);
    expect(delivered[0].records).toBe(10_000);
    expect(delivered[0].lines).toHaveLength(10_000);
    expect(delivered[0].lines[0]).toBe('r0');
    expect(delivered[0].lines[9_999]).toBe('r9999');

    // The next record starts a new batch.
    b.add(T, T0, 'r10000\n');
    expect(await b.flush()).toEqual([{ key: 'key-2', records: 1 }]);
    expect(delivered[1].lines).toEqual(['r10000']);
  });
});

describe('Batcher grouping', () => {
  it('keeps one batch per (source, target, prefix, key format)', async () => {
    const b = batcher();
    const variants: BatchTarget[] = [
      { ...T, sourceBucket: 'src-b' },
      { ...T, sourceBucket: 'src-c', targetBucket: 'logs-2' },
      { ...T, sourceBucket: 'src-d', targetPrefix: 'q/' },
      { ...T, sourceBucket: 'src-e', keyFormat: { kind: 'PartitionedPrefix', dateSource: 'DeliveryTime' } },
      { ...T, sourceBucket: 'src-f', keyFormat: { kind: 'PartitionedPrefix', dateSource: 'EventTime' } },
    ];
    b.add(T, T0, 'a-1\n');
    for (const v of variants) b.add(v, T0, `${v.sourceBucket}\n`);
    // Same (source, target, prefix, format) as the first record: same batch.
    b.add({ ...T }, T0 + 1, 'a-2\n');
    // The same source as T with exactly one other field changed: a batch each as well.
    b.add({ ...T, targetBucket: 'logs-2' }, T0, 'a-to-logs-2\n');
    b.add({ ...T, targetPrefix: 'q/' }, T0, 'a-prefix-q\n');
    b.add({ ...T, keyFormat: { kind: 'PartitionedPrefix', dateSource: 'DeliveryTime' } }, T0, 'a-pp-delivery\n');
    b.add({ ...T, keyFormat: { kind: 'PartitionedPrefix', dateSource: 'EventTime' } }, T0, 'a-pp-event\n');

    const result = await b.flush();
    expect(result).toHaveLength(10);
    expect(delivered).toHaveLength(10);
    expect(new Set(delivered.map((d) => d.meta.id)).size).toBe(10);

    const batchOf = (line: string) => delivered.filter((d) => d.lines.includes(line));
    expect(batchOf('a-1')).toHaveLength(1);
    expect(batchOf('a-1')[0].lines).toEqual(['a-1', 'a-2']);
    expect(batchOf('a-1')[0].meta).toEqual({ ...T, id: batchOf('a-1')[0].meta.id, firstEventTime: T0 });
    for (const v of variants) expect(linesOf(v.sourceBucket)).toEqual([v.sourceBucket]);
    for (const line of ['a-to-logs-2', 'a-prefix-q', 'a-pp-delivery', 'a-pp-event']) {
      expect(batchOf(line)).toHaveLength(1);
      expect(batchOf(line)[0].lines).toEqual([line]);
    }
    expect(batchOf('a-to-logs-2')[0].meta.targetBucket).toBe('logs-2');
    expect(batchOf('a-prefix-q')[0].meta.targetPrefix).toBe('q/');
    expect(batchOf('a-pp-event')[0].meta.keyFormat).toEqual({ kind: 'PartitionedPrefix', dateSource: 'EventTime' });
  });

  it('splits EventTime-partitioned batches by UTC event day, and only those', async () => {
    const b = batcher();
    const lateDay1 = Date.UTC(2024, 0, 1, 23, 59, 59, 999);
    const earlyDay2 = Date.UTC(2024, 0, 2, 0, 0, 0, 0);
    const noonDay1 = Date.UTC(2024, 0, 1, 12, 0, 0);
    const event: BatchTarget = {
      ...T,
      sourceBucket: 'event',
      keyFormat: { kind: 'PartitionedPrefix', dateSource: 'EventTime' },
    };
    const delivery: BatchTarget = {
      ...T,
      sourceBucket: 'delivery',
      keyFormat: { kind: 'PartitionedPrefix', dateSource: 'DeliveryTime' },
    };
    const simple: BatchTarget = { ...T, sourceBucket: 'simple' };
    for (const target of [event, delivery, simple]) {
      b.add(target, lateDay1, 'late day 1\n');
      b.add(target, earlyDay2, 'early day 2\n');
      b.add(target, noonDay1, 'noon day 1\n');
    }
    await b.flush();

    const events = delivered.filter((d) => d.meta.sourceBucket === 'event');
    expect(events).toHaveLength(2);
    const day1 = events.find((d) => d.meta.firstEventTime === lateDay1);
    const day2 = events.find((d) => d.meta.firstEventTime === earlyDay2);
    expect(day1?.lines).toEqual(['late day 1', 'noon day 1']);
    expect(day2?.lines).toEqual(['early day 2']);

    expect(linesOf('delivery')).toEqual(['late day 1', 'early day 2', 'noon day 1']);
    expect(linesOf('simple')).toEqual(['late day 1', 'early day 2', 'noon day 1']);
    expect(delivered).toHaveLength(4);
  });
});

describe('Batcher flush', () => {
  it('flush() with nothing open returns [] and delivers nothing', async () => {
    const b = batcher();
    expect(await b.flush()).toEqual([]);
    expect(await b.flush('src-a')).toEqual([]);
    expect(delivered).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('flush(sourceBucket) delivers only that source bucket’s batches', async () => {
    const b = batcher();
    b.add(T, T0, 'a to logs-1\n');
    b.add({ ...T, targetBucket: 'logs-2' }, T0, 'a to logs-2\n');
    b.add({ ...T, sourceBucket: 'src-b' }, T0, 'b to logs-1\n');

    const first = await b.flush('src-a');
    expect(first.map((r) => r.records)).toEqual([1, 1]);
    expect(first.map((r) => r.key).sort()).toEqual(['key-1', 'key-2']);
    expect(delivered.map((d) => d.meta.sourceBucket)).toEqual(['src-a', 'src-a']);
    expect(delivered.flatMap((d) => d.lines).sort()).toEqual(['a to logs-1', 'a to logs-2']);
    // src-b's batch is still open and spooled.
    expect((await readdir(dir)).filter((n) => n.endsWith('.log'))).toHaveLength(1);

    expect(await b.flush('src-a')).toEqual([]);
    expect(await b.flush()).toEqual([{ key: 'key-3', records: 1 }]);
    expect(delivered[2].meta.sourceBucket).toBe('src-b');
    expect(delivered[2].lines).toEqual(['b to logs-1']);
    expect(await b.flush()).toEqual([]);
  });

  it('a batch closed by flush takes no more records: later ones open a new batch', async () => {
    const b = batcher();
    b.add(T, T0, 'one\n');
    expect(await b.flush()).toEqual([{ key: 'key-1', records: 1 }]);
    b.add(T, T0 + 1, 'two\n');
    expect(await b.flush()).toEqual([{ key: 'key-2', records: 1 }]);
    expect(delivered.map((d) => d.lines)).toEqual([['one'], ['two']]);
    expect(delivered[1].meta.id).not.toBe(delivered[0].meta.id);
    expect(delivered[1].meta.firstEventTime).toBe(T0 + 1);
  });

  it('records added while a batch is being delivered go to a new batch', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let entered!: () => void;
    const inDelivery = new Promise<void>((r) => {
      entered = r;
    });
    let calls = 0;
    const b = batcher(60_000, async () => {
      if (calls++ === 0) {
        entered();
        await gate;
      }
    });
    b.add(T, T0, 'before\n');
    const flushing = b.flush();
    await inDelivery; // the first batch is closed and handed over
    b.add(T, T0 + 5, 'during\n');
    release();
    expect(await flushing).toEqual([{ key: 'key-1', records: 1 }]);
    expect(delivered[0].lines).toEqual(['before']);

    expect(await b.flush()).toEqual([{ key: 'key-2', records: 1 }]);
    expect(delivered[1].lines).toEqual(['during']);
    expect(delivered[1].meta.firstEventTime).toBe(T0 + 5);
  });
});
