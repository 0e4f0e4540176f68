import { Transform, type TransformCallback } from 'node:stream';
import { S3Error } from '../../errors/s3-error.js';

const CRLF = Buffer.from('\r\n');

/** Checks chunk and trailer signatures as the body is decoded (server/signature/chunk-signatures.ts). */
export interface ChunkVerifier {
  /** `extensions`: what follows the size on its line (`;chunk-signature=…`), or ''. */
  beginChunk(extensions: string): void;
  update(data: Buffer): void;
  endChunk(): void;
  endTrailer(trailers: ReadonlyMap<string, string>): void;
}
const MAX_LINE = 8 * 1024;

/**
 * Decodes an `aws-chunked` body (all STREAMING-* payload modes) into the plain payload, as the
 * bytes arrive: `hex-size[;chunk-signature=…]\r\n<data>\r\n` … `0[;…]\r\n` then trailer lines
 * (`x-amz-checksum-crc32:…`) and an empty line. With a verifier (signature checking on), each
 * chunk's signature is checked as its data ends, and the trailer's once it is read.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
export class AwsChunkedDecoder extends Transform {
  readonly trailers = new Map<string, string>();
  private state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  private remaining = 0;
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly verifier?: ChunkVerifier) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    try {
      while (buf.length > 0 && this.state !== 'done') {
        if (this.state === 'data') {
          const take = Math.min(this.remaining, buf.length);
          const data = buf.subarray(0, take);
          this.verifier?.update(data);
          this.remaining -= take;
          buf = buf.subarray(take);
          if (this.remaining === 0) {
            // A chunk whose signature fails never reaches the store.
            this.verifier?.endChunk();
            this.state = 'data-end';
          }
          this.push(data);
          continue;
        }
        if (this.state === 'data-end') {
          if (buf.length < 2) break;
          if (buf[0] !== 0x0d || buf[1] !== 0x0a) throw new S3Error('IncompleteBody');
          buf = buf.subarray(2);
          this.state = 'size';
          continue;
        }
        const eol = buf.indexOf(CRLF);
        if (eol < 0) {
          if (buf.length > MAX_LINE) throw new S3Error('InvalidRequest', {}, 'Malformed aws-chunked body');
          break;
        }
        const line = buf.subarray(0, eol).toString('latin1');
        buf = buf.subarray(eol + 2);
        if (this.state === 'size') this.onSizeLine(line);
        else this.onTrailerLine(line);
      }
    } catch (err) {
      done(err as Error);
      return;
    }
    this.pending = buf.length ? Buffer.from(buf) : this.pending;
    done();
  }

  private onSizeLine(line: string): void {
    const semicolon = line.indexOf(';');
    const hex = (semicolon < 0 ? line : line.slice(0, semicolon)).trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) throw new S3Error('InvalidRequest', {}, 'Malformed aws-chunked body');
    this.remaining = parseInt(hex, 16);
    this.verifier?.beginChunk(semicolon < 0 ? '' : line.slice(semicolon));
    if (this.remaining === 0) this.verifier?.endChunk();
    this.state = this.remaining === 0 ? 'trailer' : 'data';
  }

  private onTrailerLine(line: string): void {
    if (line === '') {
      this.verifier?.endTrailer(this.trailers);
      this.state = 'done';
      return;
    }
    const colon = line.indexOf(':');
    if (colon > 0) this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }

  override _flush(done: TransformCallback): void {
    // Some clients end the body right after the trailer lines, without the final empty line.
    if (this.state === 'trailer' && this.pending.length === 0) {
      try {
        this.verifier?.endTrailer(this.trailers);
      } catch (err) {
        done(err as Error);
        return;
      }
      this.state = 'done';
    }
    done(this.state === 'done' ? null : new S3Error('IncompleteBody'));
  }
}

/**
 * The body is chunk-framed when the payload hash says STREAMING-*, or when Content-Encoding names
 * aws-chunked together with a decoded length. `Content-Encoding: aws-chunked` alone on a plain body
 * is only a label S3 strips from the stored encoding.
 */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const sha = headers['x-amz-content-sha256'];
  if (typeof sha === 'string') return sha.startsWith('STREAMING-');
  const enc = headers['content-encoding'];
  return (
    headers['x-amz-decoded-content-length'] !== undefined &&
    typeof enc === 'string' &&
    enc.split(',').some((t) => t.trim() === 'aws-chunked')
  );
}
