import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DeliveryDeps, deliverBatch } from '../../../logging/delivery.js';
import { formatRecord } from '../../../logging/format.js';
import { type BatchMeta, listSpooled, markDelivering, SpoolFile, spoolLogPath } from '../../../logging/spool.js';
import { FsStorage } from '../../../storage/fs/fs-storage.js';
import type { Owner } from '../../../storage/storage.js';
import { parseAccessLogObject } from '../../helpers/access-log-parser.js';

const SOURCE_OWNER: Owner = { id: 'a'.repeat(64), displayName: 'source-owner' };
const TARGET_OWNER: Owner = { id: 'b'.repeat(64), displayName: 'target-owner' };
const NOW = Date.UTC(2024, 2, 5, 6, 7, 8, 900);
const UNIQUE = '0123456789ABCDEF';

let root: string;
let spoolDir: string;
let storage: FsStorage;
let warnings: { msg: string; detail: object }[];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 's3scribe-delivery-'));
  spoolDir = join(root, 'spool');
  await mkdir(spoolDir);
  storage = await FsStorage.open(join(root, 'data'));
  await storage.createBucket({ name: 'log-bucket', created: NOW, region: 'eu-west-1', owner: TARGET_OWNER });
  warnings = [];
});
afterEach(async () => {
  await storage.close();
  await rm(root, { recursive: true, force: true });
});

const deps = (over: Partial<DeliveryDeps> = {}): DeliveryDeps => ({
  storage,
  spoolDir,
  nextUniqueString: () => UNIQUE,
  now: () => NOW,
  mayDeliver: async () => true,
  warn: (msg, detail) => warnings.push({ msg, detail }),
  ...over,
});

const baseMeta: Omit<BatchMeta, 'id'> = {
  sourceBucket: 'src-bucket',
  sourceOwnerAccountId: '111122223333',
  sourceRegion: 'eu-west-1',
  targetBucket: 'log-bucket',
  targetPrefix: 'logs/',
  keyFormat: { kind: 'SimplePrefix' },
  firstEventTime: Date.UTC(2024, 0, 2, 13, 14, 15),
};

/** Real formatted records (a non-ASCII user agent, to compare bytes rather than characters). */
const line = (requestId: string): string =>
  formatRecord({
    bucketOwner: SOURCE_OWNER.id,
    bucket: 'src-bucket',
    time: baseMeta.firstEventTime,
    remoteIp: '192.0.2.10',
    requestId,
    operation: 'REST.GET.OBJECT',
    key: 'photo.jpg',
    requestUri: 'GET /src-bucket/photo.jpg HTTP/1.1',
    httpStatus: 200,
    bytesSent: 1234,
    objectSize: 1234,
    totalTimeMs: 12,
    turnAroundTimeMs: 3,
    userAgent: 'agent/é',
    hostId: 'host-id',
    hostHeader: 'localhost:9000',
  });

/** A closed spool holding `lines`, as a batcher leaves it for delivery. */
async function spooled(lines: string[], over: Partial<Omit<BatchMeta, 'id'>> = {}): Promise<BatchMeta> {
  const spool = await SpoolFile.create(spoolDir, { ...baseMeta, ...over });
  for (const l of lines) spool.append(l);
  await spool.close();
  return spool.meta;
}

async function keys(bucket: string): Promise<string[]> {
  return (await storage.listObjects(bucket, { prefix: '', maxKeys: 1000 })).contents.map((o) => o.key);
}

