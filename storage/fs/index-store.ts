import { open as openFile, rename } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Database, DatabaseOptions, RootDatabase } from 'lmdb';

/**
 * The listing index of every bucket, kept on disk beside the object files so that a start scans
 * nothing and memory does not grow with the number of keys. LMDB (through `lmdb`, whose prebuilt
 * binaries come inside the npm package): ordered byte keys, synchronous reads and commits, and a
 * commit survives the process being killed (the map's pages are the OS's once written). It does
 * not fsync, like the object files themselves.
 *
 * Four tables, all keyed by `bucket \0 key` (so a bucket's keys are one range, in UTF-8 byte order):
 * - objects: what a listing shows of each current, live object;
 * - versioned: keys that keep noncurrent versions or a delete marker (ListObjectVersions);
 * - pending: keys whose object file is being replaced right now (see `intend`);
 * - buckets (keyed by name): object count and bytes; a bucket with no row is not indexed yet
 *   (a data directory from before the index), and is scanned once on first use.
 */

/** Rows touched between two reopenings of the map: pages LMDB has mapped stay resident until unmapped. */
const REMAP_AFTER = 50_000;

/** How long a cleared mark may wait for a commit to ride on before it gets one of its own. */
export const SETTLE_AFTER_MS = 100;

export interface BucketStats {
  objects: number;
  bytes: number;
}

export class IndexStore {
  private env!: RootDatabase;
  /** Values are each row's JSON text (see `summaryText`). */
  objects!: Database<string, Buffer>;
  versioned!: Database<Buffer, Buffer>;
  private pending!: Database<Buffer, Buffer>;
  private buckets!: Database<BucketStats, string>;
  private touched = 0;
  private remapScheduled = false;
  private closed = false;
  /**
   * Each bucket's counts as last committed: every write of them goes through `setStats`, so reads
   * need not decode the stored JSON again (a DELETE and a PUT each read them once).
   */
  private readonly statsCache = new Map<string, BucketStats>();
  /**
   * Counts set in the running `transaction`, written as it ends: a commit shared by several
   * DELETEs (`commitShared`) writes each bucket's counts once, not once per DELETE.
   */
  private statsHeld?: Map<string, BucketStats>;
  /** Marks `settleSoon` will clear, by entry bytes (latin1 keeps every byte). */
  private readonly unsettled = new Map<string, Buffer>();
  private settleTimer?: NodeJS.Timeout;
  /** Changes waiting for the commit they share (`commitShared`). */
  private shared: SharedChange[] = [];
  private flushScheduled = false;

  private constructor(
    readonly dir: string,
    private readonly openEnv: typeof import('lmdb').open,
  ) {
    this.map();
  }

  /** Opens the index; an unreadable one is moved aside (`index.broken-…`) and rebuilt from the files. */
  static async open(dir: string): Promise<IndexStore> {
    // Loaded here, not at start: lmdb and its encoders take about 30 ms to load. require, not
    // import(): the bundled command runs from V8's code cache, where import() is not available.
    const { open } = createRequire(import.meta.url)('lmdb') as typeof import('lmdb');
    try {
      await checkMetaPages(join(dir, 'data.mdb'));
      return new IndexStore(dir, open);
    } catch (err) {
      await rename(dir, `${dir}.broken-${Date.now()}`);
      process.emitWarning(`listing index ${dir} could not be opened (${(err as Error).message}); rebuilding it`);
      return new IndexStore(dir, open);
    }
  }

  private map(): void {
    // writemap: a commit writes into the map instead of a pwrite per page (9 µs against 19 µs per
    // row here); noSync: the OS writes pages out, as it does for the object files.
    this.env = this.openEnv({ path: this.dir, noSync: true, useWritemap: true, pageSize: 4096 });
    // lmdb's typings leave out `encoder`, which it honours (a store with one decodes with it).
    this.objects = this.env.openDB('objects', { keyEncoding: 'binary', encoder: summaryText } as DatabaseOptions);
    this.versioned = this.env.openDB('versioned', { keyEncoding: 'binary', encoding: 'binary' });
    this.pending = this.env.openDB('pending', { keyEncoding: 'binary', encoding: 'binary' });
    this.buckets = this.env.openDB('buckets', { encoding: 'json' });
  }

