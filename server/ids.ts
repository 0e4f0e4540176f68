import { randomBytes } from 'node:crypto';
import { mulberry32 } from '../common/mulberry32.js';

/** Request ids (16 uppercase hex, as in real records) and host ids (base64, like x-amz-id-2). */
export interface IdSource {
  requestId(): string;
  hostId(): string;
}

function seeded(seed: number): (bytes: number) => Buffer {
  const next = mulberry32(seed);
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
