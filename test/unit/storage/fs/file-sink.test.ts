import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSink, skipWritten } from '../../../../storage/fs/file-sink.js';

const dir = mkdtempSync(join(tmpdir(), 's3scribe-file-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const fresh = (): string => join(dir, `f${files++}`);
const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('FileSink', () => {
  it('writes every chunk in order, whatever their sizes, across several batches', async () => {
    const sizes = [0, 1, 7, 65_536, 1_048_575, 1, 3_000_000, 12_345, 65_536, 0, 2_097_152, 5];
    const chunks = sizes.map((n) => randomBytes(n));
    const path = fresh();
    await pipeline(Readable.from(chunks), new FileSink(path));
    expect(readFileSync(path).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('creates an empty file from an empty stream', async () => {
    const path = fresh();
    await pipeline(Readable.from([]), new FileSink(path));
    expect(readFileSync(path).length).toBe(0);
  });

  it('refuses a path that exists, leaving its content alone', async () => {
    const path = fresh();
    writeFileSync(path, 'kept');
    await expect(pipeline(Readable.from([Buffer.from('new')]), new FileSink(path))).rejects.toMatchObject({
      code: 'EEXIST',
    });
    expect(readFileSync(path, 'utf8')).toBe('kept');
  });

  it('closes its file when the stream fails half way', async () => {
    const before = openFds();
    const path = fresh();
    async function* failing(): AsyncGenerator<Buffer> {
      yield randomBytes(300_000);
      yield randomBytes(900_000);
      throw new Error('client went away');
    }
    const sink = new FileSink(path);
    const closed = new Promise((resolve) => sink.once('close', resolve));
    await expect(pipeline(Readable.from(failing()), sink)).rejects.toThrow('client went away');
    await closed;
    expect(openFds()).toBe(before);
  });
});

describe('skipWritten (after a short writev)', () => {
  const chunks = [Buffer.from('abc'), Buffer.from('de'), Buffer.from('fghi')];
  const text = (bs: Buffer[]): string => Buffer.concat(bs).toString();

  it('drops whole chunks written and cuts the first one left', () => {
    expect(text(skipWritten(chunks, 0))).toBe('abcdefghi');
    expect(text(skipWritten(chunks, 2))).toBe('cdefghi');
    expect(text(skipWritten(chunks, 3))).toBe('defghi');
    expect(text(skipWritten(chunks, 6))).toBe('ghi');
    expect(skipWritten(chunks, 9)).toEqual([]);
  });

  it('leaves the chunks it was given as they were', () => {
    skipWritten(chunks, 4);
    expect(text(chunks)).toBe('abcdefghi');
  });
});
