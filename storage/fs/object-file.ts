import fs, { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

/**
 * An object on disk is one file: the body, then its metadata as JSON, then the JSON's length and a
 * magic tag. One rename publishes body and metadata together, so they can never disagree and a
 * reader sees the old object or the new one, never a mix.
 */
const MAGIC = Buffer.from('S3SCRIB1');
const FOOTER = 4 + MAGIC.length;
const TAIL_GUESS = 4096;

export function encodeTrailer(meta: object): Buffer {
  const json = Buffer.from(JSON.stringify(meta));
  const footer = Buffer.alloc(FOOTER);
  footer.writeUInt32BE(json.length, 0);
  MAGIC.copy(footer, 4);
  return Buffer.concat([json, footer]);
}

export interface OpenedFile<M> {
  fd: number;
  meta: M;
  dataLength: number;
  /** Hard links of the file (paths naming the same inode: the current object and its noncurrent copies). */
  links: number;
  /** Closes the file unless a body stream took it over; safe to call more than once. */
  close(): Promise<void>;
}

// The callback API costs less per call than FileHandle, and GET/HEAD run this on every request.
const openFd = promisify(fs.open);
const fstat = promisify(fs.fstat);
const readAt = promisify(fs.read);
const closeFd = promisify(fs.close);

/** Opens a data file and reads its trailer; undefined when the file does not exist. */
export async function openDataFile<M>(path: string): Promise<OpenedFile<M> | undefined> {
  let fd: number;
  try {
    fd = await openFd(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let open = true;
  const close = async (): Promise<void> => {
    if (!open) return;
    open = false;
    await closeFd(fd).catch(() => undefined);
  };
  try {
    const { size, nlink } = await fstat(fd);
    if (size < FOOTER) throw new Error(`corrupt data file ${path}`);
    // One read usually covers the whole trailer; a second only for very large metadata.
    const want = Math.min(size, TAIL_GUESS);
    const tail = Buffer.allocUnsafe(want);
    await readAt(fd, tail, 0, want, size - want);
    if (!tail.subarray(want - MAGIC.length).equals(MAGIC)) throw new Error(`corrupt data file ${path}`);
    const jsonLength = tail.readUInt32BE(want - FOOTER);
    const dataLength = size - FOOTER - jsonLength;
    if (dataLength < 0) throw new Error(`corrupt data file ${path}`);
    let json: Buffer;
    if (jsonLength + FOOTER <= want) {
      json = tail.subarray(want - FOOTER - jsonLength, want - FOOTER);
    } else {
      json = Buffer.allocUnsafe(jsonLength);
      await readAt(fd, json, 0, jsonLength, dataLength);
    }
    const file: OpenedFile<M> = {
      fd,
      meta: JSON.parse(json.toString('utf8')) as M,
      dataLength,
      links: nlink,
      close,
    };
    return file;
  } catch (err) {
    await close();
    throw err;
  }
}

export async function readTrailer<M>(path: string): Promise<M | undefined> {
  const file = await openDataFile<M>(path);
  if (!file) return undefined;
  await file.close();
  return file.meta;
}

/** Streams bytes [start, end] of the body; the stream takes over the descriptor and closes it. */
export function streamBody(file: OpenedFile<unknown>, start = 0, end = file.dataLength - 1): Readable {
  if (end < start) {
    // createReadStream cannot express an empty range.
    void file.close();
    return Readable.from([]);
  }
  const stream = fs.createReadStream('', { fd: file.fd, start, end, autoClose: true, highWaterMark: 256 * 1024 });
  // From here the stream owns the descriptor: a later close() must not close it a second time.
  file.close = async () => {
    stream.destroy();
  };
  return stream;
}

/** Rewrites a data file with new metadata (same body) through a temp file and a rename. */
export async function rewriteTrailer<M extends object>(
  path: string,
  tmp: string,
  update: (meta: M, links: number) => M | Promise<M>,
): Promise<M | undefined> {
  const file = await openDataFile<M>(path);
  if (!file) return undefined;
  let meta: M;
  try {
    meta = await update(file.meta, file.links);
  } catch (err) {
    await file.close();
    throw err;
  }
  const out = createWriteStream(tmp, { flags: 'wx' });
  try {
    await pipeline(streamBody(file), out, { end: false });
    await new Promise<void>((resolve, reject) =>
      out.end(encodeTrailer(meta), (err?: Error | null) => (err ? reject(err) : resolve())),
    );
    await rename(tmp, path);
  } catch (err) {
    out.destroy();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  return meta;
}
