import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type BatchMeta,
  listSpooled,
  markDelivering,
  removeSpooled,
  SpoolFile,
  spoolLogPath,
} from '../../../logging/spool.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3scribe-spool-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

const meta = (over: Partial<Omit<BatchMeta, 'id'>> = {}): Omit<BatchMeta, 'id'> => ({
  sourceBucket: 'src-bucket',
  sourceOwnerAccountId: '111122223333',
  sourceRegion: 'us-east-1',
  targetBucket: 'log-bucket',
  targetPrefix: 'logs/',
  keyFormat: { kind: 'SimplePrefix' },
  firstEventTime: Date.UTC(2024, 0, 2, 3, 4, 5),
  ...over,
});

const logText = (id: string): Promise<string> => readFile(spoolLogPath(dir, id), 'utf8');

describe('SpoolFile', () => {
  it('create writes the meta beside an empty log file', async () => {
    const spool = SpoolFile.create(dir, meta());
    try {
      expect(spool.meta.id).toMatch(/^[0-9a-z]+-[0-9a-f]{12}$/);
      expect(spool.dir).toBe(dir);
      expect(JSON.parse(await readFile(join(dir, `${spool.meta.id}.json`), 'utf8'))).toEqual(spool.meta);
      expect(await logText(spool.meta.id)).toBe('');
      expect((await readdir(dir)).sort()).toEqual([`${spool.meta.id}.json`, `${spool.meta.id}.log`].sort());
    } finally {
      spool.close();
    }
  });

  it('appended records are in the file when writeQueued() returns, in one write; nothing waits for a timer or a callback', async () => {
    const spool = SpoolFile.create(dir, meta());
    const path = spoolLogPath(dir, spool.meta.id);
    spool.append('a\n');
    spool.append('b\n');
    // Queued, not yet written: the batcher writes each turn's records together.
    expect(readFileSync(path, 'utf8')).toBe('');
    spool.writeQueued();
    // Read synchronously, before any other event could run.
    expect(readFileSync(path, 'utf8')).toBe('a\nb\n');
    spool.append('dé\n');
    spool.writeQueued();
    expect(readFileSync(path, 'utf8')).toBe('a\nb\ndé\n');
    expect(spool.records).toBe(3);
    expect(spool.bytes).toBe('a\nb\ndé\n'.length);
    expect(await logText(spool.meta.id)).toBe('a\nb\ndé\n');
    expect(spool.failure).toBeUndefined();
    spool.close();
  });

  it('append after close() throws rather than losing the line silently', () => {
    const spool = SpoolFile.create(dir, meta());
    spool.close();
    expect(() => spool.append('late\n')).toThrow(/closed/);
  });

  it('close() keeps every appended line, in order', async () => {
    const spool = SpoolFile.create(dir, meta());
    for (let i = 0; i < 200; i++) spool.append(`r${i}\n`);
    spool.close();
    const text = await logText(spool.meta.id);
    expect(text.split('\n').slice(0, -1)).toEqual(Array.from({ length: 200 }, (_, i) => `r${i}`));
  });
});

describe('listSpooled', () => {
  it('returns [] for a spool directory that does not exist', async () => {
    expect(await listSpooled(join(dir, 'missing'))).toEqual([]);
  });

  it('returns the batches a previous run left, oldest first, and removes leftover *.tmp files', async () => {
    // A previous run: two batches opened and written, never delivered.
    const later = SpoolFile.create(dir, meta({ sourceBucket: 'later', firstEventTime: 2_000 }));
    const earlier = SpoolFile.create(dir, meta({ sourceBucket: 'earlier', firstEventTime: 1_000 }));
    later.append('later 1\n');
    earlier.append('earlier 1\n');
    earlier.append('earlier 2\n');
    await later.close();
    await earlier.close();
    // A meta rewrite interrupted before its rename, and a file that is not ours.
    const tmp = `${earlier.meta.id}.json.0badf00d.tmp`;
    await writeFile(join(dir, tmp), '{"half":');
    await writeFile(join(dir, 'garbage.json'), 'not json');

    // The next run.
    const metas = await listSpooled(dir);
    expect(metas).toEqual([earlier.meta, later.meta]);
    expect(metas.map((m) => m.sourceBucket)).toEqual(['earlier', 'later']);

    const names = await readdir(dir);
    expect(names).not.toContain(tmp);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    // The batches themselves are left alone.
    expect(await logText(earlier.meta.id)).toBe('earlier 1\nearlier 2\n');
    expect(await logText(later.meta.id)).toBe('later 1\n');
  });
});

describe('removeSpooled', () => {
  it('removes the meta and the log of one batch and nothing else', async () => {
    const gone = SpoolFile.create(dir, meta());
    const kept = SpoolFile.create(dir, meta({ sourceBucket: 'kept' }));
    gone.append('x\n');
    kept.append('y\n');
    await gone.close();
    await kept.close();

    await removeSpooled(dir, gone.meta.id);
    expect((await readdir(dir)).sort()).toEqual([`${kept.meta.id}.json`, `${kept.meta.id}.log`].sort());
    expect(await listSpooled(dir)).toEqual([kept.meta]);
    // Removing again (a replay) is not an error.
    await expect(removeSpooled(dir, gone.meta.id)).resolves.toBeUndefined();
  });
});

describe('markDelivering', () => {
  it('persists the delivery key in the meta, where the next run finds it', async () => {
    const spool = SpoolFile.create(dir, meta());
    spool.append('z\n');
    spool.close();
    const key = 'logs/2024-01-02-03-04-05-0123456789ABCDEF';

    await markDelivering(dir, spool.meta, key);
    expect(await listSpooled(dir)).toEqual([{ ...spool.meta, deliveringKey: key }]);
    const onDisk = JSON.parse(await readFile(join(dir, `${spool.meta.id}.json`), 'utf8')) as BatchMeta;
    expect(onDisk.deliveringKey).toBe(key);
    // The log is untouched and no temp file is left behind.
    expect(await logText(spool.meta.id)).toBe('z\n');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
