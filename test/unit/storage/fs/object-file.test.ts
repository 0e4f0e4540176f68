import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeTrailer,
  openBodyFile,
  openDataFile,
  readTrailer,
  rewriteTrailer,
  streamBody,
} from '../../../../storage/fs/object-file.js';
import { FileCalls } from '../../../../storage/fs/file-calls.js';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3scribe-object-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(body: Buffer, meta: object): Promise<string> {
  const path = join(dir, `obj-${n++}`);
  await writeFile(path, Buffer.concat([body, encodeTrailer(meta)]));
  return path;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const BODY = Buffer.from('0123456789abcdefghij');

describe('encodeTrailer', () => {
  it('golden: JSON, its length (u32 BE) and the magic tag', () => {
    const t = encodeTrailer({ a: 1 });
    expect(t.toString('latin1')).toBe('{"a":1}\x00\x00\x00\x07S3SCRIB1');
  });

  it('the length counts UTF-8 bytes', () => {
    const t = encodeTrailer({ k: 'é' });
    expect(t.readUInt32BE(t.length - 12)).toBe(Buffer.byteLength('{"k":"é"}'));
  });
});

describe('openDataFile / streamBody', () => {
  it('round trip: metadata, data length and the body', async () => {
    const meta = { key: 'dir/ké', size: BODY.length, etag: 'abc', userMetadata: { color: 'blue' } };
    const file = (await openDataFile<typeof meta>(await write(BODY, meta)))!;
    expect(file.meta).toEqual(meta);
    expect(file.dataLength).toBe(BODY.length);
    expect((await collect(streamBody(file))).equals(BODY)).toBe(true);
  });

  it.each([
    [0, 0, '0'],
    [2, 5, '2345'],
    [19, 19, 'j'],
    [10, 19, 'abcdefghij'],
  ])('range [%i, %i] → %s', async (start, end, text) => {
    const file = (await openDataFile(await write(BODY, { k: 1 })))!;
    expect((await collect(streamBody(file, start, end))).toString()).toBe(text);
  });

  it('an empty range and an empty body stream nothing', async () => {
    const file = (await openDataFile(await write(BODY, {})))!;
    expect((await collect(streamBody(file, 5, 4))).length).toBe(0);
    const empty = (await openDataFile(await write(Buffer.alloc(0), { size: 0 })))!;
    expect(empty.dataLength).toBe(0);
    expect(empty.meta).toEqual({ size: 0 });
    expect((await collect(streamBody(empty))).length).toBe(0);
  });

  it.each([4000, 4084, 4085, 4096, 10_000, 300_000])(
    'metadata of about %i bytes (past the first 4 KiB read)',
    async (size) => {
      const meta = { pad: 'm'.repeat(size), tail: 'end' };
      const file = (await openDataFile<typeof meta>(await write(BODY, meta)))!;
      expect(file.meta).toEqual(meta);
      expect(file.dataLength).toBe(BODY.length);
      expect((await collect(streamBody(file))).equals(BODY)).toBe(true);
    },
  );

  it('large metadata on an empty body', async () => {
    const meta = { pad: 'x'.repeat(8000) };
    const file = (await openDataFile<typeof meta>(await write(Buffer.alloc(0), meta)))!;
    expect(file.meta).toEqual(meta);
    expect(file.dataLength).toBe(0);
    await file.close();
  });

  it('a body that contains the magic tag itself', async () => {
    const body = Buffer.concat([Buffer.from('S3SCRIB1'), encodeTrailer({ fake: true }), Buffer.from('S3SCRIB1')]);
    const file = (await openDataFile(await write(body, { real: true })))!;
    expect(file.meta).toEqual({ real: true });
    expect((await collect(streamBody(file))).equals(body)).toBe(true);
  });

  it('a missing file → undefined', async () => {
    expect(await openDataFile(join(dir, 'does-not-exist'))).toBeUndefined();
    expect(await readTrailer(join(dir, 'does-not-exist'))).toBeUndefined();
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['shorter than the footer', Buffer.from('S3SCRIB1')],
    ['no magic tag', Buffer.from('just some bytes that are not an object file')],
    [
      'a length past the start of the file',
      Buffer.concat([Buffer.from('{}'), Buffer.from([0, 0, 1, 0]), Buffer.from('S3SCRIB1')]),
    ],
    [
      'JSON that does not parse',
      Buffer.concat([Buffer.from('{bad'), Buffer.from([0, 0, 0, 4]), Buffer.from('S3SCRIB1')]),
    ],
  ])('a corrupt file (%s) throws', async (_why, bytes) => {
    const path = join(dir, `corrupt-${n++}`);
    await writeFile(path, bytes);
    await expect(openDataFile(path)).rejects.toThrow();
  });

  it('a truncated object file throws', async () => {
    const path = await write(BODY, { k: 'v' });
    const whole = await readFile(path);
    await writeFile(path, whole.subarray(0, whole.length - 3));
    await expect(openDataFile(path)).rejects.toThrow(/corrupt/);
  });
});

describe('readTrailer / rewriteTrailer', () => {
  it('readTrailer returns the metadata alone', async () => {
    expect(await readTrailer(await write(BODY, { etag: 'x' }))).toEqual({ etag: 'x' });
  });

  // Each way a read is made: one call of the batch worker (other requests in flight), or
  // synchronously (alone in flight).
  const batched = new FileCalls(() => false);
  const direct = new FileCalls(() => true);
  const WAYS = [batched, direct];
  afterAll(() => batched.close());

  it('readTrailer given the body length reads the trailer from there, each way', async () => {
    const path = await write(BODY, { etag: 'at' });
    for (const files of WAYS) {
      expect(await readTrailer(path, { dataLength: BODY.length, files })).toEqual({ etag: 'at' });
      expect(await readTrailer(join(dir, 'absent'), { dataLength: 3, files })).toBeUndefined();
    }
  });

  it('readTrailer given a body length that no longer holds reads by the file size instead', async () => {
    const path = await write(BODY, { etag: 'stale' });
    // Shorter, longer, past the end, and off by one either way: each starts the read somewhere
    // that is not the trailer's first byte.
    for (const guess of [0, 5, BODY.length - 1, BODY.length + 1, 10_000])
      for (const files of WAYS)
        expect(await readTrailer(path, { dataLength: guess, files })).toEqual({ etag: 'stale' });
  });

  it('readTrailer given the body length still reads a trailer larger than one read', async () => {
    const meta = { etag: 'big', pad: 'p'.repeat(40_000) };
    const path = await write(BODY, meta);
    for (const files of WAYS) expect(await readTrailer(path, { dataLength: BODY.length, files })).toEqual(meta);
  });

  it('openBodyFile gives a small file whole and a large one for streaming, each way', async () => {
    const small = await write(BODY, { etag: 's' });
    const large = await write(Buffer.alloc(100_000, 9), { etag: 'l' });
    for (const files of WAYS) {
      const s = (await openBodyFile<{ etag: string }>(small, files))!;
      expect([s.meta, s.dataLength, s.whole?.equals(BODY)]).toEqual([{ etag: 's' }, BODY.length, true]);
      await s.close();
      const l = (await openBodyFile<{ etag: string }>(large, files))!;
      expect([l.meta, l.dataLength, l.whole]).toEqual([{ etag: 'l' }, 100_000, undefined]);
      expect((await collect(streamBody(l, 99_990))).equals(Buffer.alloc(10, 9))).toBe(true);
      expect(await openBodyFile(join(dir, 'absent'), files)).toBeUndefined();
    }
  });

  it('rewriteTrailer keeps the body and replaces the metadata', async () => {
    const path = await write(BODY, { acl: 'private', etag: 'x' });
    const updated = await rewriteTrailer(path, join(dir, `tmp-${n++}`), (m) => ({
      ...m,
      acl: 'public-read',
      pad: 'p'.repeat(6000),
    }));
    expect(updated).toMatchObject({ acl: 'public-read', etag: 'x' });
    const file = (await openDataFile(path))!;
    expect(file.meta).toEqual(updated);
    expect((await collect(streamBody(file))).equals(BODY)).toBe(true);
    expect(await rewriteTrailer(join(dir, 'missing'), join(dir, `tmp-${n++}`), (m) => m)).toBeUndefined();
  });
});