  /**
   * Counts rows read or written. Every page LMDB touched stays mapped, so a process that inserted a
   * million keys would keep the whole file resident; closing and reopening the map (about 3 ms)
   * drops those pages. It runs between two turns of the event loop, when no read is under way
   * (every read here finishes synchronously).
   */
  touch(rows: number): void {
    this.touched += rows;
    if (this.touched < REMAP_AFTER || this.remapScheduled) return;
    this.remapScheduled = true;
    setImmediate(() => {
      this.remapScheduled = false;
      if (this.closed) return;
      this.touched = 0;
      void this.env.close();
      this.map();
    }).unref();
  }

  /** Runs `fn` in a write transaction that also clears the marks `settleSoon` holds. */
  transaction<T>(fn: () => T): T {
    this.touch(1);
    const settling = this.unsettled.size > 0 ? [...this.unsettled.values()] : undefined;
    if (settling) this.unsettled.clear();
    try {
      return this.env.transactionSync(() => {
        // Marks first: `fn` may mark one of these keys again, and its mark must stay.
        if (settling) for (const entry of settling) this.pending.removeSync(entry);
        // A transaction inside another leaves the counts to the outer one.
        if (this.statsHeld) return fn();
        const held = new Map<string, BucketStats>();
        this.statsHeld = held;
        try {
          const out = fn();
          for (const [bucket, stats] of held) this.buckets.putSync(bucket, stats);
          return out;
        } finally {
          this.statsHeld = undefined;
        }
      });
    } catch (err) {
      // The commit did not happen: counts set inside it are not what the store holds, and the
      // marks are still to be cleared.
      this.statsCache.clear();
      if (settling) for (const entry of settling) this.unsettled.set(entry.toString('latin1'), entry);
      throw err;
    }
  }

  stats(bucket: string): BucketStats | undefined {
    const cached = this.statsCache.get(bucket);
    if (cached !== undefined) return { ...cached };
    const stored = this.buckets.get(bucket);
    if (stored !== undefined) this.statsCache.set(bucket, { ...stored });
    return stored;
  }

  /** Inside `transaction`, the counts are written once, as the transaction ends. */
  setStats(bucket: string, stats: BucketStats): void {
    if (this.statsHeld) this.statsHeld.set(bucket, { ...stats });
    else this.buckets.putSync(bucket, stats);
    this.statsCache.set(bucket, { ...stats });
  }

  /**
   * Marks a key whose object file is about to change. Committed before the rename; the index row
   * and the mark's removal are committed together after it. A crash in between leaves the mark, and
   * the next start reads that key's file again (`marked`), so the index never disagrees with the
   * files for more than the keys being written at the moment of a crash.
   */
  intend(entry: Buffer): void {
    if (this.unsettled.size > 0) this.unsettled.delete(entry.toString('latin1'));
    this.touch(1);
    this.pending.putSync(entry, EMPTY);
  }

  settle(entry: Buffer): void {
    if (this.unsettled.size > 0) this.unsettled.delete(entry.toString('latin1'));
    this.pending.removeSync(entry);
  }

