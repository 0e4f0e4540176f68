import { closeSync, openSync, readSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { FileBatch } from './file-batch.js';

/**
 * The small file-system calls of writing, reading and deleting an object (creating a small file,
 * renaming it into place, reading a small one whole or a trailer, unlinking): made synchronously
 * while `alone()` says no other request is in flight, and by the batch worker (`FileBatch`)
 * otherwise.
 *
 * A call through libuv's thread pool wakes a pool thread and, when it is done, the event loop; on
 * the benchmarks' 2-core VM each round trip cost more than the call itself (about 28 µs of CPU per
 * unlink at c=16 against 10-15 made directly). Alone, the call is made directly: sequential 4 KiB
 * requests (`bench/build-ab.mjs --c 1`, bench/RESULTS.md "Sequential requests") spent 639 µs of
 * CPU per PUT through the pool against 410 µs direct, 193 µs per DELETE against 166, and 213 µs
 * per GET against 120. With others in flight, the calls of a turn go to one worker thread in one
 * message: at c=16 (`--kinds PUT,GET,HEAD,DELETE,HEADSWEEP`, bench/RESULTS.md "Small file calls in
 * batches") PUT CPU 0.58, GET 0.47, DELETE 0.79, a HEAD that misses the metadata cache 0.53 of
 * the thread pool's. The event loop never waits for the disk either way but when alone; a slow
 * disk holds up the worker's later batches, as it held up the pool's four threads.
 */
export class FileCalls {
  /** `alone` defaults to never: a store without a server in front always uses the batch worker. */
  constructor(private readonly alone: () => boolean = () => false) {}

  private readonly batch = new FileBatch();

  unlink(path: string): Promise<void> {
    if (!this.alone()) return this.batch.unlink(path);
    return settle(() => unlinkSync(path));
  }

  /** Stops the batch worker, if one was started. */
  close(): Promise<void> {
    return this.batch.close();
  }

  /**
   * Up to `length` bytes of a file from `position` (fewer at its end), in bytes of their own, or
   * undefined when it does not exist: open, read and close, directly or as one call of the batch
   * worker.
   */
  readAt(path: string, position: number, length: number): Promise<Buffer | undefined> {
    if (this.alone()) {
      try {
        return Promise.resolve(readNow(path, position, length));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.batch
      .readAt(path, position, length)
      .catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
  }

  rename(from: string, to: string): Promise<void> {
    if (!this.alone()) return this.batch.rename(from, to);
    return settle(() => renameSync(from, to));
  }

  /** Creates `path`, which must not exist, holding `data`. */
  writeNew(path: string, data: Buffer): Promise<void> {
    if (this.alone()) return settle(() => writeFileSync(path, data, { flag: 'wx' }));
    return this.batch.writeNew(path, data);
  }
}

/** Reused by every direct read: what was read is copied out before the call returns. */
let scratch = Buffer.allocUnsafeSlow(32 * 1024);

function readNow(path: string, position: number, length: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    if (scratch.length < length) scratch = Buffer.allocUnsafeSlow(length);
    const n = readSync(fd, scratch, 0, length, position);
    return Buffer.from(scratch.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

/** A synchronous call's outcome as a promise, so callers handle both paths' errors the same way. */
function settle(call: () => void): Promise<void> {
  try {
    call();
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(err);
  }
}
