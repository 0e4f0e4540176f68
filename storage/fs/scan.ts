import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readTrailer } from './object-file.js';
import type { ObjectSummary } from '../storage.js';
import { compareUtf8 } from '../utf8-order.js';

const PARALLEL_READS = 32;

/**
 * What a bucket's listing index holds, read from the metadata trailers of its object files
 * (`summarize` may skip one), in key order. Only a data directory from before the index store needs it.
 */
export async function scanBucketIndex<M>(
  objectsDir: string,
  summarize: (meta: M) => ObjectSummary | undefined,
): Promise<ObjectSummary[]> {
  const files: string[] = [];
  let shards: string[];
  try {
    shards = await readdir(objectsDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  for (const shard of shards) {
    for (const name of await readdir(join(objectsDir, shard))) files.push(join(objectsDir, shard, name));
  }
  const summaries: ObjectSummary[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const meta = await readTrailer<M>(files[next++]!).catch(() => undefined);
      const summary = meta && summarize(meta);
      if (summary) summaries.push(summary);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_READS }, worker));
  return summaries.sort((a, b) => compareUtf8(a.key, b.key));
}
