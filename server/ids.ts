import { randomBytes } from 'node:crypto';

/** Request ids (16 uppercase hex, as in real records) and host ids (base64, like x-amz-id-2). */
export interface IdSource {
  requestId(): string;
  hostId(): string;
}

// mulberry32: small, fast, and enough for reproducible ids in golden-file tests.
function seeded(seed: number): (bytes: number) => Buffer {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return (bytes) => {
    const out = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i += 4) {
      const v = next();
      for (let j = 0; j < 4 && i + j < bytes; j++) out[i + j] = (v >>> (j * 8)) & 0xff;
    }
    return out;
  };
}

// One system call per 8 KiB of ids instead of two per request.
function pooled(): (bytes: number) => Buffer {
  let pool = randomBytes(8192);
  let offset = 0;
  return (bytes) => {
    if (offset + bytes > pool.length) {
      pool = randomBytes(8192);
      offset = 0;
    }
    offset += bytes;
    return pool.subarray(offset - bytes, offset);
  };
}

export function createIdSource(seed?: number): IdSource {
  const bytes = seed === undefined ? pooled() : seeded(seed);
  return {
    requestId: () => bytes(8).toString('hex').toUpperCase(),
    hostId: () => bytes(48).toString('base64'),
  };
}
