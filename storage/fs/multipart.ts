import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
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
import { readJson, writeJsonAtomic } from '../../common/atomic-json.js';
import { KeyLock } from './key-lock.js';
import { Layout } from './layout.js';
import { encodeTrailer, readTrailer } from './object-file.js';

/** S3's minimum size for every part but the last. */
const MIN_PART_BYTES = 5 * 1024 * 1024;
const COPY_BLOCK = 4 * 1024 * 1024;

const unquote = (etag: string): string => etag.replace(/^"|"$/g, '');

/** Multipart uploads: an upload directory holding upload.json and one data file per part. */
/** What multipart needs of the object store: a bucket check, its temp dir, and the atomic commit. */
export interface ObjectCommitter {
  readonly tmpDir: string;
  requireBucket(name: string): unknown;
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
    const parts: PartInfo[] = [];
    for (const name of names) {
      const part = await readTrailer<PartInfo>(`${dir}/${name}`);
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
    return this.uploadLocks.run(uploadId, () => this.completeLocked(bucket, key, uploadId, requested, check));
  }

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
    // A multipart ETag is the MD5 of the parts' MD5s: the assembled bytes need no MD5 of their own.
    const digests = await BodyDigests.for(algorithm && fullObject ? [algorithm] : [], false);
    const tmp = tempPath(this.store.tmpDir);
    const out = await open(tmp, 'wx');
    try {
      // Plain reads and writes of large blocks: streams cost several times more per byte here.
      const block = Buffer.allocUnsafe(COPY_BLOCK);
      let position = 0;
      for (const part of parts) {
        const src = await open(this.layout.partFile(bucket, uploadId, part.partNumber), 'r').catch(() => {
          throw new S3Error('InvalidPart', { UploadId: uploadId, PartNumber: part.partNumber });
        });
        try {
          for (let offset = 0; offset < part.size; ) {
            const { bytesRead } = await src.read(block, 0, Math.min(COPY_BLOCK, part.size - offset), offset);
            if (bytesRead === 0) throw new Error(`part file ${part.partNumber} is shorter than recorded`);
            const chunk = block.subarray(0, bytesRead);
            digests.update(chunk);
            await out.write(chunk, 0, bytesRead, position);
            offset += bytesRead;
            position += bytesRead;
          }
        } finally {
          await src.close();
        }
      }
      const checksums: Checksums = {};
      if (algorithm && fullObject) Object.assign(checksums, (await digests.finish()).checksums);
      else if (algorithm && parts.every((p) => p.checksums[algorithm])) {
        const combined = await checksumOfChecksums(
          algorithm,
          parts.map((p) => p.checksums[algorithm]!),
        );
        checksums[algorithm] = `${combined}-${parts.length}`;
      }
      const md5s = createHash('md5');
      for (const p of parts) md5s.update(Buffer.from(p.etag, 'hex'));
      const meta: ObjectMeta = {
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
      };
      await out.write(encodeTrailer(meta), 0, undefined, position);
      await out.close();
      // Written before the commit: a crash between the commit and the cleanup is finished at the
      // next start (recover) instead of leaving the upload listed with its parts.
      const marker = this.completingFile(bucket, uploadId);
      await writeJsonAtomic(marker, meta, tempPath(this.store.tmpDir));
      try {
        await this.store.commitObject(bucket, upload.key, tmp, meta, check);
      } catch (err) {
        await rm(marker, { force: true });
        throw err;
      }
      this.remember(`${bucket}/${uploadId}`, meta);
      await this.removeUpload(bucket, uploadId);
      return meta;
    } catch (err) {
      await out.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw err;
    }
  }

  private completingFile(bucket: string, uploadId: string): string {
    return `${this.layout.uploadDir(bucket, uploadId)}/completing.json`;
  }

  private remember(id: string, meta: ObjectMeta): void {
    if (this.completed.size >= 1000) this.completed.delete(this.completed.keys().next().value!);
    this.completed.set(id, meta);
  }

  /** Renamed away first, so a listing never sees a half-removed upload. */
  private async removeUpload(bucket: string, uploadId: string): Promise<void> {
    const away = tempPath(this.store.tmpDir);
    await rename(this.layout.uploadDir(bucket, uploadId), away);
    await rm(away, { recursive: true, force: true });
  }

  /**
   * Finishes what a crash interrupted: an upload whose completion marker matches the committed
   * object is removed; a marker whose commit never happened is dropped and the upload stays.
   */
  async recover(bucket: string, current: (key: string) => Promise<ObjectMeta | undefined>): Promise<void> {
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
      const object = await current(marker.key);
      if (object && object.etag === marker.etag && object.lastModified === marker.lastModified) {
        await this.removeUpload(bucket, id);
      } else {
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
