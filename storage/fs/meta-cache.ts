import type { ObjectMeta } from '../storage.js';

interface Slot {
  meta: ObjectMeta;
  /** `inserted` when the slot last went to the back of the Map. */
  at: number;
}

/**
 * Recently used object metadata, so HEAD needs no disk access. Correct because this process is
 * the data directory's only writer: every commit, delete and ACL change updates it under the
 * key lock, right after the disk changed. Least recently used entries go first, approximately:
 * a hit moves its entry to the back only once half the cache's capacity has been inserted
 * behind it. Moving costs a Map delete and insert, which was most of a cached HEAD's time in the
 * cache; an entry used more often than that never reaches the front, where eviction happens.
 */
export class MetaCache {
  private readonly entries = new Map<string, Slot>();
  private inserted = 0;
  /** Bumped by every write; a read that saw a write start after it must not fill the cache. */
  epoch = 0;

  constructor(private readonly limit = 10_000) {}

  get(bucket: string, key: string): ObjectMeta | undefined {
    const id = `${bucket}/${key}`;
    const slot = this.entries.get(id);
    if (slot && this.inserted - slot.at > this.limit / 2) this.moveToBack(id, slot);
    return slot?.meta;
  }

  set(bucket: string, meta: ObjectMeta): void {
    this.epoch++;
    this.remember(bucket, meta);
  }

  /** Caches what a read found on disk, unless a write happened since the read began (`epoch`). */
  fill(bucket: string, meta: ObjectMeta, epoch: number): void {
    if (epoch === this.epoch) this.remember(bucket, meta);
  }

  private remember(bucket: string, meta: ObjectMeta): void {
    const id = `${bucket}/${meta.key}`;
    const slot = this.entries.get(id);
    if (slot) {
      slot.meta = meta;
      if (this.inserted - slot.at > this.limit / 2) this.moveToBack(id, slot);
      return;
    }
    this.entries.set(id, { meta, at: ++this.inserted });
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }

  private moveToBack(id: string, slot: Slot): void {
    this.entries.delete(id);
    slot.at = ++this.inserted;
    this.entries.set(id, slot);
  }

  delete(bucket: string, key: string): void {
    this.epoch++;
    this.entries.delete(`${bucket}/${key}`);
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
  }
}
