import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { access, link, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ByteRange, ObjectMeta } from '../storage.js';
import { tempPath } from './body-writer.js';
import type { Layout } from './layout.js';
import { READ_CHUNK } from './object-file.js';

/**
 * The body of a completed multipart object stays in its part files: CompleteMultipartUpload hard-links
 * the chosen parts into `segments/<id>/` (one link each, whatever their size) and the object file
 * holds no body, only the metadata trailer with `segments: <id>` and the part sizes (`parts`).
 *
 * Ownership: a segment directory belongs to exactly one object-file inode. Noncurrent versions are
 * hard links of that inode, so the directory lives as long as any path of the inode does: whoever
 * removes or replaces the last link (nlink 1) releases the directory afterwards. A crash between the
 * two leaves an unreferenced directory behind (space, never a visible object). A trailer rewrite
 * of an inode that has other links gets a directory of its own (`clone`).
 *
 * Reads pin the directory while they stream, so a delete or overwrite that releases it meanwhile
 * removes it only when the last reader is done (as an open descriptor keeps an unlinked file).
 */
/** An object file's metadata as stored: `segments` names the directory holding its body, if any. */
export type StoredMeta = ObjectMeta & { segments?: string };

export const newSegmentId = (): string => randomBytes(16).toString('hex');

const segmentName = (index: number): string => String(index + 1).padStart(5, '0');

const readAt = (fd: number, buffer: Buffer, position: number): Promise<number> =>
  new Promise((resolve, reject) =>
    fs.read(fd, buffer, 0, buffer.length, position, (err, n) => (err ? reject(err) : resolve(n))),
  );

export class SegmentFiles {
  private readonly pins = new Map<string, number>();
  /** Released while pinned: removed when the last reader lets go. */
  private readonly doomed = new Set<string>();
  /** Being removed: a reader that finds its directory here treats the object as gone. */
  private readonly removing = new Set<string>();

  constructor(
    private readonly layout: Layout,
    private readonly tmpDir: string,
  ) {}

  dir(bucket: string, id: string): string {
    return this.layout.segmentDir(bucket, id);
  }

  /** Links `files` (in body order) into a new segment directory. */
  async link(bucket: string, id: string, files: string[]): Promise<void> {
    const dir = this.dir(bucket, id);
    await mkdir(dir, { recursive: true });
    await Promise.all(files.map((file, i) => link(file, join(dir, segmentName(i)))));
  }

  /** A second directory with the same pieces (hard links), for a new inode of the same body. */
  async clone(bucket: string, id: string, count: number): Promise<string> {
    const copy = newSegmentId();
    const from = this.dir(bucket, id);
    await this.link(
      bucket,
      copy,
      Array.from({ length: count }, (_, i) => join(from, segmentName(i))),
    );
    return copy;
  }

  /** Removes a directory no object file names any more (after the reader pins, if any, are gone). */
  async release(bucket: string, id: string): Promise<void> {
    const name = `${bucket}/${id}`;
    if (this.pins.has(name)) {
      this.doomed.add(name);
      return;
    }
    this.removing.add(name);
    try {
      const away = tempPath(this.tmpDir);
      // Out of sight at once; the removal itself runs on (a crash leaves it in tmp/, emptied at start).
      await rename(this.dir(bucket, id), away).then(
        () => void rm(away, { recursive: true, force: true }).catch(() => undefined),
        (err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        },
      );
    } finally {
      this.removing.delete(name);
    }
  }

  /** Removes a directory of a completion that never committed (no reader can know it). */
  async discard(bucket: string, id: string): Promise<void> {
    await rm(this.dir(bucket, id), { recursive: true, force: true });
  }

  /**
   * Pins a directory for a read; undefined when it is gone or going (the object file that named it
   * was replaced or deleted after the reader opened it: the caller looks again).
   */
  async pin(bucket: string, id: string): Promise<(() => void) | undefined> {
    const name = `${bucket}/${id}`;
    if (this.removing.has(name)) return undefined;
    this.pins.set(name, (this.pins.get(name) ?? 0) + 1);
    let pinned = true;
    const unpin = (): void => {
      if (!pinned) return;
      pinned = false;
      const left = this.pins.get(name)! - 1;
      if (left > 0) {
        this.pins.set(name, left);
        return;
      }
      this.pins.delete(name);
      if (this.doomed.delete(name)) void this.release(bucket, id).catch(() => undefined);
    };
    // Pinned now, so a release from here on waits; one that finished before left no directory.
    const present = await access(this.dir(bucket, id)).then(
      () => true,
      () => false,
    );
    if (present && !this.doomed.has(name)) return unpin;
    unpin();
    return undefined;
  }

  /** Streams bytes [start, end] of the body made of pieces with these sizes. */
  stream(bucket: string, id: string, sizes: number[], range: ByteRange | undefined, done: () => void): Readable {
    const total = sizes.reduce((n, s) => n + s, 0);
    const start = range?.start ?? 0;
    const end = range?.end ?? total - 1;
    return new SegmentReader(this.dir(bucket, id), sizes, start, end, done);
  }
}

/** Reads a byte range across piece files, opening each piece only when the range reaches it. */
class SegmentReader extends Readable {
  private index = 0;
  /** Offset of piece `index` in the body. */
  private base = 0;
  private position: number;
  private fd: number | undefined;

  constructor(
    private readonly dir: string,
    private readonly sizes: number[],
    start: number,
    private readonly end: number,
    private readonly done: () => void,
  ) {
    super({ highWaterMark: READ_CHUNK });
    this.position = start;
    while (this.index < sizes.length && this.base + sizes[this.index]! <= start) this.base += sizes[this.index++]!;
  }

  override _read(): void {
    this.next().then(
      (chunk) => this.push(chunk),
      (err: Error) => this.destroy(err),
    );
  }

  private async next(): Promise<Buffer | null> {
    for (;;) {
      if (this.position > this.end || this.index >= this.sizes.length) return null;
      const size = this.sizes[this.index]!;
      const offset = this.position - this.base;
      if (offset >= size) {
        await this.closeFd();
        this.base += size;
        this.index++;
        continue;
      }
      this.fd ??= await new Promise<number>((resolve, reject) =>
        fs.open(join(this.dir, segmentName(this.index)), 'r', (err, fd) => (err ? reject(err) : resolve(fd))),
      );
      const want = Math.min(READ_CHUNK, size - offset, this.end - this.position + 1);
      const buffer = Buffer.allocUnsafe(want);
      const n = await readAt(this.fd, buffer, offset);
      if (n === 0) throw new Error(`segment ${this.index + 1} in ${this.dir} is shorter than recorded`);
      this.position += n;
      return n < want ? buffer.subarray(0, n) : buffer;
    }
  }

  private async closeFd(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await new Promise<void>((resolve) => fs.close(fd, () => resolve()));
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.closeFd().then(() => {
      this.done();
      callback(err);
    });
  }
}
