import { type ListQuery, type ListResult, MAX_KEY_BYTES, type ObjectSummary } from '../storage.js';
import { compareUtf8 } from '../utf8-order.js';
import { afterPrefix, bucketRange, type IndexStore } from './index-store.js';

/**
 * One bucket's keys in the index store, in UTF-8 byte order with what listing shows of each. A
 * page seeks to its start and reads only what it returns (and one row more), so its cost does not
 * grow with the bucket; a delimiter's common prefix is skipped with one seek past it.
 */
export class KeyIndex {
  private readonly start: Buffer;
  private readonly end: Buffer;

  constructor(
    private readonly store: IndexStore,
    readonly bucket: string,
  ) {
    ({ start: this.start, end: this.end } = bucketRange(bucket));
  }

  /** The last key asked for and its entry: a DELETE or a PUT asks for the same key's entry two or three times. */
  private lastKey?: string;
  private lastEntry?: Buffer;

  /** `bucket \0 key`; callers never change the bytes. */
  entryOf(key: string): Buffer {
    if (key === this.lastKey) return this.lastEntry!;
    const entry = Buffer.concat([this.start, Buffer.from(key)]);
    this.lastKey = key;
    this.lastEntry = entry;
    return entry;
  }

  private keyOf(entry: Buffer): string {
    return entry.toString('utf8', this.start.length);
  }

  get size(): number {
    return this.store.stats(this.bucket)?.objects ?? 0;
  }

  /** Bytes of the current versions (the metrics read it). */
  get bytes(): number {
    return this.store.stats(this.bucket)?.bytes ?? 0;
  }

  /** The listed size of a key, which is where its object file's trailer starts. */
  bodyLength(key: string): number | undefined {
    const row = this.store.objects.get(this.entryOf(key));
    return row === undefined ? undefined : sizeOf(row);
  }

  has(key: string): boolean {
    return this.store.objects.doesExist(this.entryOf(key));
  }

  isEmpty(): boolean {
    for (const _ of this.store.objects.getKeys({ start: this.start, end: this.end, limit: 1 })) return false;
    return true;
  }

  /** Writes a scanned bucket's rows in one commit; from then on the bucket counts as indexed. */
  load(summaries: ObjectSummary[], versioned: Iterable<string>): void {
    this.store.dropBucket(this.bucket);
    this.store.transaction(() => {
      let bytes = 0;
      for (const s of summaries) {
        this.store.objects.putSync(this.entryOf(s.key), encodeSummary(s));
        bytes += s.size;
      }
      for (const key of versioned) this.store.versioned.putSync(this.entryOf(key), VERSIONED);
      this.store.setStats(this.bucket, { objects: summaries.length, bytes });
    });
    this.store.touch(summaries.length);
  }

  /** Marks a key whose object file is about to change (see `IndexStore.intend`). */
  intend(key: string): void {
    this.store.intend(this.entryOf(key));
  }

  /** Clears the mark of a change that changed nothing. */
  settle(key: string): void {
    this.store.settle(this.entryOf(key));
  }

  upsert(summary: ObjectSummary): void {
    const entry = this.entryOf(summary.key);
    this.store.transaction(() => {
      const previous = this.store.objects.get(entry);
      const stats = this.store.stats(this.bucket) ?? { objects: 0, bytes: 0 };
      if (previous) stats.bytes -= sizeOf(previous);
      else stats.objects++;
      stats.bytes += summary.size;
      this.store.objects.putSync(entry, encodeSummary(summary));
      this.store.setStats(this.bucket, stats);
      this.store.settle(entry);
    });
  }

  remove(key: string): void {
    const entry = this.entryOf(key);
    this.store.transaction(() => {
      this.dropRow(entry);
      this.store.settle(entry);
    });
  }

  /** Inside a transaction: removes a row and takes it off the bucket's counts; returns it. */
  private dropRow(entry: Buffer): string | undefined {
    const previous = this.store.objects.get(entry);
    if (previous !== undefined) this.takeRow(entry, previous);
    return previous;
  }

