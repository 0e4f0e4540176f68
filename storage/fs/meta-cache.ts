import type { ObjectMeta } from '../storage.js';

/**
 * Recently used object metadata, so HEAD needs no disk access. Correct because this process is
 * the data directory's only writer: every commit, delete and ACL change updates it under the
 * key lock, right after the disk changed. Least recently used entries go first.
 */
export class MetaCache {
  private readonly entries = new Map<string, ObjectMeta>();

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
    const id = `${bucket}/${meta.key}`;
    this.entries.delete(id);
    this.entries.set(id, meta);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(bucket: string, key: string): void {
    this.entries.delete(`${bucket}/${key}`);
  }

  clear(): void {
    this.entries.clear();
  }
}
