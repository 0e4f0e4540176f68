import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileBatch } from '../../../../storage/fs/file-batch.js';

let dir: string;
const batch = new FileBatch();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3scribe-file-batch-'));
});
afterAll(async () => {
  await batch.close();
  await rm(dir, { recursive: true, force: true });
});

describe('FileBatch', () => {
  it('settles every call made in one turn with its own outcome', async () => {
    const paths = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const path = join(dir, `f${i}`);
        await writeFile(path, `content of ${i}`);
        return path;
      }),
    );
    const reads = paths.map((p, i) => batch.readAt(p, 11, 100).then((b) => [i, b.toString()]));
    const missing = batch.readAt(join(dir, 'nope'), 0, 10).catch((e: NodeJS.ErrnoException) => e.code);
    expect(await Promise.all(reads)).toEqual(paths.map((_, i) => [i, String(i)]));
    expect(await missing).toBe('ENOENT');
    await Promise.all(paths.map((p) => batch.unlink(p)));
    expect(paths.filter((p) => existsSync(p))).toEqual([]);
  });

  it('rejects with the error the file system gave, code and syscall included', async () => {
    const sub = join(dir, 'a-directory');
    await mkdir(sub);
    await expect(batch.unlink(join(dir, 'never-was'))).rejects.toMatchObject({ code: 'ENOENT', syscall: 'unlink' });
    await expect(batch.readAt(sub, 0, 10)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('reads fewer bytes at the end of a file, none past it, and up to the length asked', async () => {
    const path = join(dir, 'ten');
    await writeFile(path, '0123456789');
    expect((await batch.readAt(path, 6, 100)).toString()).toBe('6789');
    expect((await batch.readAt(path, 50, 100)).length).toBe(0);
    expect((await batch.readAt(path, 0, 40_000)).toString()).toBe('0123456789');
    expect((await batch.readAt(path, 2, 3)).toString()).toBe('234');
  });

  it('keeps a process alive until its calls are answered, and lets it end once they are', async () => {
    // The built module (npm run build), in a process with nothing else to wait for.
    const module = join(process.cwd(), 'dist', 'storage', 'fs', 'file-batch.js');
    const path = join(dir, 'alive');
    await writeFile(path, 'answered');
    const script = `import('${module}').then(({ FileBatch }) =>
      new FileBatch().readAt('${path}', 0, 100).then((b) => console.log(b.toString())))`;
    const printed = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(printed.trim()).toBe('answered');
  });

  it('starts a new worker for calls made after close', async () => {
    const path = join(dir, 'after-close');
    await writeFile(path, 'still here');
    await batch.close();
    expect((await batch.readAt(path, 6, 10)).toString()).toBe('here');
  });
});