  /** Inside a transaction: removes the row `row` (just read) and takes it off the bucket's counts. */
  private takeRow(entry: Buffer, row: string): void {
    const stats = this.store.stats(this.bucket) ?? { objects: 1, bytes: 0 };
    this.store.setStats(this.bucket, { objects: stats.objects - 1, bytes: stats.bytes - sizeOf(row) });
    this.store.objects.removeSync(entry);
  }

  /**
   * Before a key's object file is unlinked: when the key is listed, its row goes and the key is
   * marked, in one commit (two commits per DELETE, the mark and then the row, were most of its
   * index cost). Returns the row, for `restore` should the unlink fail; a key not listed needs no
   * commit at all. The caller holds the key's lock, so the row read before the commit is still the
   * row. The mark is cleared by `settleSoon` once the file is gone; a crash before that has the next
   * start read the key again.
   */
  removeMarked(key: string): string | undefined {
    const entry = this.entryOf(key);
    return this.store.transaction(() => this.takeMarked(entry));
  }

  /**
   * `removeMarked` in a commit shared with the other changes of this turn of the event loop
   * (`IndexStore.commitShared`): for a DELETE while other DELETEs are under way.
   */
  async removeMarkedShared(key: string): Promise<string | undefined> {
    const entry = this.entryOf(key);
    let row: string | undefined;
    await this.store.commitShared(() => {
      row = this.takeMarked(entry);
    });
    return row;
  }

  /**
   * Inside a transaction: a listed key's row goes and the key is marked; returns the row. The row
   * is read inside the write transaction on purpose: a read outside one makes lmdb renew its read
   * transaction and arm a timer to reset it, which after every commit (so on every DELETE) cost
   * more than the read and the commit together.
   */
  private takeMarked(entry: Buffer): string | undefined {
    const row = this.store.objects.get(entry);
    if (row === undefined) return undefined;
    this.store.intend(entry);
    this.takeRow(entry, row);
    return row;
  }

  /** Puts back a row `removeMarked` took, when the file it described could not be removed. */
  restore(key: string, row: string): void {
    this.upsert(decodeSummary(key, row));
  }

  /** Clears a mark with the next write transaction (see `IndexStore.settleSoon`). */
  settleSoon(key: string): void {
    this.store.settleSoon(this.entryOf(key));
  }

  /** The key keeps noncurrent versions or a delete marker from now on. */
  markVersioned(key: string): void {
    const entry = this.entryOf(key);
    if (this.store.versioned.get(entry)) return;
    this.store.transaction(() => this.store.versioned.putSync(entry, VERSIONED));
  }

  /** Every key marked by `markVersioned`, read a chunk at a time so no read spans an await. */
  *versionedKeys(): Generator<string> {
    yield* this.chunked(this.start, (from) => {
      const keys = this.rangeKeys(this.store.versioned, from, this.end);
      return { keys, last: keys.length === CHUNK ? keys.at(-1) : undefined };
    });
  }

  /**
   * Keys that may have versions (current objects and versioned keys) under `prefix`, merged in
   * order from the first key ≥ `from`, read a chunk at a time.
   */
  *versionListingKeys(prefix: string, from: string): Generator<string> {
    if (matchesNothing(prefix)) return;
    const end = prefix ? afterPrefix(this.entryOf(prefix)) : this.end;
    yield* this.chunked(this.entryOf(compareUtf8(from, prefix) > 0 ? from : prefix), (start) => {
      const a = this.rangeKeys(this.store.objects, start, end);
      const b = this.rangeKeys(this.store.versioned, start, end);
      // Each list is complete up to its last key when it came back full: merge only up to the
      // smaller of those, and read on from there.
      const lasts = [a, b].filter((r) => r.length === CHUNK).map((r) => r.at(-1)!);
      const last = lasts.sort(Buffer.compare)[0];
      const keys = [...a, ...b]
        .filter((k) => !last || Buffer.compare(k, last) <= 0)
        .sort(Buffer.compare)
        .filter((k, i, all) => i === 0 || !k.equals(all[i - 1]!));
      return { keys, last };
    });
  }

