import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { S3Error } from '../../../../errors/s3-error.js';
import { AwsChunkedDecoder, isAwsChunked } from '../../../../server/protocol/aws-chunked.js';

const SIG = 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648';

/** STREAMING-AWS4-HMAC-SHA256-PAYLOAD framing (chunk signatures are not checked). */
function signedBody(payload: Buffer, chunkSize: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < payload.length; i += chunkSize) {
    const chunk = payload.subarray(i, i + chunkSize);
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${SIG}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`0;chunk-signature=${SIG}\r\n\r\n`));
  return Buffer.concat(parts);
}

/** STREAMING-UNSIGNED-PAYLOAD-TRAILER framing, as the SDK sends with flexible checksums. */
function unsignedTrailerBody(payload: Buffer, chunkSize: number, trailers: string[]): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < payload.length; i += chunkSize) {
    const chunk = payload.subarray(i, i + chunkSize);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`0\r\n${trailers.map((t) => `${t}\r\n`).join('')}\r\n`));
  return Buffer.concat(parts);
}

async function decode(pieces: Buffer[]): Promise<{ body: Buffer; trailers: Map<string, string> }> {
  const decoder = new AwsChunkedDecoder();
  const out: Buffer[] = [];
  decoder.on('data', (c: Buffer) => out.push(c));
  await pipeline(Readable.from(pieces, { objectMode: false }), decoder);
  return { body: Buffer.concat(out), trailers: decoder.trailers };
}

async function decodeError(pieces: Buffer[]): Promise<unknown> {
  try {
    await decode(pieces);
  } catch (err) {
    return err;
  }
  return undefined;
}

const bytewise = (buf: Buffer): Buffer[] => [...buf].map((b) => Buffer.of(b));

/** Splits at fixed-seed pseudo-random points. */
function randomSplit(buf: Buffer, seed: number): Buffer[] {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; ) {
    const n = 1 + Math.floor(next() * 40);
    out.push(buf.subarray(i, i + n));
    i += n;
  }
  return out;
}

const payload = Buffer.from(Array.from({ length: 300 }, (_, i) => String.fromCharCode(33 + (i % 90))).join(''));

describe('AwsChunkedDecoder', () => {
  it('decodes a signed chunked body in one piece', async () => {
    const { body, trailers } = await decode([signedBody(payload, 64)]);
    expect(body.equals(payload)).toBe(true);
    expect(trailers.size).toBe(0);
  });

  it('the AWS SigV4 streaming example: 65536 + 1024 bytes of "a"', async () => {
    const data = Buffer.alloc(66_560, 'a');
    const framed = signedBody(data, 65_536);
    expect(framed.subarray(0, 6).toString()).toBe('10000;');
    expect(framed.includes(Buffer.from('\r\n400;chunk-signature='))).toBe(true);
    expect((await decode([framed])).body.equals(data)).toBe(true);
  });

  it('decodes unsigned chunks with a checksum trailer', async () => {
    const framed = unsignedTrailerBody(payload, 100, ['x-amz-checksum-crc32:sOO8/Q==']);
    const { body, trailers } = await decode([framed]);
    expect(body.equals(payload)).toBe(true);
    expect([...trailers]).toEqual([['x-amz-checksum-crc32', 'sOO8/Q==']]);
  });

  it('parses several trailers, lower-casing names and trimming values', async () => {
    const framed = unsignedTrailerBody(payload, 300, [
      'X-Amz-Checksum-SHA256: 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= ',
      `x-amz-trailer-signature:${SIG}`,
    ]);
    const { trailers } = await decode([framed]);
    expect(trailers.get('x-amz-checksum-sha256')).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(trailers.get('x-amz-trailer-signature')).toBe(SIG);
  });

  it('fed one byte at a time: same body and trailers', async () => {
    const signed = await decode(bytewise(signedBody(payload, 7)));
    expect(signed.body.equals(payload)).toBe(true);
    const framed = unsignedTrailerBody(payload, 50, ['x-amz-checksum-crc32c:AAAAAA==']);
    const unsigned = await decode(bytewise(framed));
    expect(unsigned.body.equals(payload)).toBe(true);
    expect(unsigned.trailers.get('x-amz-checksum-crc32c')).toBe('AAAAAA==');
  });

  it('split at random points: same result for every split', async () => {
    const framed = unsignedTrailerBody(payload, 33, ['x-amz-checksum-crc32:sOO8/Q==']);
    for (let seed = 1; seed <= 20; seed++) {
      const { body, trailers } = await decode(randomSplit(framed, seed));
      expect(body.equals(payload), `seed ${seed}`).toBe(true);
      expect(trailers.get('x-amz-checksum-crc32')).toBe('sOO8/Q==');
    }
  });

  it('binary payload with CR LF inside the data', async () => {
    const data = Buffer.from('\r\n0\r\n\r\n\x00\xff\r\n', 'latin1');
    expect((await decode(bytewise(signedBody(data, 3)))).body.equals(data)).toBe(true);
  });

  it('an empty payload', async () => {
    const { body } = await decode([Buffer.from(`0;chunk-signature=${SIG}\r\n\r\n`)]);
    expect(body.length).toBe(0);
  });

  it('trailer lines without the final empty line are accepted', async () => {
    const { body, trailers } = await decode([Buffer.from('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n')]);
    expect(body.toString()).toBe('hello');
    expect(trailers.get('x-amz-checksum-crc32')).toBe('NhCmhg==');
  });

  it.each([
    ['cut inside the data', signedBody(payload, 64).subarray(0, 100)],
    ['cut inside a size line', signedBody(payload, 64).subarray(0, 3)],
    ['no final chunk', signedBody(payload, 300).subarray(0, -`0;chunk-signature=${SIG}\r\n\r\n`.length)],
    ['data longer than its size line (no CRLF after the data)', Buffer.from('3\r\nhello\r\n0\r\n\r\n')],
  ])('truncated or malformed: %s → error', async (_name, body) => {
    const err = await decodeError([body]);
    expect(err).toBeInstanceOf(S3Error);
    expect(['IncompleteBody', 'InvalidRequest']).toContain((err as S3Error).code);
  });

  it('a truncated body reports IncompleteBody', async () => {
    expect(((await decodeError([signedBody(payload, 64).subarray(0, 100)])) as S3Error).code).toBe('IncompleteBody');
  });

  it('a size line that is not hex → InvalidRequest', async () => {
    expect(((await decodeError([Buffer.from('zz;chunk-signature=x\r\nabc\r\n')])) as S3Error).code).toBe(
      'InvalidRequest',
    );
  });
});

describe('isAwsChunked', () => {
  it.each([
    [{ 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' }, true],
    [{ 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' }, true],
    [{ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }, true],
    [{ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, false],
    [{ 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }, false],
    [{ 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '5' }, true],
    [{ 'content-encoding': 'gzip, aws-chunked', 'x-amz-decoded-content-length': '5' }, true],
    [{ 'content-encoding': 'aws-chunked' }, false],
    [{ 'content-encoding': 'gzip', 'x-amz-decoded-content-length': '5' }, false],
    [{}, false],
  ])('%j → %s', (headers, expected) => {
    expect(isAwsChunked(headers)).toBe(expected);
  });
});
