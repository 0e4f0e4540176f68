import { close, open, writev } from 'node:fs';
import { Writable } from 'node:stream';

/** Bytes gathered before one writev(2). */
const BATCH_BYTES = 1024 * 1024;

/**
 * A new file written from a stream in writev(2) calls of about 1 MiB, the chunks kept as they
 * came (no copy). `fs.WriteStream` makes one write per chunk the stream hands it while idle: a
 * request body arrives in chunks of up to 64 KiB, so a 256 MiB upload made about 4,100 round trips
 * through libuv's thread pool, each waking a pool thread and then the event loop; here it makes
 * about 260. The file is created with `wx` (it must not exist) and closed when the stream ends or
 * is destroyed.
 */
export class FileSink extends Writable {
  private fd?: number;
  private held: Buffer[] = [];
  private heldBytes = 0;

  constructor(private readonly path: string) {
    // Chunks are only held, not written, below BATCH_BYTES: accepting them at once is what lets
    // a batch form, while the batch being written holds the rest back.
    super({ highWaterMark: BATCH_BYTES });
  }

  override _construct(callback: (err?: Error | null) => void): void {
    open(this.path, 'wx', (err, fd) => {
      if (!err) this.fd = fd;
      callback(err);
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this._writev([{ chunk }], callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (err?: Error | null) => void): void {
    for (const { chunk } of chunks) this.hold(chunk);
    if (this.heldBytes >= BATCH_BYTES) this.flush(callback);
    else callback();
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.flush(callback);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.held = [];
    if (this.fd === undefined) {
      callback(err);
      return;
    }
    const fd = this.fd;
    this.fd = undefined;
    close(fd, (closeErr) => callback(err ?? closeErr));
  }

  private hold(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.held.push(chunk);
    this.heldBytes += chunk.length;
  }

  /** Writes every held chunk, going on after a short write until all of it is in the file. */
  private flush(callback: (err?: Error | null) => void): void {
    const chunks = this.held;
    this.held = [];
    this.heldBytes = 0;
    const next = (rest: Buffer[]): void => {
      if (rest.length === 0) {
        callback();
        return;
      }
      writev(this.fd!, rest, (err, written) => {
        if (err) return callback(err);
        if (written === 0)
          return callback(Object.assign(new Error(`writev wrote nothing to ${this.path}`), { code: 'EIO' }));
        next(skipWritten(rest, written));
      });
    };
    next(chunks);
  }
}

/** What is left of `chunks` once their first `written` bytes are in the file. */
export function skipWritten(chunks: Buffer[], written: number): Buffer[] {
  let i = 0;
  while (i < chunks.length && written >= chunks[i]!.length) written -= chunks[i++]!.length;
  if (i === chunks.length) return [];
  const rest = chunks.slice(i);
  rest[0] = rest[0]!.subarray(written);
  return rest;
}
