import { hash as digest } from 'node:crypto';
import { join, sep } from 'node:path';
import { isValidBucketName } from '../../common/bucket-name.js';

/**
 * Where things live under the data directory. Object files are named by a hash of the key, so any
 * valid S3 key (1,024 bytes, `..`, `a` beside `a/b`) maps to a fixed-length name that cannot
 * escape its bucket or collide with another key's path.
 */
const UPLOAD_ID = /^[0-9a-f]{32}$/;

/**
 * 2: multipart objects may keep their body as segments (`segments/`).
 * 3: the listing index is kept in `index/`; buckets of layouts 1 and 2 are indexed on first use.
 */
export const LAYOUT_VERSION = 3;

/** Buckets whose directories `dirsOf` keeps at most (a bucket's are checked and joined once). */
const DIR_CACHE_LIMIT = 10_000;

export class Layout {
  private readonly dirs = new Map<string, { objects: string; versions: string }>();

  constructor(readonly root: string) {}

  get formatFile(): string {
    return join(this.root, 'format.json');
  }
  get tmpDir(): string {
    return join(this.root, 'tmp');
  }
  /** Written by a stop with no multipart completion under way; removed at start. */
  get stoppedCleanlyFile(): string {
    return join(this.root, 'stopped-cleanly');
  }
  get indexDir(): string {
    return join(this.root, 'index');
  }
  get bucketsDir(): string {
    return join(this.root, 'buckets');
  }

  /** Names that can be a bucket directory; anything else never reaches the filesystem. */
  static isSafeBucketName(name: string): boolean {
    return isValidBucketName(name);
  }

  static isUploadId(id: string): boolean {
    return UPLOAD_ID.test(id);
  }

  bucketDir(bucket: string): string {
    if (!Layout.isSafeBucketName(bucket)) throw new Error(`unsafe bucket name ${JSON.stringify(bucket)}`);
    return join(this.bucketsDir, bucket);
  }

  bucketFile(bucket: string): string {
    return join(this.bucketDir(bucket), 'bucket.json');
  }
  objectsDir(bucket: string): string {
    return this.dirsOf(bucket).objects;
  }

  /**
   * Every object request names a file here: the bucket's directories are checked and joined once,
   * and the hash (hex) is appended as text (path.join allocated most of a DELETE's garbage).
   */
  objectFile(bucket: string, key: string): string {
    return hashedPath(this.dirsOf(bucket).objects, key);
  }

  versionsRoot(bucket: string): string {
    return this.dirsOf(bucket).versions;
  }

  /** Noncurrent versions of one key live in a directory named like its object file. */
  versionsDir(bucket: string, key: string): string {
    return hashedPath(this.dirsOf(bucket).versions, key);
  }

  private dirsOf(bucket: string): { objects: string; versions: string } {
    let dirs = this.dirs.get(bucket);
    if (dirs === undefined) {
      const dir = this.bucketDir(bucket);
      dirs = { objects: join(dir, 'objects'), versions: join(dir, 'versions') };
      if (this.dirs.size >= DIR_CACHE_LIMIT) this.dirs.clear();
      this.dirs.set(bucket, dirs);
    }
    return dirs;
  }

  /** Version ids name files: only ids s3scribe could have made ever reach the filesystem. */
  static isVersionId(id: string): boolean {
    return /^[0-9A-Za-z._-]{1,64}$/.test(id) && id !== '.' && id !== '..';
  }

  versionFile(bucket: string, key: string, versionId: string): string {
    if (!Layout.isVersionId(versionId)) throw new Error(`unsafe version id ${JSON.stringify(versionId)}`);
    return join(this.versionsDir(bucket, key), versionId);
  }

  uploadsDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'uploads');
  }

  uploadDir(bucket: string, uploadId: string): string {
    if (!Layout.isUploadId(uploadId)) throw new Error(`unsafe upload id ${JSON.stringify(uploadId)}`);
    return join(this.uploadsDir(bucket), uploadId);
  }

  /** Body pieces of multipart objects: one directory per object file that names it. */
  segmentsRoot(bucket: string): string {
    return join(this.bucketDir(bucket), 'segments');
  }

  segmentDir(bucket: string, id: string): string {
    if (!Layout.isUploadId(id)) throw new Error(`unsafe segment id ${JSON.stringify(id)}`);
    return join(this.segmentsRoot(bucket), id);
  }

  partFile(bucket: string, uploadId: string, partNumber: number): string {
    return join(this.uploadDir(bucket, uploadId), `part-${String(partNumber).padStart(5, '0')}`);
  }
}

/** `dir/ab/abcd…`: the SHA-256 of the key in hex, under a directory named by its first byte. */
function hashedPath(dir: string, key: string): string {
  // One-shot hash(): a third of createHash().update().digest()'s cost for a short input.
  const hash = digest('sha256', key);
  return `${dir}${sep}${hash.slice(0, 2)}${sep}${hash}`;
}
