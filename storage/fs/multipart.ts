import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { S3Error } from '../../errors/s3-error.js';
import { BodyDigests, checksumOfChecksums } from '../checksums.js';
import type {
  BodyExpectations,
  ChecksumAlgorithm,
  Checksums,
  CompletePart,
  MultipartUpload,
  NewObject,
  ObjectMeta,
  PartInfo,
  PreCommitCheck,
} from '../storage.js';
import { tempPath, writeBodyFile } from './body-writer.js';
import type { FileCalls } from './file-calls.js';
import { readJson, writeJsonAtomic } from '../../common/atomic-json.js';
import { KeyLock } from './key-lock.js';
import { Layout } from './layout.js';
import { canCombine, combineCrcs } from './crc-combine.js';
import { encodeTrailer, readTrailer } from './object-file.js';
import type { SegmentFiles, StoredMeta } from './segments.js';

/** S3's minimum size for every part but the last. */
const MIN_PART_BYTES = 5 * 1024 * 1024;
const COPY_BLOCK = 4 * 1024 * 1024;
const LIST_BATCH = 64;

const unquote = (etag: string): string => etag.replace(/^"|"$/g, '');

/** Multipart uploads: an upload directory holding upload.json and one data file per part. */
/** What multipart needs of the object store: a bucket check, its temp dir, and the atomic commit. */
export interface ObjectCommitter {
  readonly tmpDir: string;
  readonly files: FileCalls;
  requireBucket(name: string): unknown;
  /** Notes that the bucket holds segments, before a completion commits. */
  markSegmented(bucket: string): void;
  /** The version id a new object in the bucket gets now (none while versioning was never enabled). */
  newVersionId(bucket: string): string | undefined;
  commitObject(bucket: string, key: string, tmp: string, meta: ObjectMeta, check?: PreCommitCheck): Promise<void>;
}

export class FsMultipart {
  /** Part commits, completion and abort of one upload run one at a time (a part re-sent during
   * Complete must not change bytes Complete has already matched against their ETag). */
  private readonly uploadLocks = new KeyLock();
  /**
   * Results of recent completions, so a repeated Complete answers like the first (as S3 does) while
   * the upload's files are gone at once. Bounded; a restart forgets them (the retry then gets NoSuchUpload).
   */
  private readonly completed = new Map<string, ObjectMeta>();

  constructor(
    private readonly layout: Layout,
    private readonly store: ObjectCommitter,
    private readonly segments: SegmentFiles,
  ) {}

  async create(
    bucket: string,
    key: string,
    object: NewObject,
    checksumAlgorithm?: ChecksumAlgorithm,
  ): Promise<MultipartUpload> {
    this.store.requireBucket(bucket);
    const upload: MultipartUpload = {
      uploadId: randomBytes(16).toString('hex'),
      key,
      initiated: Date.now(),
      object,
      checksumAlgorithm,
    };
    const dir = this.layout.uploadDir(bucket, upload.uploadId);
    await mkdir(dir, { recursive: true });
    await writeJsonAtomic(`${dir}/upload.json`, upload, tempPath(this.store.tmpDir));
    return upload;
  }

  async get(bucket: string, uploadId: string): Promise<MultipartUpload | undefined> {
    this.store.requireBucket(bucket);
    if (!Layout.isUploadId(uploadId)) return undefined;
    return readJson<MultipartUpload>(`${this.layout.uploadDir(bucket, uploadId)}/upload.json`);
  }

  private async require(bucket: string, uploadId: string): Promise<MultipartUpload> {
    const upload = await this.get(bucket, uploadId);
    if (!upload) throw new S3Error('NoSuchUpload', { UploadId: uploadId });
    return upload;
  }

  async putPart(
    bucket: string,
    uploadId: string,
    partNumber: number,
    body: Readable,
    expect: BodyExpectations,
  ): Promise<PartInfo> {
    await this.require(bucket, uploadId);
    const { path, meta } = await writeBodyFile(
      this.store.files,
      this.store.tmpDir,
      body,
      expect,
      (d): PartInfo => ({
        partNumber,
        size: d.size,
        etag: d.md5.toString('hex'),
        lastModified: Date.now(),
        checksums: d.checksums,
      }),
    );
    await this.uploadLocks.run(uploadId, async () => {
      // The upload may have been completed or aborted while the part streamed in.
      if (!(await this.get(bucket, uploadId))) {
        await rm(path, { force: true });
        throw new S3Error('NoSuchUpload', { UploadId: uploadId });
      }
      await rename(path, this.layout.partFile(bucket, uploadId, partNumber));
    });
    return meta;
  }

