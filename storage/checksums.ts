import { createHash, type Hash } from 'node:crypto';
import type { ChecksumAlgorithm, Checksums } from './storage.js';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

interface Digester {
  update(data: Uint8Array): void;
  digest(): Promise<Uint8Array>;
}

function hashDigester(hash: Hash): Digester {
  return { update: (d) => void hash.update(d), digest: async () => hash.digest() };
}

type CrcModule = typeof import('@aws-sdk/checksums/crc');
let crc: CrcModule | undefined;

/**
 * AWS's own CRC implementations (the SDK validates with the same code), not hand-written ones.
 * Loaded on first use: the module costs ~50 ms at start and many requests carry no CRC.
 */
export async function loadChecksums(): Promise<void> {
  crc ??= await import('@aws-sdk/checksums/crc');
}

function newDigester(algorithm: ChecksumAlgorithm): Digester {
  switch (algorithm) {
    case 'CRC32':
      return new crc!.Crc32();
    case 'CRC32C':
      return new crc!.Crc32c();
    case 'CRC64NVME':
      return new crc!.Crc64Nvme();
    case 'SHA1':
      return hashDigester(createHash('sha1'));
    case 'SHA256':
      return hashDigester(createHash('sha256'));
  }
}

/** MD5 (for the ETag) plus any requested S3 checksums over one stream of bytes. */
export class BodyDigests {
  private readonly md5: Hash | undefined;
  private readonly digesters: [ChecksumAlgorithm, Digester][];
  size = 0;

  private constructor(algorithms: readonly ChecksumAlgorithm[], withMd5: boolean) {
    this.md5 = withMd5 ? createHash('md5') : undefined;
    this.digesters = [...new Set(algorithms)].map((a) => [a, newDigester(a)]);
  }

  /** `withMd5: false` where no ETag is computed from these bytes (multipart assembly). */
  static async for(algorithms: readonly ChecksumAlgorithm[], withMd5 = true): Promise<BodyDigests> {
    if (algorithms.some((a) => a.startsWith('CRC'))) await loadChecksums();
    return new BodyDigests(algorithms, withMd5);
  }

  update(chunk: Buffer): void {
    this.size += chunk.length;
    this.md5?.update(chunk);
    for (const [, d] of this.digesters) d.update(chunk);
  }

  async finish(): Promise<{ md5: Buffer; checksums: Checksums; size: number }> {
    const checksums: Checksums = {};
    for (const [a, d] of this.digesters) checksums[a] = Buffer.from(await d.digest()).toString('base64');
    return { md5: this.md5?.digest() ?? Buffer.alloc(0), checksums, size: this.size };
  }
}

/** Checksum of checksums, as S3 computes a COMPOSITE multipart checksum (before the `-N`). */
export async function checksumOfChecksums(algorithm: ChecksumAlgorithm, partValues: string[]): Promise<string> {
  await loadChecksums();
  const d = newDigester(algorithm);
  for (const v of partValues) d.update(Buffer.from(v, 'base64'));
  return Buffer.from(await d.digest()).toString('base64');
}
