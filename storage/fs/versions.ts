import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  NULL_VERSION,
  type ObjectMeta,
  type VersionEntry,
  type VersionListResult,
  type VersionQuery,
} from '../storage.js';
import { compareUtf8 } from '../utf8-order.js';
import { Layout } from './layout.js';
import { readTrailer } from './object-file.js';

let counter = 0;

/**
 * A new version id: 32 characters, sortable by creation (time, then a counter), random in the rest.
 * AWS's ids are opaque; sortable ones keep "newest first" cheap.
 */
export function newVersionId(): string {
  counter = (counter + 1) & 0xffff;
  const time = Date.now().toString(16).padStart(12, '0');
  return `${time}${counter.toString(16).padStart(4, '0')}${randomBytes(8).toString('hex')}`;
}

export const versionIdOf = (meta: ObjectMeta): string => meta.versionId ?? NULL_VERSION;

/** Newest first: by time, then by id (ids made here sort by creation). */
const newestFirst = (a: ObjectMeta, b: ObjectMeta): number =>
  b.lastModified - a.lastModified || (versionIdOf(a) < versionIdOf(b) ? 1 : -1);

/**
 * Noncurrent versions of a key: one file each (body + metadata trailer, as the current object),
 * named by version id in `versions/<hash>/`. The current version stays at its usual path, so an
 * unversioned bucket pays nothing for versioning.
 */
export class VersionFiles {
  constructor(private readonly layout: Layout) {}

  /**
   * Keeps the current object file as a noncurrent version. A hard link, so the current path stays
   * whole until the new version replaces it by rename: a crash in between leaves the same version
   * twice, which readers skip (`noncurrent` drops a copy of the current version).
   */
  async preserve(bucket: string, key: string, currentPath: string, versionId: string): Promise<void> {
    const target = this.layout.versionFile(bucket, key, versionId);
    // Linked first and fixed up on failure: a key's directory usually exists already and a new
    // version id is never taken, so a versioned overwrite costs one call here, not three.
    for (let attempt = 0; ; attempt++) {
      try {
        return await link(currentPath, target);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (attempt === 2 || (code !== 'ENOENT' && code !== 'EEXIST')) throw err;
        // EEXIST: the `null` version being replaced. ENOENT: no directory yet for this key's versions.
        if (code === 'EEXIST') await rm(target, { force: true });
        else await mkdir(this.layout.versionsDir(bucket, key), { recursive: true });
      }
    }
  }

  async remove(bucket: string, key: string, versionId: string): Promise<boolean> {
    if (!Layout.isVersionId(versionId)) return false;
    return unlink(this.layout.versionFile(bucket, key, versionId)).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return false;
        throw err;
      },
    );
  }

  async read(bucket: string, key: string, versionId: string): Promise<ObjectMeta | undefined> {
    if (!Layout.isVersionId(versionId)) return undefined;
    const meta = await readTrailer<ObjectMeta>(this.layout.versionFile(bucket, key, versionId));
    return meta && meta.key === key ? meta : undefined;
  }

  /** Noncurrent versions, newest first, without any copy of the current version. */
  async noncurrent(bucket: string, key: string, current?: ObjectMeta): Promise<ObjectMeta[]> {
    const dir = this.layout.versionsDir(bucket, key);
    const names = await readdir(dir).catch(() => [] as string[]);
    const metas: ObjectMeta[] = [];
    for (const name of names) {
      if (!Layout.isVersionId(name) || (current && versionIdOf(current) === name)) continue;
      const meta = await readTrailer<ObjectMeta>(join(dir, name)).catch(() => undefined);
      if (meta && meta.key === key) metas.push(meta);
    }
    return metas.sort(newestFirst);
  }

  /** Makes the newest noncurrent version current (after the current one was deleted). */
  async promoteNewest(bucket: string, key: string, currentPath: string): Promise<ObjectMeta | undefined> {
    const [newest] = await this.noncurrent(bucket, key);
    if (!newest) return undefined;
    await rename(this.layout.versionFile(bucket, key, versionIdOf(newest)), currentPath);
    return newest;
  }

  /** Keys that have noncurrent versions (read once per bucket, when its index is first built). */
  async keysWithVersions(bucket: string): Promise<string[]> {
    const root = this.layout.versionsRoot(bucket);
    const keys: string[] = [];
    for (const shard of await readdir(root).catch(() => [] as string[])) {
      for (const hash of await readdir(join(root, shard)).catch(() => [] as string[])) {
        const dir = join(root, shard, hash);
        for (const name of await readdir(dir).catch(() => [] as string[])) {
          const meta = await readTrailer<ObjectMeta>(join(dir, name)).catch(() => undefined);
          if (meta) {
            keys.push(meta.key);
            break;
          }
        }
      }
    }
    return keys;
  }
}

/**
 * One page of ListObjectVersions over sorted keys: each key's versions newest first, the current
 * one `IsLatest`; markers resume after (key, version id); delimiters roll keys up as ListObjects.
 */
export async function listVersionPage(
  keys: Iterable<string>,
  query: VersionQuery,
  versionsOf: (key: string) => Promise<VersionEntry[]>,
): Promise<VersionListResult> {
  const { prefix, delimiter, keyMarker, versionIdMarker, maxKeys } = query;
  const out: VersionListResult = { versions: [], commonPrefixes: [], isTruncated: false };
  let count = 0;
  let lastPrefix: string | undefined;
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    if (keyMarker && compareUtf8(key, keyMarker) < 0) continue;
    if (keyMarker && key === keyMarker && !versionIdMarker) continue;
    if (delimiter) {
      const at = key.indexOf(delimiter, prefix.length);
      if (at >= 0) {
        const common = key.slice(0, at + delimiter.length);
        if (common === lastPrefix || (keyMarker && compareUtf8(common, keyMarker) <= 0)) continue;
        if (count === maxKeys) {
          out.isTruncated = true;
          return out;
        }
        out.commonPrefixes.push(common);
        lastPrefix = common;
        out.nextKeyMarker = common;
        out.nextVersionIdMarker = undefined;
        count++;
        continue;
      }
    }
    let versions = await versionsOf(key);
    if (keyMarker && key === keyMarker && versionIdMarker) {
      const at = versions.findIndex((v) => versionIdOf(v.meta) === versionIdMarker);
      versions = at < 0 ? [] : versions.slice(at + 1);
    }
    for (const v of versions) {
      if (count === maxKeys) {
        out.isTruncated = true;
        return out;
      }
      out.versions.push(v);
      out.nextKeyMarker = key;
      out.nextVersionIdMarker = versionIdOf(v.meta);
      count++;
    }
  }
  out.nextKeyMarker = undefined;
  out.nextVersionIdMarker = undefined;
  return out;
}
