import { renameSync, unlinkSync, writeFile, writeFileSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';

/**
 * The small file-system calls of writing, reading and deleting an object (creating a small file,
 * renaming it into place, reading a small one whole, unlinking), made synchronously while
 * `alone()` says no other request is in flight, and through libuv's thread pool otherwise.
 *
 * A call through the pool wakes a worker thread and, when it is done, the event loop: with nothing
 * else to do, each wake-up is a context switch in and out. Sequential 4 KiB requests on the
 * benchmarks' 2-core VM (`bench/build-ab.mjs --c 1`, bench/RESULTS.md "Sequential requests") spent
 * 639 µs of CPU per PUT that way (three calls to write the file, one to rename it) against 410 µs
 * direct, 193 µs per DELETE against 166, and 213 µs per GET against 120. With other requests in
 * flight the pool lets them go on while a call waits for the disk, so a slow disk holds up one
 * request rather than the server.
 */
export class FileCalls {
  /** `alone` defaults to never: a store without a server in front always uses the pool. */
  constructor(private readonly alone: () => boolean = () => false) {}

  /** Whether a call made now goes direct; small reads (`openBodyFile`) follow it too. */
  get direct(): boolean {
    return this.alone();
  }

  unlink(path: string): Promise<void> {
    if (!this.alone()) return unlink(path);
    return settle(() => unlinkSync(path));
  }

  rename(from: string, to: string): Promise<void> {
    if (!this.alone()) return rename(from, to);
    return settle(() => renameSync(from, to));
  }

  /** Creates `path`, which must not exist, holding `data`. */
  writeNew(path: string, data: Buffer): Promise<void> {
    if (this.alone()) return settle(() => writeFileSync(path, data, { flag: 'wx' }));
    // The callback form: fs/promises' writeFile opens a FileHandle, which costs more per call.
    return new Promise((resolve, reject) =>
      writeFile(path, data, { flag: 'wx' }, (err) => (err ? reject(err) : resolve())),
    );
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
