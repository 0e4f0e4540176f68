import fs, { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { FileCalls } from './file-calls.js';

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
  const fd = await openOrUndefined(path);
  if (fd === undefined) return undefined;
  const close = closerOf(fd);
  try {
    return await readByStat<M>(path, fd, close);
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * A data file opened to read its body. A file that fits in WHOLE_READ bytes comes back whole from
 * one read at offset 0 (`whole`, its descriptor already closing): a small GET then costs open,
 * read, close (`FileCalls.readAt`: directly, or as one call of the batch worker), where the
 * stat-then-tail path costs two more round trips. A larger file is then opened again to be streamed.
 */
export interface BodyFile<M> extends Omit<OpenedFile<M>, 'links'> {
  whole?: Buffer;
}

const WHOLE_READ = 32 * 1024;

export async function openBodyFile<M>(path: string, files: FileCalls): Promise<BodyFile<M> | undefined> {
  const head = await files.readAt(path, 0, WHOLE_READ);
  if (head === undefined) return undefined;
  if (head.length < WHOLE_READ) return wholeFile<M>(head, path);
  return openDataFile<M>(path);
}

const alreadyClosed = async (): Promise<void> => undefined;

/** A data file read whole into bytes of its own: the body is a view of them. */
function wholeFile<M>(file: Buffer, path: string): BodyFile<M> {
  const { dataLength, jsonLength } = footerOf(file, file.length, path);
  const meta = JSON.parse(file.toString('utf8', dataLength, dataLength + jsonLength)) as M;
  return { fd: -1, meta, dataLength, whole: file.subarray(0, dataLength), close: alreadyClosed };
}

async function openOrUndefined(path: string): Promise<number | undefined> {
  try {
    return await openFd(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Closes the descriptor once, however often it is called. */
function closerOf(fd: number): () => Promise<void> {
  let open = true;
  return async () => {
    if (!open) return;
    open = false;
    await closeFd(fd).catch(() => undefined);
  };
}

/** Lengths of the body and the metadata JSON, from a file's last bytes (`tail`) and its size. */
function footerOf(tail: Buffer, size: number, path: string): { dataLength: number; jsonLength: number } {
  const want = tail.length;
  if (size < FOOTER || !tail.subarray(want - MAGIC.length).equals(MAGIC)) throw new Error(`corrupt data file ${path}`);
  const jsonLength = tail.readUInt32BE(want - FOOTER);
  const dataLength = size - FOOTER - jsonLength;
  if (dataLength < 0) throw new Error(`corrupt data file ${path}`);
  return { dataLength, jsonLength };
}

async function readByStat<M>(path: string, fd: number, close: () => Promise<void>): Promise<OpenedFile<M>> {
  const { size, nlink } = await fstat(fd);
  if (size < FOOTER) throw new Error(`corrupt data file ${path}`);
  // One read usually covers the whole trailer; a second only for very large metadata.
  const want = Math.min(size, TAIL_GUESS);
  const tail = Buffer.allocUnsafe(want);
  await readAt(fd, tail, 0, want, size - want);
  const { dataLength, jsonLength } = footerOf(tail, size, path);
  let json: Buffer;
  if (jsonLength + FOOTER <= want) {
    json = tail.subarray(want - FOOTER - jsonLength, want - FOOTER);
  } else {
    json = Buffer.allocUnsafe(jsonLength);
    await readAt(fd, json, 0, jsonLength, dataLength);
  }
  return { fd, meta: JSON.parse(json.toString('utf8')) as M, dataLength, links: nlink, close };
}

/**
 * A data file's metadata. With `at`, the caller knows the body's length (the listing index keeps
 * each current object's size), which is where the trailer starts: one read from there finds it
 * (`FileCalls.readAt`: open, read and close directly or as one call of the batch worker), where
 * reading by stat costs a stat and a read more. A length that no longer holds (the file was
 * replaced since) fails the footer check (`trailerFrom`), and the file is read by stat after all.
 * Nothing waits for a descriptor's close.
 */
export async function readTrailer<M>(
  path: string,
  at?: { dataLength: number; files: FileCalls },
): Promise<M | undefined> {
  if (at) {
    const tail = await at.files.readAt(path, at.dataLength, WHOLE_READ);
    if (tail === undefined) return undefined;
    const json = trailerFrom(tail, WHOLE_READ);
    if (json !== undefined) return JSON.parse(json) as M;
  }
  const fd = await openOrUndefined(path);
  if (fd === undefined) return undefined;
  const close = closerOf(fd);
  try {
    return (await readByStat<M>(path, fd, close)).meta;
  } finally {
    void close();
  }
}

/**
 * The metadata JSON when `tail`, read from some offset to the end of a data file, is exactly its
 * trailer: the footer at its end gives the JSON's length, and only a read that began where the body
 * ends holds that many bytes and the footer. A read that got all it `asked` for may not have
 * reached the end.
 */
function trailerFrom(tail: Buffer, asked: number): string | undefined {
  const n = tail.length;
  if (n < FOOTER || n >= asked) return undefined;
  if (!tail.subarray(n - MAGIC.length, n).equals(MAGIC)) return undefined;
  const jsonLength = tail.readUInt32BE(n - FOOTER);
  return jsonLength + FOOTER === n ? tail.toString('utf8', 0, jsonLength) : undefined;
}

/**
 * Bytes read from a body file at a time when it is streamed. 1 MiB against 256 KiB: a 1 GiB GET
 * 1.07–1.54 times as fast with 0.68–0.90 of the server CPU over six side-by-side runs, either build
 * on either side, peak RSS +4 MiB (`bench/big-ab.mjs`, bench/RESULTS.md); a read allocates no more
 * than the bytes left, so small objects pay nothing for it.
 */
export const READ_CHUNK = 1024 * 1024;

/** Streams bytes [start, end] of the body; the stream takes over the descriptor and closes it. */
export function streamBody(file: BodyFile<unknown>, start = 0, end = file.dataLength - 1): Readable {
  if (file.whole) return Readable.from([file.whole.subarray(start, end + 1)]);
  if (end < start) {
    // createReadStream cannot express an empty range.
    void file.close();
    return Readable.from([]);
  }
  const stream = fs.createReadStream('', { fd: file.fd, start, end, autoClose: true, highWaterMark: READ_CHUNK });
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
