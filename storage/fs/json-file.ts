import { readFile, rename, writeFile } from 'node:fs/promises';
import { tempPath } from './body-writer.js';

/** Writes JSON through a temp file and a rename, so readers see the old document or the new one. */
export async function writeJsonAtomic(tmpDir: string, path: string, value: unknown): Promise<void> {
  const tmp = tempPath(tmpDir);
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, path);
}

export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
