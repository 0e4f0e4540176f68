import { createHash } from 'node:crypto';

/**
 * S3's checksum algorithms computed independently of the server (which uses @aws-sdk/checksums),
 * as base64 of the big-endian digest, the way x-amz-checksum-* headers carry them.
 */
export type Algorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';
export const ALGORITHMS: readonly Algorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

function crc32Table(reflectedPoly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ reflectedPoly : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

// Reflected polynomials: CRC-32 (ISO-HDLC), CRC-32C (Castagnoli), CRC-64/NVME.
const CRC32 = crc32Table(0xedb88320);
const CRC32C = crc32Table(0x82f63b78);
const CRC64_POLY = 0x9a6c9329ac4bc9b5n;
const CRC64 = Array.from({ length: 256 }, (_, n) => {
  let c = BigInt(n);
  for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ CRC64_POLY : c >> 1n;
  return c;
});

function crc32With(table: Uint32Array, data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = table[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function crc64nvme(data: Uint8Array): bigint {
  const mask = 0xffffffffffffffffn;
  let c = mask;
  for (const byte of data) c = CRC64[Number((c ^ BigInt(byte)) & 0xffn)]! ^ (c >> 8n);
  return (c ^ mask) & mask;
}

export function checksumRaw(algorithm: Algorithm, data: Uint8Array): Buffer {
  switch (algorithm) {
    case 'CRC32': {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(crc32With(CRC32, data));
      return b;
    }
    case 'CRC32C': {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(crc32With(CRC32C, data));
      return b;
    }
    case 'CRC64NVME': {
      const b = Buffer.alloc(8);
      b.writeBigUInt64BE(crc64nvme(data));
      return b;
    }
    case 'SHA1':
      return createHash('sha1').update(data).digest();
    case 'SHA256':
      return createHash('sha256').update(data).digest();
  }
}

export const checksumOf = (algorithm: Algorithm, data: Uint8Array): string =>
  checksumRaw(algorithm, data).toString('base64');

/** An aws-chunked body (unsigned chunks) with the payload cut into `chunkSize` pieces and trailer lines. */
export function awsChunked(payload: Buffer, chunkSize: number, trailers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < payload.length; at += chunkSize) {
    const chunk = payload.subarray(at, at + chunkSize);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n'));
  for (const [name, value] of Object.entries(trailers)) parts.push(Buffer.from(`${name}:${value}\r\n`));
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}
