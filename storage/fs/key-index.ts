import { compareUtf8 } from '../utf8-order.js';
import type { ListQuery, ListResult, ObjectSummary } from '../storage.js';

/**
 * A bucket's keys in UTF-8 byte order with what listing shows of each. Listing binary-searches to
 * its start and reads only the page it returns, so page cost does not grow with bucket size.
 */
export class KeyIndex {
  private readonly keys: string[] = [];
  private readonly entries = new Map<string, ObjectSummary>();

  /** Bytes of the current versions, kept as keys come and go (the metrics read it). */
  bytes = 0;

  get size(): number {
    return this.keys.length;
  }

  upsert(summary: ObjectSummary): void {
    const previous = this.entries.get(summary.key);
    this.bytes += summary.size - (previous?.size ?? 0);
    if (!previous) {
      const n = this.keys.length;
      // Keys mostly arrive in order (bulk uploads, sequential names): append without searching.
      if (n === 0 || compareUtf8(this.keys[n - 1]!, summary.key) < 0) this.keys.push(summary.key);
      else this.keys.splice(this.lowerBound(summary.key), 0, summary.key);
    }
    this.entries.set(summary.key, summary);
  }

  remove(key: string): void {
    const previous = this.entries.get(key);
    if (!previous) return;
    this.entries.delete(key);
    this.bytes -= previous.size;
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** Every key that starts with `prefix`, in order. */
  *keysWithPrefix(prefix: string): Generator<string> {
    for (let i = this.lowerBound(prefix); i < this.keys.length && this.keys[i]!.startsWith(prefix); i++) {
      yield this.keys[i]!;
    }
  }

  /** First index whose key is ≥ `key`. */
  private lowerBound(key: string, from = 0): number {
    let lo = from;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareUtf8(this.keys[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index from `from` whose key does not start with `prefix` (such keys are contiguous). */
  private endOfPrefix(prefix: string, from: number): number {
    let lo = from;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]!.startsWith(prefix)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  list(q: ListQuery): ListResult {
    const { prefix, delimiter, after, maxKeys } = q;
    let i = this.lowerBound(prefix);
    if (after !== undefined && compareUtf8(after, prefix) >= 0) {
      i = this.lowerBound(after, i);
      if (this.keys[i] === after) i++;
    }
    const contents: ObjectSummary[] = [];
    const commonPrefixes: string[] = [];
    let lastReturned: string | undefined;
    const n = this.keys.length;
    while (i < n) {
      const key = this.keys[i]!;
      if (!key.startsWith(prefix)) break;
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) {
        const common = key.slice(0, cut + delimiter!.length);
        // A common prefix at or before the marker was returned by an earlier page.
        if (after === undefined || compareUtf8(common, after) > 0) {
          if (contents.length + commonPrefixes.length >= maxKeys) break;
          commonPrefixes.push(common);
          lastReturned = common;
        }
        i = this.endOfPrefix(common, i);
        continue;
      }
      if (contents.length + commonPrefixes.length >= maxKeys) break;
      contents.push(this.entries.get(key)!);
      lastReturned = key;
      i++;
    }
    const isTruncated = maxKeys > 0 && i < n && this.keys[i]!.startsWith(prefix);
    return { contents, commonPrefixes, isTruncated, lastReturned };
  }
}
