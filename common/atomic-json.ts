import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';

/**
 * Writes JSON through a temp file and a rename, so readers see the old document or the new one.
 * `tmp` must be on the same file system as `path` (default: beside it).
 */
export async function writeJsonAtomic(
  path: string,
  value: unknown,
  tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`,
): Promise<void> {
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, path);
}

/** writeJsonAtomic without the event loop, for start-up (see readJsonSync). */
export function writeJsonAtomicSync(path: string, value: unknown, tmp: string): void {
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
}

/** The parsed document, or undefined when the file does not exist. */
export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * readJson without the event loop: for start-up, which reads one small document per bucket before
 * it serves anything, where a synchronous read costs a fraction of an asynchronous one.
 */
export function readJsonSync<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