  private rangeKeys(db: IndexStore['objects'] | IndexStore['versioned'], start: Buffer, end: Buffer): Buffer[] {
    const out: Buffer[] = [];
    for (const key of db.getKeys({ start, end, limit: CHUNK })) out.push(Buffer.from(key));
    this.store.touch(out.length);
    return out;
  }

  /** Yields chunks from `read` until one says it was the last (`last` undefined). */
  private *chunked(start: Buffer, read: (from: Buffer) => { keys: Buffer[]; last?: Buffer }): Generator<string> {
    let from = start;
    for (;;) {
      const { keys, last } = read(from);
      for (const entry of keys) yield this.keyOf(entry);
      if (!last) return;
      // Just after `last`: the same bytes with a 0 byte appended.
      from = Buffer.concat([last, ZERO]);
    }
  }

  list(q: ListQuery): ListResult {
    const { prefix, delimiter, after, maxKeys } = q;
    const contents: ObjectSummary[] = [];
    const commonPrefixes: string[] = [];
    let lastReturned: string | undefined;
    let isTruncated = false;
    if (maxKeys <= 0 || matchesNothing(prefix)) return { contents, commonPrefixes, isTruncated, lastReturned };
    const end = prefix ? afterPrefix(this.entryOf(prefix)) : this.end;
    const resumeAfter = after !== undefined && compareUtf8(after, prefix) >= 0 ? after : undefined;
    let start = this.entryOf(resumeAfter ?? prefix);
    let rows = 0;
    scan: for (;;) {
      let skipTo: Buffer | undefined;
      for (const { key: raw, value } of this.store.objects.getRange({ start, end })) {
        rows++;
        const key = this.keyOf(raw);
        if (key === resumeAfter) continue;
        const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
        if (cut >= 0) {
          const common = key.slice(0, cut + delimiter!.length);
          // A common prefix at or before the marker was returned by an earlier page.
          if (resumeAfter === undefined || compareUtf8(common, resumeAfter) > 0) {
            if (contents.length + commonPrefixes.length >= maxKeys) {
              isTruncated = true;
              break scan;
            }
            commonPrefixes.push(common);
            lastReturned = common;
          }
          skipTo = afterPrefix(this.entryOf(common));
          break;
        }
        if (contents.length + commonPrefixes.length >= maxKeys) {
          isTruncated = true;
          break scan;
        }
        contents.push(decodeSummary(key, value));
        lastReturned = key;
      }
      if (!skipTo) break;
      start = skipTo;
    }
    this.store.touch(rows);
    return { contents, commonPrefixes, isTruncated, lastReturned };
  }
}

const CHUNK = 1000;

/**
 * A prefix longer than any key can be. Its range's end would also be longer than LMDB takes as a
 * key (1,978 bytes with 4 KiB pages), where a start of any length is fine.
 */
const matchesNothing = (prefix: string): boolean => Buffer.byteLength(prefix) > MAX_KEY_BYTES;
const ZERO = Buffer.from([0]);
const VERSIONED = Buffer.from([1]);

/** `[size, lastModified, etag, storageClass, ownerId, ownerName]` as JSON: small, and quick to parse. */
export function encodeSummary(s: ObjectSummary): string {
  return JSON.stringify([s.size, s.lastModified, s.etag, s.storageClass, s.owner.id, s.owner.displayName]);
}

/** A row's size, the first number of its JSON array, read without parsing the rest. */
function sizeOf(row: string): number {
  return Number.parseInt(row.slice(1, row.indexOf(',')), 10);
}

export function decodeSummary(key: string, value: string): ObjectSummary {
  const [size, lastModified, etag, storageClass, id, displayName] = JSON.parse(value) as [
    number,
    number,
    string,
    string,
    string,
    string,
  ];
  return { key, size, lastModified, etag, storageClass, owner: { id, displayName } };
}
