import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BodyDigests } from '../../../../storage/checksums.js';
import { combineCrcs } from '../../../../storage/fs/crc-combine.js';

async function crcOf(algorithm: 'CRC32' | 'CRC32C' | 'CRC64NVME', bytes: Buffer): Promise<string> {
  const d = await BodyDigests.for([algorithm], false);
  d.update(bytes);
  return (await d.finish()).checksums[algorithm]!;
}

describe('combineCrcs: the CRC of a concatenation from the pieces’ CRCs', () => {
  for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME'] as const) {
    it(`${algorithm} equals the CRC computed over all bytes`, async () => {
      const pieces = [randomBytes(1000), randomBytes(1), randomBytes(70_001), Buffer.alloc(0), randomBytes(5)];
      const each = await Promise.all(
        pieces.map(async (p) => ({ checksum: await crcOf(algorithm, p), size: p.length })),
      );
      expect(combineCrcs(algorithm, each)).toBe(await crcOf(algorithm, Buffer.concat(pieces)));
      expect(combineCrcs(algorithm, each.slice(0, 1))).toBe(each[0]!.checksum);
    });
  }
});
