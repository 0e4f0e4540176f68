import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { S3Error } from '../../errors/s3-error.js';
import { BodyDigests } from '../checksums.js';
import type { BodyExpectations, Checksums } from '../storage.js';
import { encodeTrailer } from './object-file.js';
import { pipeInto } from './pipe-into.js';

/** S3's single-request upload limit (PutObject and UploadPart). */
const MAX_UPLOAD_BYTES = 5 * 1024 ** 3;

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
  tmpDir: string,
  body: Readable,
  expect: BodyExpectations,
  buildMeta: (digests: Digests) => M,
): Promise<{ path: string; meta: M }> {
  const path = tempPath(tmpDir);
  const digests = await BodyDigests.for(expect.checksumAlgorithms);
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
    await pipeInto(body, hasher, createWriteStream(path, { flags: 'wx' }));
  } catch (err) {
    await unlink(path).catch(() => undefined);
    throw err;
  }
  return { path, meta: meta! };
}
