import { createHash, type Hash, timingSafeEqual } from 'node:crypto';
import { S3Error } from '../../errors/s3-error.js';
import { EMPTY_SHA256, signHex } from './signing-key.js';

/**
 * The chain of signatures of an `aws-chunked` body signed with STREAMING-AWS4-HMAC-SHA256-PAYLOAD
 * (-TRAILER): each chunk's signature covers its data and the previous signature, the first one
 * chaining from the Authorization header's (the seed), so no chunk can be dropped, reordered or
 * altered; with -TRAILER, a last signature covers the trailer lines.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 */
export class ChunkSignatureChain {
  private previous: string;
  private hash: Hash | undefined;
  private claimed = '';

  constructor(
    seedSignature: string,
    private readonly key: Buffer,
    private readonly amzDate: string,
    private readonly scope: string,
    /** The trailer carries x-amz-trailer-signature. */
    readonly signedTrailer: boolean,
  ) {
    this.previous = seedSignature;
  }

  /** A chunk's size line has been read: its `chunk-signature=` extension is what must be matched. */
  beginChunk(extensions: string): void {
    const m = /(?:^|;)\s*chunk-signature=([0-9a-f]{64})\s*$/.exec(extensions);
    if (!m) throw new S3Error('SignatureDoesNotMatch', {}, 'The chunk signature is missing or malformed.');
    this.claimed = m[1]!;
    this.hash = createHash('sha256');
  }

  update(data: Buffer): void {
    this.hash!.update(data);
  }

  /** The chunk's data is all in: its signature must match before any later byte counts. */
  endChunk(): void {
    const dataHash = this.hash!.digest('hex');
    this.hash = undefined;
    const stringToSign = [
      'AWS4-HMAC-SHA256-PAYLOAD',
      this.amzDate,
      this.scope,
      this.previous,
      EMPTY_SHA256,
      dataHash,
    ].join('\n');
    this.previous = this.check(stringToSign, this.claimed);
  }

  /** Trailer lines (lower-cased `name:value`, in order) against x-amz-trailer-signature. */
  endTrailer(trailers: ReadonlyMap<string, string>): void {
    if (!this.signedTrailer) {
      // Nothing signs a trailer on a body signed without one: it was added on the way.
      if (trailers.size > 0)
        throw new S3Error('SignatureDoesNotMatch', {}, 'A trailer was sent on a body signed without one.');
      return;
    }
    const claimed = trailers.get('x-amz-trailer-signature');
    if (!claimed) throw new S3Error('SignatureDoesNotMatch', {}, 'The trailer signature is missing.');
    let canonical = '';
    for (const [name, value] of trailers) if (name !== 'x-amz-trailer-signature') canonical += `${name}:${value}\n`;
    const digest = createHash('sha256').update(canonical).digest('hex');
    const stringToSign = ['AWS4-HMAC-SHA256-TRAILER', this.amzDate, this.scope, this.previous, digest].join('\n');
    this.check(stringToSign, claimed);
  }

  private check(stringToSign: string, claimed: string): string {
    const expected = signHex(this.key, stringToSign);
    const a = Buffer.from(expected, 'hex');
    const b = Buffer.from(claimed, 'hex');
    if (a.length !== b.length || !timingSafeEqual(a, b))
      throw new S3Error('SignatureDoesNotMatch', { StringToSign: stringToSign, SignatureProvided: claimed });
    return expected;
  }
}
