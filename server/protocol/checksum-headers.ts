import { S3Error } from '../../errors/s3-error.js';
import { CHECKSUM_ALGORITHMS } from '../../storage/checksums.js';
import type { ChecksumAlgorithm, Checksums } from '../../storage/storage.js';

type Headers = Record<string, string | string[] | undefined>;

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

export const checksumHeaderName = (a: ChecksumAlgorithm): string => `x-amz-checksum-${a.toLowerCase()}`;

export function parseAlgorithm(
  value: string | undefined,
  argument = 'x-amz-sdk-checksum-algorithm',
): ChecksumAlgorithm | undefined {
  if (value === undefined || value === '') return undefined;
  const upper = value.toUpperCase() as ChecksumAlgorithm;
  if (!CHECKSUM_ALGORITHMS.includes(upper)) {
    throw new S3Error(
      'InvalidRequest',
      { ArgumentName: argument },
      'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
    );
  }
  return upper;
}

function validChecksumValue(a: ChecksumAlgorithm, value: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(value) && Buffer.from(value, 'base64').length === DIGEST_BYTES[a];
}

/** Checksums a request asks S3 to verify: values in headers now, or promised in the trailer. */
export interface RequestedChecksums {
  algorithms: ChecksumAlgorithm[];
  headerValues: Checksums;
  trailerAlgorithm?: ChecksumAlgorithm;
}

export function requestedChecksums(h: Headers): RequestedChecksums {
  const headerValues: Checksums = {};
  for (const a of CHECKSUM_ALGORITHMS) {
    const v = h[checksumHeaderName(a)];
    if (typeof v !== 'string') continue;
    if (!validChecksumValue(a, v))
      throw new S3Error('InvalidRequest', {}, `Value for ${checksumHeaderName(a)} header is invalid.`);
    headerValues[a] = v;
  }
  if (Object.keys(headerValues).length > 1)
    throw new S3Error(
      'InvalidRequest',
      {},
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  const trailer = typeof h['x-amz-trailer'] === 'string' ? h['x-amz-trailer'].trim().toLowerCase() : undefined;
  const trailerAlgorithm = trailer?.startsWith('x-amz-checksum-')
    ? parseAlgorithm(trailer.slice('x-amz-checksum-'.length), 'x-amz-trailer')
    : undefined;
  const sdk = parseAlgorithm(
    typeof h['x-amz-sdk-checksum-algorithm'] === 'string' ? h['x-amz-sdk-checksum-algorithm'] : undefined,
  );
  const algorithms = [...(Object.keys(headerValues) as ChecksumAlgorithm[])];
  if (trailerAlgorithm) algorithms.push(trailerAlgorithm);
  if (sdk) algorithms.push(sdk);
  return { algorithms: [...new Set(algorithms)], headerValues, trailerAlgorithm };
}

export function assertChecksumMatches(a: ChecksumAlgorithm, expected: string, computed: string | undefined): void {
  if (expected !== computed)
    throw new S3Error('BadDigest', {}, `The ${a} you specified did not match the calculated checksum.`);
}

/** x-amz-checksum-* response headers (GET/HEAD with ChecksumMode=ENABLED, PUT responses). */
export function checksumResponseHeaders(checksums: Checksums, type?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [a, v] of Object.entries(checksums)) out[checksumHeaderName(a as ChecksumAlgorithm)] = v;
  if (type && Object.keys(out).length > 0) out['x-amz-checksum-type'] = type;
  return out;
}