async function body(bucket: string, key: string): Promise<Buffer> {
  const opened = await storage.openObject(bucket, key);
  if (!opened) throw new Error(`no object ${bucket}/${key}`);
  const chunks: Buffer[] = [];
  for await (const c of opened.body()) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('deliverBatch', () => {
  it('SimplePrefix: writes the spool bytes as one text/plain object owned by the target owner, then removes the spool', async () => {
    const meta = await spooled([line('REQ1'), line('REQ2'), line('REQ3')]);
    const bytes = await readFile(spoolLogPath(spoolDir, meta.id));
    expect(bytes.length).toBeGreaterThan(0);

    const key = await deliverBatch(deps(), meta);

    expect(key).toBe(`logs/2024-03-05-06-07-08-${UNIQUE}`);
    expect(await keys('log-bucket')).toEqual([key]);
    const stored = await body('log-bucket', key!);
    expect(stored.equals(bytes)).toBe(true);
    const head = await storage.headObject('log-bucket', key!);
    expect(head?.contentType).toBe('text/plain');
    expect(head?.owner).toEqual(TARGET_OWNER);
    expect(head?.size).toBe(bytes.length);
    expect(parseAccessLogObject(stored.toString('utf8')).map((r) => r.requestId)).toEqual(['REQ1', 'REQ2', 'REQ3']);
    expect(await readdir(spoolDir)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('PartitionedPrefix EventTime: names the object by the day of the first event', async () => {
    const meta = await spooled([line('REQ1')], {
      keyFormat: { kind: 'PartitionedPrefix', dateSource: 'EventTime' },
    });
    const bytes = await readFile(spoolLogPath(spoolDir, meta.id));

    const key = await deliverBatch(deps(), meta);

    expect(key).toBe(`logs/111122223333/eu-west-1/src-bucket/2024/01/02/2024-01-02-00-00-00-${UNIQUE}`);
    expect(await keys('log-bucket')).toEqual([key]);
    expect((await body('log-bucket', key!)).equals(bytes)).toBe(true);
    expect((await storage.headObject('log-bucket', key!))?.owner).toEqual(TARGET_OWNER);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('PartitionedPrefix DeliveryTime: names the object by the delivery time', async () => {
    const meta = await spooled([line('REQ1')], {
      targetPrefix: '',
      keyFormat: { kind: 'PartitionedPrefix', dateSource: 'DeliveryTime' },
    });
    const key = await deliverBatch(deps(), meta);
    expect(key).toBe(`111122223333/eu-west-1/src-bucket/2024/03/05/2024-03-05-06-07-08-${UNIQUE}`);
    expect(await keys('log-bucket')).toEqual([key]);
  });

  it('a replayed batch whose deliveringKey object exists is only cleaned up: no second object, no rewrite', async () => {
    const meta = await spooled([line('REQ1')]);
    const key = 'logs/2024-03-05-06-07-00-00000000000000AA';
    await markDelivering(spoolDir, meta, key);
    // The crashed run got as far as writing the object (content made distinct to detect a rewrite).
    const earlier = Buffer.from('written by the crashed run\n');
    await storage.putObject(
      'log-bucket',
      key,
      Readable.from([earlier]),
      { contentType: 'text/plain', userMetadata: {}, owner: TARGET_OWNER },
      { checksumAlgorithms: [], contentLength: earlier.length },
    );
    const [replayed] = await listSpooled(spoolDir);
    expect(replayed.deliveringKey).toBe(key);
    const unique = vi.fn(() => 'FFFFFFFFFFFFFFFF');

    expect(await deliverBatch(deps({ nextUniqueString: unique }), replayed)).toBe(key);

    expect(unique).not.toHaveBeenCalled();
    expect(await keys('log-bucket')).toEqual([key]);
    expect((await body('log-bucket', key)).equals(earlier)).toBe(true);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('a replayed batch whose deliveringKey object is missing is written under that same key', async () => {
    const meta = await spooled([line('REQ1')]);
    const bytes = await readFile(spoolLogPath(spoolDir, meta.id));
    const key = 'logs/2024-03-05-06-07-00-00000000000000BB';
    await markDelivering(spoolDir, meta, key);
    const [replayed] = await listSpooled(spoolDir);
    const unique = vi.fn(() => 'FFFFFFFFFFFFFFFF');

    expect(await deliverBatch(deps({ nextUniqueString: unique }), replayed)).toBe(key);

    expect(unique).not.toHaveBeenCalled();
    expect(await keys('log-bucket')).toEqual([key]);
    expect((await body('log-bucket', key)).equals(bytes)).toBe(true);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('drops the records with a warning when the target bucket is gone, and removes the spool', async () => {
    const meta = await spooled([line('REQ1')], { targetBucket: 'gone-bucket' });
    const mayDeliver = vi.fn(async () => true);

    expect(await deliverBatch(deps({ mayDeliver }), meta)).toBeUndefined();

    expect(warnings).toEqual([
      {
        msg: 'access-log target bucket is gone; records dropped',
        detail: { source: 'src-bucket', target: 'gone-bucket' },
      },
    ]);
    expect(await storage.getBucket('gone-bucket')).toBeUndefined();
    expect(await keys('log-bucket')).toEqual([]);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('drops the records with a warning when mayDeliver refuses, and removes the spool', async () => {
    const meta = await spooled([line('REQ1')]);
    const mayDeliver = vi.fn(async () => false);

    expect(await deliverBatch(deps({ mayDeliver }), meta)).toBeUndefined();

    expect(mayDeliver).toHaveBeenCalledTimes(1);
    expect(mayDeliver.mock.calls[0]).toEqual([meta]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].msg).toMatch(/policy does not allow/);
    expect(warnings[0].detail).toEqual({ source: 'src-bucket', target: 'log-bucket' });
    expect(await keys('log-bucket')).toEqual([]);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('an empty spool delivers nothing and warns about nothing', async () => {
    const meta = await spooled([]);
    expect(await readdir(spoolDir)).toHaveLength(2);
    const unique = vi.fn(() => UNIQUE);
    const mayDeliver = vi.fn(async () => true);

    expect(await deliverBatch(deps({ nextUniqueString: unique, mayDeliver }), meta)).toBeUndefined();

    expect(unique).not.toHaveBeenCalled();
    expect(mayDeliver).not.toHaveBeenCalled();
    expect(warnings).toEqual([]);
    expect(await keys('log-bucket')).toEqual([]);
    expect(await readdir(spoolDir)).toEqual([]);
  });
});
