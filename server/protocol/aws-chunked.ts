import { Transform, type TransformCallback } from 'node:stream';
import { S3Error } from '../../errors/s3-error.js';

const CRLF = Buffer.from('\r\n');
const MAX_LINE = 8 * 1024;

/**
 * Decodes an `aws-chunked` body (all STREAMING-* payload modes) into the plain payload, as the
 * bytes arrive: `hex-size[;chunk-signature=…]\r\n<data>\r\n` … `0[;…]\r\n` then trailer lines
 * (`x-amz-checksum-crc32:…`) and an empty line. Chunk signatures are not verified.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
export class AwsChunkedDecoder extends Transform {
  readonly trailers = new Map<string, string>();
  private state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  private remaining = 0;
  private pending: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    try {
      while (buf.length > 0 && this.state !== 'done') {
        if (this.state === 'data') {
          const take = Math.min(this.remaining, buf.length);
          this.push(buf.subarray(0, take));
          this.remaining -= take;
          buf = buf.subarray(take);
          if (this.remaining === 0) this.state = 'data-end';
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
    const hex = line.split(';', 1)[0]!.trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) throw new S3Error('InvalidRequest', {}, 'Malformed aws-chunked body');
    this.remaining = parseInt(hex, 16);
    this.state = this.remaining === 0 ? 'trailer' : 'data';
  }

  private onTrailerLine(line: string): void {
    if (line === '') {
      this.state = 'done';
      return;
    }
    const colon = line.indexOf(':');
    if (colon > 0) this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }

  override _flush(done: TransformCallback): void {
    // Some clients end the body right after the trailer lines, without the final empty line.
    if (this.state === 'trailer' && this.pending.length === 0) this.state = 'done';
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
