import type { ObjectMeta } from '../storage.js';

/**
 * Recently used object metadata, so HEAD needs no disk access. Correct because this process is
 * the data directory's only writer: every commit, delete and ACL change updates it under the
 * key lock, right after the disk changed. Least recently used entries go first.
 */
export class MetaCache {
  private readonly entries = new Map<string, ObjectMeta>();
  /** Bumped by every write; a read that saw a write start after it must not fill the cache. */
  epoch = 0;

  constructor(private readonly limit = 10_000) {}

  get(bucket: string, key: string): ObjectMeta | undefined {
    const id = `${bucket}/${key}`;
    const meta = this.entries.get(id);
    if (meta) {
      this.entries.delete(id);
      this.entries.set(id, meta);
    }
    return meta;
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
    this.entries.delete(id);
    this.entries.set(id, meta);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
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
