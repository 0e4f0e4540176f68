import { createHash, type Hash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { S3Error } from '../../errors/s3-error.js';
import type { BodyExpectations } from '../../storage/storage.js';
import { header, type S3Request } from '../kit/handler.js';
import { AwsChunkedDecoder, isAwsChunked } from './aws-chunked.js';
import { assertChecksumMatches, requestedChecksums } from './checksum-headers.js';

function parseContentMd5(value: string | undefined): Buffer | undefined {
  if (value === undefined) return undefined;
  const digest = /^[A-Za-z0-9+/]*={0,2}$/.test(value) ? Buffer.from(value, 'base64') : Buffer.alloc(0);
  if (digest.length !== 16) throw new S3Error('InvalidDigest', { 'Content-MD5': value });
  return digest;
}

/**
 * The payload of an upload request as a stream, plus what must hold of it once it is all in:
 * declared length, Content-MD5, x-amz-checksum-* in headers or in an aws-chunked trailer.
 */
export function uploadBody(req: S3Request): { body: Readable; expect: BodyExpectations } {
  const h = req.headers;
  const contentLength = header(req, 'content-length');
  if (contentLength === undefined && h['transfer-encoding'] === undefined) throw new S3Error('MissingContentLength');
  const md5 = parseContentMd5(header(req, 'content-md5'));
  const requested = requestedChecksums(h);
  req.continueBody();
  let body: Readable = req.raw;
  let declared = contentLength === undefined ? undefined : Number(contentLength);
  let decoder: AwsChunkedDecoder | undefined;
  if (isAwsChunked(h)) {
    // Checked before any byte is decoded: nothing may fail after the body is wired up but unread.
    const decoded = header(req, 'x-amz-decoded-content-length');
    declared = decoded === undefined ? undefined : Number(decoded);
    if (declared !== undefined && !(Number.isSafeInteger(declared) && declared >= 0))
      throw new S3Error('InvalidArgument', { ArgumentName: 'x-amz-decoded-content-length' });
    decoder = new AwsChunkedDecoder(req.payloadProof?.chunks);
    // A malformed body can fail the decoder before its consumer listens; the consumer still sees
    // the error (the stream is destroyed with it), and the process never sees it uncaught.
    decoder.on('error', () => undefined);
    body = req.raw.pipe(decoder);
    req.raw.on('error', (err) => decoder!.destroy(err));
  }
  // A body whose SHA-256 was signed is hashed on its way to the store and checked before it commits.
  let payloadHash: Hash | undefined;
  const signedHash = req.payloadProof?.sha256Hex;
  if (signedHash !== undefined) {
    const hash = createHash('sha256');
    payloadHash = hash;
    const source = body;
    body = source.pipe(
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      }),
    );
    body.on('error', () => undefined);
    source.on('error', (err) => body.destroy(err));
  }
  return {
    body,
    expect: {
      contentLength: declared,
      checksumAlgorithms: requested.algorithms,
      verify: ({ md5: computedMd5, checksums }) => {
        if (payloadHash) {
          const computed = payloadHash.digest('hex');
          if (computed !== signedHash)
            throw new S3Error('XAmzContentSHA256Mismatch', {
              ClientComputedContentSHA256: signedHash!,
              S3ComputedContentSHA256: computed,
            });
        }
        if (md5 && !md5.equals(computedMd5)) throw new S3Error('BadDigest', { ExpectedDigest: md5.toString('base64') });
        for (const [a, v] of Object.entries(requested.headerValues))
          assertChecksumMatches(a as never, v, checksums[a as keyof typeof checksums]);
        if (requested.trailerAlgorithm && decoder) {
          const name = `x-amz-checksum-${requested.trailerAlgorithm.toLowerCase()}`;
          const value = decoder.trailers.get(name);
          if (value === undefined)
            throw new S3Error('InvalidRequest', {}, `x-amz-trailer ${name} was declared but not sent`);
          assertChecksumMatches(requested.trailerAlgorithm, value, checksums[requested.trailerAlgorithm]);
        }
      },
    },
  };
}
