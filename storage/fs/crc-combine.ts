import type { ChecksumAlgorithm } from '../storage.js';

/**
 * The CRC of a concatenation from the CRCs of its pieces and their lengths (zlib's
 * crc32_combine, generalised to any reflected CRC with all-ones init and final XOR). S3 itself
 * builds a FULL_OBJECT multipart checksum this way ("S3 can calculate the full object checksum
 * from the part checksums, because CRC checksums can be combined"):
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity-upload.html#full-object-checksums
 * So completion needs no pass over the bytes.
 */
interface Crc {
  width: bigint;
  /** The polynomial, bit-reflected. */
  poly: bigint;
  /** x^(2^k) mod poly, k = 0, 1, … (filled on first use). */
  powers?: bigint[];
}

const CRCS: Partial<Record<ChecksumAlgorithm, Crc>> = {
  CRC32: { width: 32n, poly: 0xedb88320n },
  CRC32C: { width: 32n, poly: 0x82f63b78n },
  CRC64NVME: { width: 64n, poly: 0x9a6c9329ac4bc9b5n },
};

export const canCombine = (algorithm: ChecksumAlgorithm): boolean => CRCS[algorithm] !== undefined;

/** a·b mod poly, both in reflected bit order. */
function multiply(crc: Crc, a: bigint, b: bigint): bigint {
  let m = 1n << (crc.width - 1n);
  let p = 0n;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ crc.poly : b >> 1n;
  }
  return p;
}

function powers(crc: Crc): bigint[] {
  if (!crc.powers) {
    // x^1 in reflected order is the second-highest bit; each next entry squares the previous.
    const table = [1n << (crc.width - 2n)];
    for (let k = 1; k < 80; k++) table.push(multiply(crc, table[k - 1]!, table[k - 1]!));
    crc.powers = table;
  }
  return crc.powers;
}

/** x^(8·bytes) mod poly: shifting a CRC over `bytes` zero bytes. */
function shiftFor(crc: Crc, bytes: number): bigint {
  const table = powers(crc);
  let p = 1n << (crc.width - 1n); // x^0
  let n = BigInt(bytes);
  for (let k = 3; n > 0n; k++, n >>= 1n) if (n & 1n) p = multiply(crc, table[k]!, p);
  return p;
}

const fromBase64 = (value: string): bigint => BigInt(`0x${Buffer.from(value, 'base64').toString('hex') || '0'}`);

function toBase64(crc: Crc, value: bigint): string {
  const hex = value.toString(16).padStart(Number(crc.width / 4n), '0');
  return Buffer.from(hex, 'hex').toString('base64');
}

/** The base64 CRC of the concatenated pieces, each given as its base64 CRC and its byte length. */
export function combineCrcs(algorithm: ChecksumAlgorithm, pieces: { checksum: string; size: number }[]): string {
  const crc = CRCS[algorithm];
  if (!crc) throw new Error(`${algorithm} checksums cannot be combined`);
  let value: bigint | undefined;
  for (const piece of pieces) {
    const next = fromBase64(piece.checksum);
    value = value === undefined ? next : multiply(crc, shiftFor(crc, piece.size), value) ^ next;
  }
  return toBase64(crc, value ?? 0n);
}