  /**
   * Clears a mark later, in the next write transaction (`transaction`), or in a commit of its own
   * when none comes within `SETTLE_AFTER_MS`. A mark left by a crash costs only a re-read of its
   * key at the next start, while a commit of its own per DELETE cost 11-23 µs of a sequential
   * DELETE's time in the server. A new `intend` of the same key before then cancels the clearing,
   * so a later change's mark is never lost.
   */
  settleSoon(entry: Buffer): void {
    this.unsettled.set(entry.toString('latin1'), entry);
    if (this.settleTimer) return;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      this.flush();
    }, SETTLE_AFTER_MS).unref();
  }

  /**
   * Applies `change` in one transaction (its reads see that transaction) with every other change
   * queued in this turn of the event loop (and the marks `settleSoon` holds); resolves once that
   * transaction has committed, rejects if it failed (then none of its changes happened). A commit
   * has a fixed cost (its own transaction, and LMDB rewriting the pages it freed into its
   * freelist) that concurrent DELETEs pay once per turn this way instead of once each. Changes
   * apply in the order they were queued, after every transaction committed before the flush.
   */
  commitShared(change: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.shared.push({ change, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Commits what `commitShared` and `settleSoon` hold; `clear`, `dropBucket` and `close` run it first. */
  private flush(): void {
    this.flushScheduled = false;
    const changes = this.shared;
    if (changes.length > 0) this.shared = [];
    if (this.closed) {
      for (const c of changes) c.reject(new Error('the listing index is closed'));
      return;
    }
    if (this.unsettled.size === 0 && changes.length === 0) return;
    try {
      this.transaction(() => {
        for (const c of changes) c.change();
      });
    } catch (err) {
      for (const c of changes) c.reject(err);
      return;
    }
    for (const c of changes) c.resolve();
  }

  /** Keys marked by `intend` and never settled: each with its bucket. */
  marked(): Array<{ bucket: string; key: string; entry: Buffer }> {
    const out: Array<{ bucket: string; key: string; entry: Buffer }> = [];
    for (const entry of this.pending.getKeys({})) {
      const buf = Buffer.from(entry);
      const at = buf.indexOf(0);
      out.push({
        bucket: buf.subarray(0, Math.max(at, 0)).toString(),
        key: buf.subarray(at + 1).toString(),
        entry: buf,
      });
    }
    return out;
  }

  /** Removes every row of a bucket (it is deleted, or a new bucket takes a name that had leftovers). */
  dropBucket(bucket: string): void {
    this.flush();
    const { start, end } = bucketRange(bucket);
    this.statsCache.delete(bucket);
    this.env.transactionSync(() => {
      for (const db of [this.objects, this.versioned, this.pending])
        for (const key of db.getKeys({ start, end })) db.removeSync(key);
      this.buckets.removeSync(bucket);
    });
  }

  clear(): void {
    this.flush();
    this.statsCache.clear();
    this.env.transactionSync(() => {
      this.objects.clearSync();
      this.versioned.clearSync();
      this.pending.clearSync();
      this.buckets.clearSync();
    });
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    this.closed = true;
    void this.env.close();
  }
}

interface SharedChange {
  change: () => void;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const EMPTY = Buffer.alloc(0);
const utf8 = new TextDecoder();

/**
 * An `objects` value as text, decoded straight from the bytes LMDB hands over. With the `binary`
 * encoding every value read is first copied into a new Buffer (the map's bytes cannot be kept):
 * about a tenth of a 1,000-key listing page's CPU in a profile. The text is all a row needs.
 */
const summaryText = {
  encode: (text: string): Buffer => Buffer.from(text),
  // lmdb may pass its shared read buffer with `length` set to the value's size: decode that much.
  decode: (bytes: Uint8Array): string => utf8.decode(bytes.subarray(0, bytes.length)),
};

/** LMDB's magic number, at the same place in both meta pages (pages 0 and 1, 4 KiB each here). */
const MAGIC = 0xbeefc0de;
const MAGIC_AT = [24, 4096 + 24];

/**
 * LMDB trusts its file: opening one whose meta pages are not LMDB's crashes the process (seen with
 * lmdb 3.5: SIGSEGV). A file that is there but lacks the magic number in both meta pages is
 * refused here instead, so that it is moved aside and rebuilt. Damage deeper in the tree is not
 * detected; a killed process does not cause it (a commit switches meta pages last).
 */
async function checkMetaPages(path: string): Promise<void> {
  const file = await openFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (!file) return;
  try {
    const { size } = await file.stat();
    if (size === 0) return;
    const head = Buffer.alloc(8192);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    if (bytesRead < head.length || MAGIC_AT.some((at) => head.readUInt32LE(at) !== MAGIC))
      throw new Error(`${path} is not an LMDB file`);
  } finally {
    await file.close();
  }
}

/** A bucket's rows: every key from `bucket \0` up to (not including) `bucket \x01`. */
export function bucketRange(bucket: string): { start: Buffer; end: Buffer } {
  return { start: Buffer.from(`${bucket}\0`), end: Buffer.from(`${bucket}\x01`) };
}

/** The first byte string after every string that starts with `bytes` (valid UTF-8 never holds 0xff). */
export function afterPrefix(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  let i = out.length - 1;
  while (i >= 0 && out[i] === 0xff) i--;
  if (i < 0) throw new Error('no successor');
  out[i]! += 1;
  return out.subarray(0, i + 1);
}