  async listParts(bucket: string, uploadId: string): Promise<PartInfo[]> {
    await this.require(bucket, uploadId);
    const dir = this.layout.uploadDir(bucket, uploadId);
    const names = (await readdir(dir)).filter((n) => n.startsWith('part-')).sort();
    // Read in batches: completion reads every part's trailer, and one at a time costs a round trip
    // through the thread pool per part.
    const parts: PartInfo[] = [];
    for (let i = 0; i < names.length; i += LIST_BATCH) {
      const batch = names.slice(i, i + LIST_BATCH);
      for (const part of await Promise.all(batch.map((n) => readTrailer<PartInfo>(`${dir}/${n}`))))
        if (part) parts.push(part);
    }
    return parts;
  }

  complete(
    bucket: string,
    key: string,
    uploadId: string,
    requested: CompletePart[],
    check?: PreCommitCheck,
  ): Promise<ObjectMeta> {
    this.completing++;
    return this.uploadLocks
      .run(uploadId, () => this.completeLocked(bucket, key, uploadId, requested, check))
      .finally(() => this.completing--);
  }

  /** Completions under way: a stop with none leaves nothing for `recover` to finish. */
  completing = 0;

  private async completeLocked(
    bucket: string,
    key: string,
    uploadId: string,
    requested: CompletePart[],
    check?: PreCommitCheck,
  ): Promise<ObjectMeta> {
    this.store.requireBucket(bucket);
    // Completing an upload again answers with the first completion, as S3 does.
    const done = this.completed.get(`${bucket}/${uploadId}`);
    if (done && done.key === key) return done;
    const upload = await this.require(bucket, uploadId);
    if (upload.key !== key) throw new S3Error('NoSuchUpload', { UploadId: uploadId });
    if (requested.length === 0) throw new S3Error('MalformedXML');
    const stored = new Map((await this.listParts(bucket, uploadId)).map((p) => [p.partNumber, p]));
    // A part number listed twice (a part uploaded again) counts once, with its last ETag.
    const wanted = new Map<number, CompletePart>();
    for (let i = 0; i < requested.length; i++) {
      const want = requested[i]!;
      if (i > 0 && want.partNumber < requested[i - 1]!.partNumber)
        throw new S3Error('InvalidPartOrder', { UploadId: uploadId });
      wanted.set(want.partNumber, want);
    }
    const parts: PartInfo[] = [];
    for (const want of wanted.values()) {
      const part = stored.get(want.partNumber);
      if (!part || part.etag !== unquote(want.etag)) {
        throw new S3Error('InvalidPart', { UploadId: uploadId, PartNumber: want.partNumber, ETag: want.etag });
      }
      parts.push(part);
    }
    for (let i = 0; i < parts.length - 1; i++) {
      if (parts[i]!.size < MIN_PART_BYTES) {
        throw new S3Error('EntityTooSmall', {
          ProposedSize: parts[i]!.size,
          MinSizeAllowed: MIN_PART_BYTES,
          PartNumber: parts[i]!.partNumber,
          ETag: parts[i]!.etag,
        });
      }
    }
    const algorithm = upload.checksumAlgorithm;
    const fullObject = upload.object.checksumType === 'FULL_OBJECT';
    const checksums: Checksums = {};
    if (algorithm && parts.every((p) => p.checksums[algorithm])) {
      const values = parts.map((p) => p.checksums[algorithm]!);
      if (!fullObject) {
        // COMPOSITE: the checksum of the parts' checksums, then `-<part count>`.
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity-upload.html#large-object-checksums
        checksums[algorithm] = `${await checksumOfChecksums(algorithm, values)}-${parts.length}`;
      } else if (canCombine(algorithm)) {
        checksums[algorithm] = combineCrcs(
          algorithm,
          parts.map((p, i) => ({ checksum: values[i]!, size: p.size })),
        );
      }
    }
    if (algorithm && fullObject && !checksums[algorithm]) {
      checksums[algorithm] = await this.digestParts(bucket, uploadId, parts, algorithm);
    }
    // The ETag of a multipart object is the MD5 of the parts' binary MD5s, then `-<part count>`.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity-upload.html#large-object-checksums
    const md5s = createHash('md5');
    for (const p of parts) md5s.update(Buffer.from(p.etag, 'hex'));
    // The body stays in the part files: the segment directory is named by the upload id.
    const segments = uploadId;
    const meta: StoredMeta = {
      key: upload.key,
      size: parts.reduce((n, p) => n + p.size, 0),
      etag: `${md5s.digest('hex')}-${parts.length}`,
      lastModified: Date.now(),
      ...upload.object,
      storageClass: upload.object.storageClass ?? 'STANDARD',
      checksums,
      checksumType: algorithm ? (fullObject ? 'FULL_OBJECT' : 'COMPOSITE') : undefined,
      parts: parts.map((p) => p.size),
      versionId: this.store.newVersionId(bucket),
      segments,
    };
    // Written before anything else: a crash between here and the cleanup is finished at the next
    // start (recover): the upload goes if the object committed, else the segments go.
    const marker = this.completingFile(bucket, uploadId);
    await writeJsonAtomic(marker, meta, tempPath(this.store.tmpDir));
    this.store.markSegmented(bucket);
    const tmp = tempPath(this.store.tmpDir);
    try {
      // Left over by an attempt that failed after linking some parts.
      await this.segments.discard(bucket, segments);
      await this.segments
        .link(
          bucket,
          segments,
          parts.map((p) => this.layout.partFile(bucket, uploadId, p.partNumber)),
        )
        .catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') throw new S3Error('InvalidPart', { UploadId: uploadId });
          throw err;
        });
      // The object file: no body, only the trailer naming the segments.
      await writeFile(tmp, encodeTrailer(meta), { flag: 'wx' });
      await this.store.commitObject(bucket, upload.key, tmp, meta, check);
    } catch (err) {
      await rm(tmp, { force: true });
      // Segments first: a crash in between leaves the marker, and recover removes them again.
      await this.segments.discard(bucket, segments);
      await rm(marker, { force: true });
      throw err;
    }
    this.remember(`${bucket}/${uploadId}`, meta);
    await this.removeUpload(bucket, uploadId);
    return meta;
  }

  /** A full-object checksum that cannot be combined from the parts' own: one pass over the parts. */
  private async digestParts(
    bucket: string,
    uploadId: string,
    parts: PartInfo[],
    algorithm: ChecksumAlgorithm,
  ): Promise<string> {
    const digests = await BodyDigests.for([algorithm], false);
    const block = Buffer.allocUnsafe(COPY_BLOCK);
    for (const part of parts) {
      const src = await open(this.layout.partFile(bucket, uploadId, part.partNumber), 'r').catch(() => {
        throw new S3Error('InvalidPart', { UploadId: uploadId, PartNumber: part.partNumber });
      });
      try {
        for (let offset = 0; offset < part.size; ) {
          const { bytesRead } = await src.read(block, 0, Math.min(COPY_BLOCK, part.size - offset), offset);
          if (bytesRead === 0) throw new Error(`part file ${part.partNumber} is shorter than recorded`);
          digests.update(block.subarray(0, bytesRead));
          offset += bytesRead;
        }
      } finally {
        await src.close();
      }
    }
    return (await digests.finish()).checksums[algorithm]!;
  }

  private completingFile(bucket: string, uploadId: string): string {
    return `${this.layout.uploadDir(bucket, uploadId)}/completing.json`;
  }

  private remember(id: string, meta: ObjectMeta): void {
    if (this.completed.size >= 1000) this.completed.delete(this.completed.keys().next().value!);
    this.completed.set(id, meta);
  }

  /**
   * Renamed away first, so a listing never sees a half-removed upload; the removal itself runs on
   * in the background (a crash leaves it in tmp/, which is emptied at start).
   */
  private async removeUpload(bucket: string, uploadId: string): Promise<void> {
    const away = tempPath(this.store.tmpDir);
    await rename(this.layout.uploadDir(bucket, uploadId), away);
    void rm(away, { recursive: true, force: true }).catch(() => undefined);
  }

  /**
   * Finishes what a crash interrupted: an upload whose completion marker matches the committed
   * object is removed; a marker whose commit never happened is dropped with the segments linked
   * for it, and the upload stays.
   */
  async recover(
    bucket: string,
    find: (key: string, versionId: string | undefined) => Promise<ObjectMeta | undefined>,
  ): Promise<void> {
    const ids = await readdir(this.layout.uploadsDir(bucket)).catch(() => [] as string[]);
    for (const id of ids.filter(Layout.isUploadId)) {
      const dir = this.layout.uploadDir(bucket, id);
      // Earlier versions kept `completed.json` alone in the directory of a completed upload.
      if (!(await readJson(`${dir}/upload.json`))) {
        await this.removeUpload(bucket, id);
        continue;
      }
      const marker = await readJson<ObjectMeta>(this.completingFile(bucket, id));
      if (!marker) continue;
      // The completed version, whether still current or kept as noncurrent since.
      const object = await find(marker.key, marker.versionId);
      if (object && object.etag === marker.etag && object.lastModified === marker.lastModified) {
        await this.removeUpload(bucket, id);
      } else {
        await this.segments.discard(bucket, id);
        await rm(this.completingFile(bucket, id), { force: true });
      }
    }
  }

  async abort(bucket: string, uploadId: string): Promise<void> {
    await this.uploadLocks.run(uploadId, async () => {
      await this.require(bucket, uploadId);
      await rm(this.layout.uploadDir(bucket, uploadId), { recursive: true, force: true });
    });
  }

  async list(bucket: string): Promise<MultipartUpload[]> {
    this.store.requireBucket(bucket);
    const uploads: MultipartUpload[] = [];
    let ids: string[] = [];
    try {
      ids = await readdir(this.layout.uploadsDir(bucket));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const id of ids.filter(Layout.isUploadId)) {
      const upload = await readJson<MultipartUpload>(`${this.layout.uploadDir(bucket, id)}/upload.json`);
      if (upload) uploads.push(upload);
    }
    return uploads;
  }
}
