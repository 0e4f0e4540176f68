import { randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { S3Error } from '../../errors/s3-error.js';
import { BodyDigests } from '../checksums.js';
import type { BodyExpectations, Checksums } from '../storage.js';
import type { FileCalls } from './file-calls.js';
import { FileSink } from './file-sink.js';
import { encodeTrailer } from './object-file.js';
import { pipeInto, prematureClose } from './pipe-into.js';

/** S3's single-request upload limit (PutObject and UploadPart). */
const MAX_UPLOAD_BYTES = 5 * 1024 ** 3;

/**
 * A body declared this small is read whole and written with the trailer in one write: a stream
 * pipeline (transform, write stream, their events) costs a 4 KiB PUT more than its bytes do.
 */
const WHOLE_BODY_BYTES = 64 * 1024;

export interface Digests {
  md5: Buffer;
  checksums: Checksums;
  size: number;
}

// The temp dir is emptied at every start and has one writer, so a counter names files uniquely.
let tempCounter = 0;
const tempPrefix = `${process.pid}-${randomBytes(4).toString('hex')}-`;
export const tempPath = (tmpDir: string): string => join(tmpDir, `${tempPrefix}${(tempCounter++).toString(36)}`);

/**
 * Streams a body into a fresh temp file, hashing as it goes, and appends the metadata trailer
 * built from the digests. The caller renames the file into place; on any failure it is removed.
 */
export async function writeBodyFile<M extends object>(
  files: FileCalls,
  tmpDir: string,
  body: Readable,
  expect: BodyExpectations,
  buildMeta: (digests: Digests) => M,
): Promise<{ path: string; meta: M }> {
  const path = tempPath(tmpDir);
  const digests = await BodyDigests.for(expect.checksumAlgorithms);
  const declared = expect.contentLength;
  if (declared !== undefined && declared <= WHOLE_BODY_BYTES) {
    const data = await readWhole(body, declared);
    digests.update(data);
    const d = await digests.finish();
    // The checks come in the order the streamed path makes them.
    if (d.size !== declared) throw new S3Error('IncompleteBody');
    await expect.verify?.(d);
    const meta = buildMeta(d);
    await files.writeNew(path, Buffer.concat([data, encodeTrailer(meta)])).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') await unlink(path).catch(() => undefined);
      throw err;
    });
    return { path, meta };
  }
  let meta: M | undefined;
  const hasher = new Transform({
    transform(chunk: Buffer, _enc, done) {
      digests.update(chunk);
      if (digests.size > MAX_UPLOAD_BYTES) return done(new S3Error('EntityTooLarge'));
      done(null, chunk);
    },
    flush(done) {
      digests
        .finish()
        .then(async (d) => {
          if (expect.contentLength !== undefined && d.size !== expect.contentLength)
            throw new S3Error('IncompleteBody');
          await expect.verify?.(d);
          meta = buildMeta(d);
          done(null, encodeTrailer(meta));
        })
        .catch(done);
    },
  });
  try {
    await pipeInto(body, hasher, new FileSink(path));
  } catch (err) {
    await unlink(path).catch(() => undefined);
    throw err;
  }
  return { path, meta: meta! };
}

/**
 * All of a body declared `declared` bytes long; more than that is IncompleteBody (as the streamed
 * path finds once it has read it all), and a source that fails or closes early rejects as it would.
 */
function readWhole(source: Readable, declared: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (source.destroyed) {
      reject(source.errored ?? prematureClose());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err: Error | undefined, data?: Buffer): void => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', done);
      source.off('close', onClose);
      if (err) {
        source.pause();
        reject(err);
      } else resolve(data!);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > declared) done(new S3Error('IncompleteBody'));
      else chunks.push(chunk);
    };
    const onEnd = (): void => done(undefined, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    const onClose = (): void => {
      if (!source.readableEnded) done(prematureClose());
    };
    source.on('data', onData);
    source.once('end', onEnd);
    source.once('error', done);
    source.once('close', onClose);
  });
}
