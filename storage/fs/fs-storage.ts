import { existsSync, mkdirSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { access, mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { S3Error } from '../../errors/s3-error.js';
import type {
  BodyExpectations,
  BucketConfig,
  BucketConfigKind,
  BucketInfo,
  ChecksumAlgorithm,
  CompletePart,
  DeleteOutcome,
  ListQuery,
  ListResult,
  MultipartUpload,
  NewObject,
  ObjectMeta,
  ObjectSummary,
  OpenedObject,
  PartInfo,
  PreCommitCheck,
  Storage,
  VersionCheck,
  VersionListResult,
  VersionQuery,
} from '../storage.js';
import { NULL_VERSION, UnusableDataDirError } from '../storage.js';
import { writeBodyFile, tempPath } from './body-writer.js';
import { FileCalls } from './file-calls.js';
import { readJsonSync, writeJsonAtomic, writeJsonAtomicSync } from '../../common/atomic-json.js';
import { IndexStore } from './index-store.js';
import { KeyIndex } from './key-index.js';
import { KeyLock } from './key-lock.js';
import { MetaCache } from './meta-cache.js';
import { Layout, LAYOUT_VERSION } from './layout.js';
import { FsMultipart } from './multipart.js';
import { encodeTrailer, openBodyFile, openDataFile, readTrailer, rewriteTrailer, streamBody } from './object-file.js';
import { listVersionPage, newVersionId, VersionFiles, versionIdOf } from './versions.js';
import { scanBucketIndex } from './scan.js';
import { SegmentFiles, type StoredMeta } from './segments.js';

interface BucketState {
  info: BucketInfo;
  config: BucketConfig;
  /** The bucket's listing index, once the index store is open and the bucket is indexed. */
  index?: KeyIndex;
  /** A bucket from before the index store, being scanned into it. */
  loading?: Promise<KeyIndex>;
  /** Object commits in flight: DeleteBucket waits for them before it looks for objects. */
  commits?: number;
  /** Set while DeleteBucket decides: new commits fail NoSuchBucket. */
  deleting?: boolean;
  drained?: () => void;
  /** Commits that land while the index is being scanned, replayed in order after the scan. */
  pending?: Array<(index: KeyIndex) => void>;
  /** Whether the bucket may hold multipart objects kept as segments (unknown until first needed). */
  segmented?: boolean;
}

const summarize = (m: ObjectMeta): ObjectSummary => ({
  key: m.key,
  size: m.size,
  etag: m.etag,
  lastModified: m.lastModified,
  storageClass: m.storageClass,
  owner: m.owner,
});

/** How many entries a directory has; 0 when it does not exist. */
function entriesOf(dir: string): number {
  try {
    return readdirSync(dir).length;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

export interface FsStorageOptions {
  /** True while the calling request is the only one in flight (the server counts them). */
  alone?: () => boolean;
}

export class FsStorage implements Storage {
  readonly layout: Layout;
  private readonly buckets = new Map<string, BucketState>();
  private readonly locks = new KeyLock();
  /** DeleteObject calls under way (deleteObject): more than one share their index commits. */
  private deletesUnderWay = 0;
  private readonly knownDirs = new Set<string>();
  private readonly metas = new MetaCache();
  private readonly multipart: FsMultipart;
  private readonly versions: VersionFiles;
  private readonly segments: SegmentFiles;
  /** Opened at first use, not at start: loading LMDB costs about 30 ms. */
  private opening?: Promise<IndexStore>;
  private store?: IndexStore;

  /** Small file calls, direct while a request is alone in flight (see `FileCalls`). */
  readonly files: FileCalls;

  private constructor(
    readonly root: string,
    options: FsStorageOptions,
  ) {
    this.files = new FileCalls(options.alone);
    this.layout = new Layout(root);
    this.segments = new SegmentFiles(this.layout, this.layout.tmpDir);
    this.multipart = new FsMultipart(this.layout, this, this.segments);
    this.versions = new VersionFiles(this.layout);
  }

  static async open(root: string, options: FsStorageOptions = {}): Promise<FsStorage> {
    const store = new FsStorage(root, options);
    await store.load();
    return store;
  }

  private async load(): Promise<void> {
    // Synchronous until the buckets are read: nothing else runs yet, and each step is a thread-pool
    // round trip otherwise (about a millisecond apiece on a busy 2-core machine).
    const format = readJsonSync<{ layout: number }>(this.layout.formatFile);
    // Layouts 1 and 2 are read as they are and marked 3, so that an older version refuses the
    // directory: it would serve multipart objects with empty bodies (1), or write objects the
    // listing index never hears of (2).
    if (format && format.layout !== LAYOUT_VERSION && format.layout !== 1 && format.layout !== 2) {
      throw new UnusableDataDirError(
        `data directory ${this.root} has layout ${format.layout}; this version reads layout ${LAYOUT_VERSION}`,
      );
    }
    // A directory with files but no format.json is someone else's: never adopt and write into it.
    if (!format && entriesOf(this.root) > 0) {
      throw new UnusableDataDirError(
        `data directory ${this.root} is not empty and is not an s3scribe data directory (no format.json)`,
      );
    }
    mkdirSync(this.root, { recursive: true });
    // Temp files are writes that never committed: a crash mid-upload leaves them, nothing else.
    rmSync(this.layout.tmpDir, { recursive: true, force: true });
    mkdirSync(this.layout.tmpDir, { recursive: true });
    mkdirSync(this.layout.bucketsDir, { recursive: true });
    if (format?.layout !== LAYOUT_VERSION)
      writeJsonAtomicSync(this.layout.formatFile, { layout: LAYOUT_VERSION }, tempPath(this.tmpDir));
    // After a clean stop no completion was cut short: the uploads of every bucket need no look.
    const clean = existsSync(this.layout.stoppedCleanlyFile);
    if (clean) unlinkSync(this.layout.stoppedCleanlyFile);
    // 10,000 buckets start in a fraction of the time synchronously.
    const withUploads: string[] = [];
    for (const name of readdirSync(this.layout.bucketsDir)) {
      if (!Layout.isSafeBucketName(name)) continue;
      const doc = readJsonSync<{ info: BucketInfo; config: BucketConfig }>(this.layout.bucketFile(name));
      if (!doc) continue;
      this.buckets.set(name, { info: doc.info, config: doc.config ?? {} });
      if (!clean && entriesOf(this.layout.uploadsDir(name)) > 0) withUploads.push(name);
    }
    for (const name of withUploads)
      await this.multipart.recover(name, (key, versionId) => this.findVersion(name, key, versionId));
  }

  get tmpDir(): string {
    return this.layout.tmpDir;
  }

  /**
   * The index store, opened once: keys whose change a crash interrupted are read again from their
   * files, and every bucket it has rows for gets its index.
   */
  private ready(): Promise<IndexStore> {
    this.opening ??= (async () => {
      const store = await IndexStore.open(this.layout.indexDir);
      for (const { bucket, key, entry } of store.marked()) {
        if (this.buckets.has(bucket) && store.stats(bucket)) await this.reconcile(new KeyIndex(store, bucket), key);
        store.settle(entry);
      }
      for (const [name, state] of this.buckets) if (store.stats(name)) state.index = new KeyIndex(store, name);
      this.store = store;
      return store;
    })();
    return this.opening;
  }

  /** Makes a key's index rows say what its files say. */
  private async reconcile(index: KeyIndex, key: string): Promise<void> {
    const current = await readTrailer<ObjectMeta>(this.layout.objectFile(index.bucket, key)).catch(() => undefined);
    if (current?.key === key && !current.deleteMarker) index.upsert(summarize(current));
    else index.remove(key);
    if (current?.deleteMarker || (await this.versions.noncurrent(index.bucket, key)).length > 0)
      index.markVersioned(key);
  }

  /**
   * The bucket's index, or none while it is not indexed yet (its files will be scanned). Once the
   * store is open, at once: every object write and DELETE asks.
   */
  private indexOf(state: BucketState): KeyIndex | undefined | Promise<KeyIndex | undefined> {
    if (this.store) return state.index;
    return this.ready().then(() => state.index);
  }

  // ---- buckets -------------------------------------------------------------------------------

  async listBuckets(): Promise<BucketInfo[]> {
    return [...this.buckets.values()].map((b) => b.info).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async getBucket(name: string): Promise<BucketInfo | undefined> {
    return this.buckets.get(name)?.info;
  }

  peekBucket(name: string): { info: BucketInfo; config: BucketConfig } | undefined {
    return this.buckets.get(name);
  }

  bucketUsage(): { bucket: string; objects: number; bytes: number }[] {
    const usage: { bucket: string; objects: number; bytes: number }[] = [];
    for (const [bucket, state] of this.buckets)
      if (state.index) usage.push({ bucket, objects: state.index.size, bytes: state.index.bytes });
    return usage;
  }

  requireBucket(name: string): BucketState {
    const state = this.buckets.get(name);
    if (!state || state.deleting) throw new S3Error('NoSuchBucket', { BucketName: name });
    return state;
  }

  async createBucket(info: BucketInfo): Promise<'created' | 'exists'> {
    if (!Layout.isSafeBucketName(info.name)) throw new S3Error('InvalidBucketName', { BucketName: info.name });
    const store = this.store ?? (await this.ready());
    if (this.buckets.has(info.name)) return 'exists';
    // Rows left by a bucket of that name whose deletion a crash interrupted go first.
    store.dropBucket(info.name);
    store.setStats(info.name, { objects: 0, bytes: 0 });
    const state: BucketState = { info, config: {}, index: new KeyIndex(store, info.name) };
    this.buckets.set(info.name, state);
    await mkdir(this.layout.objectsDir(info.name), { recursive: true });
    await mkdir(this.layout.uploadsDir(info.name), { recursive: true });
    await this.saveBucket(state);
    return 'created';
  }

  private async saveBucket(state: BucketState): Promise<void> {
    const document = { info: state.info, config: state.config };
    await writeJsonAtomic(this.layout.bucketFile(state.info.name), document, tempPath(this.tmpDir));
  }

  /**
   * A PUT racing the delete either lands first (then the bucket is not empty) or finds no bucket:
   * never a 200 for an object that vanished with its bucket.
   */
  async deleteBucket(name: string): Promise<void> {
    const state = this.requireBucket(name);
    state.deleting = true;
    try {
      if (state.commits) await new Promise<void>((resolve) => (state.drained = resolve));
      const index = await this.index(state, name);
      if (!index.isEmpty() || (await this.hasVersions(index)))
        throw new S3Error('BucketNotEmpty', { BucketName: name });
    } catch (err) {
      state.deleting = false;
      throw err;
    }
    this.buckets.delete(name);
    await this.trash(this.layout.bucketDir(name));
    this.store?.dropBucket(name);
  }

  /**
   * Whether a key keeps a noncurrent version or a delete marker: S3 deletes only a bucket with
   * no version at all, so that (Object Lock among others) nothing kept goes with the bucket.
   */
  private async hasVersions(index: KeyIndex): Promise<boolean> {
    const { bucket } = index;
    for (const key of index.versionedKeys()) {
      // Read from disk: currentMeta would see the bucket as already gone (it is being deleted).
      const current = await readTrailer<ObjectMeta>(this.layout.objectFile(bucket, key));
      if (current?.key === key) return true;
      if ((await this.versions.noncurrent(bucket, key)).length > 0) return true;
    }
    return false;
  }

  /** Moves a directory out of sight at once and removes it in the background. */
  private async trash(dir: string): Promise<void> {
    const away = tempPath(this.tmpDir);
    await rename(dir, away);
    for (const d of this.knownDirs) if (d.startsWith(dir)) this.knownDirs.delete(d);
    this.metas.clear();
    void rm(away, { recursive: true, force: true });
  }

  async getBucketConfig<K extends BucketConfigKind>(bucket: string, kind: K): Promise<BucketConfig[K] | undefined> {
    return this.requireBucket(bucket).config[kind];
  }

  async putBucketConfig<K extends BucketConfigKind>(
    bucket: string,
    kind: K,
    value: BucketConfig[K] | undefined,
  ): Promise<void> {
    const state = this.requireBucket(bucket);
    if (value === undefined) delete state.config[kind];
    else state.config[kind] = value;
    await this.saveBucket(state);
  }

  // ---- objects -------------------------------------------------------------------------------

  async putObject(
    bucket: string,
    key: string,
    body: Readable,
    object: NewObject,
    expect: BodyExpectations,
    check?: PreCommitCheck,
  ): Promise<ObjectMeta> {
    const versionId = this.newVersionId(bucket);
    const { path, meta } = await writeBodyFile(
      this.files,
      this.tmpDir,
      body,
      expect,
      // Object.assign, not a spread between properties: V8 takes a slow path for that (~2 µs).
      (d): ObjectMeta =>
        Object.assign({ key, size: d.size, etag: d.md5.toString('hex'), lastModified: Date.now() }, object, {
          storageClass: object.storageClass ?? 'STANDARD',
          checksums: d.checksums,
          checksumType: Object.keys(d.checksums).length > 0 ? ('FULL_OBJECT' as const) : undefined,
          versionId,
          // A copy's metadata comes from its source: its body is here, never the source's segments.
          segments: undefined,
        }) as StoredMeta,
    );
    await this.commitObject(bucket, key, path, meta, check);
    return meta;
  }

  /** Publishes a finished temp file as the object, after the caller's precondition check. */
  async commitObject(
    bucket: string,
    key: string,
    tmp: string,
    meta: ObjectMeta,
    check?: PreCommitCheck,
  ): Promise<void> {
    try {
      await this.locks.run(`${bucket}/${key}`, async () => {
        const state = this.requireBucket(bucket);
        state.commits = (state.commits ?? 0) + 1;
        try {
          if (check) check(await this.headObject(bucket, key));
          const target = this.layout.objectFile(bucket, key);
          await this.ensureDir(dirname(target));
          if (state.config.versioning) await this.keepCurrent(state, bucket, key, target);
          const released = await this.lastSegmentsAt(state, bucket, target);
          (await this.indexOf(state))?.intend(key);
          await this.files.rename(tmp, target);
          if (released) await this.segments.release(bucket, released);
          this.metas.set(bucket, meta);
          this.noteChange(state, (index) => index.upsert(summarize(meta)));
        } finally {
          if (--state.commits === 0) state.drained?.();
        }
      });
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }

  /** The bucket now holds segments (a multipart completion is about to commit). */
  markSegmented(bucket: string): void {
    this.requireBucket(bucket).segmented = true;
  }

  /**
   * The segment directory of the object file at `path` when this path is its last link: the caller
   * is about to unlink or replace the path and releases the directory afterwards.
   */
  private lastSegmentsAt(state: BucketState, bucket: string, path: string): Promise<string | undefined> | undefined {
    // A bucket that never held segments (most) has nothing to release: no look at the file.
    if (state.segmented === false) return undefined;
    return this.readLastSegments(state, bucket, path);
  }

  private async readLastSegments(state: BucketState, bucket: string, path: string): Promise<string | undefined> {
    if (state.segmented === undefined) {
      const found = await access(this.layout.segmentsRoot(bucket)).then(
        () => true,
        () => false,
      );
      state.segmented = state.segmented || found;
    }
    if (!state.segmented) return undefined;
    const file = await openDataFile<StoredMeta>(path).catch(() => undefined);
    if (!file) return undefined;
    await file.close();
    return file.links === 1 ? file.meta.segments : undefined;
  }

  /** Unlinks or replaces the file at `path` (`change`), then releases segments only it named. */
  private async dropping<T>(state: BucketState, bucket: string, path: string, change: () => Promise<T>): Promise<T> {
    const released = await this.lastSegmentsAt(state, bucket, path);
    const result = await change();
    if (released) await this.segments.release(bucket, released);
    return result;
  }

  private removeVersion(state: BucketState, bucket: string, key: string, versionId: string): Promise<boolean> {
    if (!Layout.isVersionId(versionId)) return Promise.resolve(false);
    return this.dropping(state, bucket, this.layout.versionFile(bucket, key, versionId), () =>
      this.versions.remove(bucket, key, versionId),
    );
  }

  private async ensureDir(dir: string): Promise<void> {
    if (this.knownDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.knownDirs.add(dir);
  }

  private noteChange(state: BucketState, change: (index: KeyIndex) => void): void {
    if (state.index) change(state.index);
    else if (state.loading) state.pending!.push(change);
  }

  /** The version id a new object gets in this bucket now: none while versioning was never enabled. */
  newVersionId(bucket: string): string | undefined {
    const mode = this.requireBucket(bucket).config.versioning;
    return mode === 'Enabled' ? newVersionId() : mode === 'Suspended' ? NULL_VERSION : undefined;
  }

  /**
   * Before a new current version replaces the file at `target`: Enabled keeps the old current as a
   * noncurrent version; Suspended keeps it unless it is the `null` version, which the new `null`
   * version replaces (and a noncurrent `null` version goes too).
   */
  private async keepCurrent(state: BucketState, bucket: string, key: string, target: string): Promise<void> {
    const current = await this.currentMeta(bucket, key);
    if (state.config.versioning === 'Suspended') await this.removeVersion(state, bucket, key, NULL_VERSION);
    if (!current) return;
    const id = versionIdOf(current);
    if (state.config.versioning === 'Suspended' && id === NULL_VERSION) return;
    await this.versions.preserve(bucket, key, target, id);
    this.noteVersioned(state, key);
  }

  private noteVersioned(state: BucketState, key: string): void {
    this.noteChange(state, (index) => index.markVersioned(key));
  }

  /** The current version's metadata, delete markers included (cached). */
  private async currentMeta(bucket: string, key: string): Promise<ObjectMeta | undefined> {
    const state = this.requireBucket(bucket);
    const cached = this.metas.get(bucket, key);
    if (cached) return cached;
    const epoch = this.metas.epoch;
    // The index's size of the key says where its file's trailer starts (readTrailer). A start
    // opens the index at the first write or listing; reads that miss the cache open it too.
    if (!this.store) void this.ready().catch(() => undefined);
    const dataLength = this.store ? state.index?.bodyLength(key) : undefined;
    const at = dataLength === undefined ? undefined : { dataLength, files: this.files };
    const meta = await readTrailer<ObjectMeta>(this.layout.objectFile(bucket, key), at);
    if (!meta || meta.key !== key) return undefined;
    this.metas.fill(bucket, meta, epoch);
    return meta;
  }

  async findVersion(bucket: string, key: string, versionId?: string): Promise<ObjectMeta | undefined> {
    const current = await this.currentMeta(bucket, key);
    if (versionId === undefined) return current;
    if (current && versionIdOf(current) === versionId) return current;
    return this.versions.read(bucket, key, versionId);
  }

  async headObject(bucket: string, key: string, versionId?: string): Promise<ObjectMeta | undefined> {
    const meta = await this.findVersion(bucket, key, versionId);
    return meta?.deleteMarker ? undefined : meta;
  }

  async openObject(bucket: string, key: string, versionId?: string): Promise<OpenedObject | undefined> {
    // A multipart object's segments can go between opening its file and pinning them (a delete or
    // overwrite won the race): the next look finds what replaced it.
    for (let attempt = 0; ; attempt++) {
      const opened = await this.openObjectOnce(bucket, key, versionId);
      if (opened !== 'gone') return opened;
      if (attempt === 4) throw new Error(`segments of ${bucket}/${key} are missing`);
    }
  }

  private async openObjectOnce(
    bucket: string,
    key: string,
    versionId: string | undefined,
  ): Promise<OpenedObject | undefined | 'gone'> {
    this.requireBucket(bucket);
    let path = this.layout.objectFile(bucket, key);
    if (versionId !== undefined) {
      const current = await this.currentMeta(bucket, key);
      if (!current || versionIdOf(current) !== versionId) {
        if (!Layout.isVersionId(versionId)) return undefined;
        path = this.layout.versionFile(bucket, key, versionId);
      }
    }
    const file = await openBodyFile<StoredMeta>(path, this.files);
    if (!file) return undefined;
    if (file.meta.key !== key || file.meta.deleteMarker) {
      await file.close();
      return undefined;
    }
    const { meta } = file;
    const id = meta.segments;
    if (id !== undefined) {
      await file.close();
      const unpin = await this.segments.pin(bucket, id);
      if (!unpin) return 'gone';
      return {
        meta,
        body: (range) => this.segments.stream(bucket, id, meta.parts ?? [meta.size], range, unpin),
        close: async () => unpin(),
      };
    }
    return {
      meta: file.meta,
      body: (range) => streamBody(file, range?.start, range?.end),
      whole: file.whole,
      // The body stream closes the handle itself; close() is for paths that never stream.
      close: () => file.close(),
    };
  }

  async deleteObject(bucket: string, key: string, versionId?: string, check?: VersionCheck): Promise<DeleteOutcome> {
    this.deletesUnderWay++;
    try {
      return await this.locks.run(`${bucket}/${key}`, () => this.deleteLocked(bucket, key, versionId, check));
    } finally {
      this.deletesUnderWay--;
    }
  }

  private async deleteLocked(
    bucket: string,
    key: string,
    versionId: string | undefined,
    check: VersionCheck | undefined,
  ): Promise<DeleteOutcome> {
    const state = this.requireBucket(bucket);
    if (versionId !== undefined) return this.deleteVersion(state, bucket, key, versionId, check);
    if (state.config.versioning) return this.writeDeleteMarker(state, bucket, key);
    // The file name is the key's SHA-256, so unlinking it needs no look inside first.
    const path = this.layout.objectFile(bucket, key);
    const index = await this.indexOf(state);
    // In a bucket that never had versioning the index lists exactly the files there are: a key
    // it does not list needs no index change (deleting a missing key is common in test suites).
    // A listed key's row goes, and the key is marked, in one commit before the unlink. With other
    // DELETEs under way that commit is shared with theirs (a DELETE alone commits at once, so
    // a sequential one does not wait a turn of the event loop).
    const row = this.deletesUnderWay > 1 ? await index?.removeMarkedShared(key) : index?.removeMarked(key);
    const listed = row !== undefined;
    let existed: boolean;
    try {
      existed = await this.dropping(state, bucket, path, () =>
        this.files.unlink(path).then(
          () => true,
          (err: NodeJS.ErrnoException) => {
            if (err.code === 'ENOENT') return false;
            throw err;
          },
        ),
      );
    } catch (err) {
      if (row !== undefined) index!.restore(key, row);
      throw err;
    }
    this.metas.delete(bucket, key);
    if (listed) index!.settleSoon(key);
    // The bucket's index is still being built: the change is applied once it is.
    else if (!index && existed) this.noteChange(state, (i) => i.remove(key));
    return {};
  }

  /** A DELETE without a version id in a versioned bucket: the delete marker becomes current. */
  private async writeDeleteMarker(state: BucketState, bucket: string, key: string): Promise<DeleteOutcome> {
    const versionId = state.config.versioning === 'Enabled' ? newVersionId() : NULL_VERSION;
    const current = await this.currentMeta(bucket, key);
    const marker: ObjectMeta = {
      key,
      size: 0,
      etag: '',
      lastModified: Date.now(),
      userMetadata: {},
      checksums: {},
      storageClass: 'STANDARD',
      owner: current?.owner ?? state.info.owner,
      versionId,
      deleteMarker: true,
    };
    const tmp = tempPath(this.tmpDir);
    await writeFile(tmp, encodeTrailer(marker));
    const target = this.layout.objectFile(bucket, key);
    await this.ensureDir(dirname(target));
    await this.keepCurrent(state, bucket, key, target);
    (await this.indexOf(state))?.intend(key);
    await this.dropping(state, bucket, target, () => rename(tmp, target));
    this.metas.set(bucket, marker);
    this.noteChange(state, (index) => index.remove(key));
    this.noteVersioned(state, key);
    return { versionId, deleteMarker: true };
  }

  /** Removes one version; when it was the current one, the newest noncurrent version takes its place. */
  private async deleteVersion(
    state: BucketState,
    bucket: string,
    key: string,
    versionId: string,
    check?: VersionCheck,
  ): Promise<DeleteOutcome> {
    const current = await this.currentMeta(bucket, key);
    if (!current || versionIdOf(current) !== versionId) {
      const meta = await this.versions.read(bucket, key, versionId);
      check?.(meta);
      await this.removeVersion(state, bucket, key, versionId);
      return { versionId, deleteMarker: meta?.deleteMarker };
    }
    check?.(current);
    const target = this.layout.objectFile(bucket, key);
    (await this.indexOf(state))?.intend(key);
    const promoted = await this.dropping(state, bucket, target, async () => {
      const newest = await this.versions.promoteNewest(bucket, key, target);
      if (!newest) await unlink(target).catch(() => undefined);
      return newest;
    });
    this.metas.delete(bucket, key);
    if (promoted) this.metas.set(bucket, promoted);
    this.noteChange(state, (index) => {
      if (promoted && !promoted.deleteMarker) index.upsert(summarize(promoted));
      else index.remove(key);
    });
    return { versionId, deleteMarker: current.deleteMarker };
  }

  async updateObject(
    bucket: string,
    key: string,
    versionId: string | undefined,
    change: Partial<Pick<ObjectMeta, 'acl' | 'tags' | 'retention' | 'legalHold'>>,
    check?: VersionCheck,
  ): Promise<ObjectMeta | undefined> {
    return this.locks.run(`${bucket}/${key}`, async () => {
      const current = await this.currentMeta(bucket, key);
      const isCurrent = versionId === undefined || (current !== undefined && versionIdOf(current) === versionId);
      const target = isCurrent ? current : await this.versions.read(bucket, key, versionId!);
      if (!target || target.deleteMarker) return undefined;
      check?.(target);
      const path = isCurrent ? this.layout.objectFile(bucket, key) : this.layout.versionFile(bucket, key, versionId!);
      const meta = (await rewriteTrailer(path, tempPath(this.tmpDir), async (m: StoredMeta, links) => {
        const next: StoredMeta = { ...m, ...change };
        // The new file is a new inode: it takes over the segments when the old one had no other
        // link, and gets its own links of them when a noncurrent version shares the old one.
        if (m.segments && links > 1) next.segments = await this.segments.clone(bucket, m.segments, m.parts!.length);
        return next;
      })) as ObjectMeta | undefined;
      if (meta && isCurrent) this.metas.set(bucket, meta);
      return meta;
    });
  }

  async listObjectVersions(bucket: string, query: VersionQuery): Promise<VersionListResult> {
    const state = this.requireBucket(bucket);
    const index = await this.index(state, bucket);
    return listVersionPage(index.versionListingKeys(query.prefix, query.keyMarker ?? ''), query, async (key) => {
      const current = await this.currentMeta(bucket, key);
      const older = await this.versions.noncurrent(bucket, key, current);
      return [
        ...(current ? [{ meta: current, isLatest: true }] : []),
        ...older.map((meta) => ({ meta, isLatest: false })),
      ];
    });
  }

  async listObjects(bucket: string, query: ListQuery): Promise<ListResult> {
    const index = await this.index(this.requireBucket(bucket), bucket);
    return index.list(query);
  }

  async isBucketEmpty(bucket: string): Promise<boolean> {
    const index = await this.index(this.requireBucket(bucket), bucket);
    return index.isEmpty();
  }

  /** The listing index; a bucket from before the index store is scanned into it on first use. */
  private async index(state: BucketState, bucket: string): Promise<KeyIndex> {
    if (state.index) return state.index;
    const store = this.store ?? (await this.ready());
    if (state.index) return state.index;
    if (!state.loading) {
      state.pending = [];
      const markers: string[] = [];
      const summarizeLive = (meta: ObjectMeta): ObjectSummary | undefined => {
        if (!meta.deleteMarker) return summarize(meta);
        markers.push(meta.key);
        return undefined;
      };
      state.loading = Promise.all([
        scanBucketIndex(this.layout.objectsDir(bucket), summarizeLive),
        this.versions.keysWithVersions(bucket),
      ]).then(([summaries, versionedKeys]) => {
        const index = new KeyIndex(store, bucket);
        index.load(summaries, [...markers, ...versionedKeys]);
        for (const change of state.pending!) change(index);
        state.index = index;
        state.pending = undefined;
        state.loading = undefined;
        return index;
      });
    }
    return state.loading;
  }

  // ---- multipart -----------------------------------------------------------------------------

  createMultipartUpload(
    bucket: string,
    key: string,
    object: NewObject,
    checksumAlgorithm?: ChecksumAlgorithm,
  ): Promise<MultipartUpload> {
    return this.multipart.create(bucket, key, object, checksumAlgorithm);
  }
  getMultipartUpload(bucket: string, uploadId: string): Promise<MultipartUpload | undefined> {
    return this.multipart.get(bucket, uploadId);
  }
  putPart(
    bucket: string,
    uploadId: string,
    partNumber: number,
    body: Readable,
    expect: BodyExpectations,
  ): Promise<PartInfo> {
    return this.multipart.putPart(bucket, uploadId, partNumber, body, expect);
  }
  listParts(bucket: string, uploadId: string): Promise<PartInfo[]> {
    return this.multipart.listParts(bucket, uploadId);
  }
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: CompletePart[],
    check?: PreCommitCheck,
  ): Promise<ObjectMeta> {
    return this.multipart.complete(bucket, key, uploadId, parts, check);
  }
  abortMultipartUpload(bucket: string, uploadId: string): Promise<void> {
    return this.multipart.abort(bucket, uploadId);
  }
  listMultipartUploads(bucket: string): Promise<MultipartUpload[]> {
    return this.multipart.list(bucket);
  }

  // ---- whole store ---------------------------------------------------------------------------

  async reset(): Promise<void> {
    const names = [...this.buckets.keys()];
    this.buckets.clear();
    for (const name of names) await this.trash(this.layout.bucketDir(name));
    this.store?.clear();
  }

  async close(): Promise<void> {
    // Every write is complete on disk when its promise resolves; nothing is buffered here.
    this.store?.close();
    await this.files.close();
    if (this.multipart.completing === 0) writeFileSync(this.layout.stoppedCleanlyFile, '');
  }
}
