import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describe, test } from 'vitest';
import { expect, freshBucket, launch, makeDataRoot, s3ClientFor } from '../helpers/server.js';

/**
 * The listing index is kept in `index/` beside the object files. These tests take it away or
 * break it between two runs of the server, as an upgrade from a data directory written before the
 * index existed (layout 2) or a damaged disk would, and read listings back through the SDK.
 */

const KEYS = Array.from({ length: 1200 }, (_, i) => `logs/${String(i % 7)}/part-${String(i).padStart(5, '0')}.gz`);

async function listAll(s3: S3Client, bucket: string): Promise<Array<[string, number, string]>> {
  const out: Array<[string, number, string]> = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token, MaxKeys: 500 }));
    for (const o of page.Contents ?? []) out.push([o.Key!, o.Size!, o.ETag!]);
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

async function versionsOf(s3: S3Client, bucket: string): Promise<string[]> {
  const r = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  return [
    ...(r.Versions ?? []).map((v) => `${v.Key} ${v.IsLatest ? 'latest' : 'old'}`),
    ...(r.DeleteMarkers ?? []).map((m) => `${m.Key} marker${m.IsLatest ? ' latest' : ''}`),
  ].sort();
}

/** Writes a bucket of 1,200 keys and a versioned bucket; returns what they list. */
async function populate(dataDir: string) {
  const server = await launch(dataDir);
  const s3 = s3ClientFor(server);
  try {
    const plain = await freshBucket(s3, 'idx');
    for (let i = 0; i < KEYS.length; i += 50)
      await Promise.all(
        KEYS.slice(i, i + 50).map((Key, j) =>
          s3.send(new PutObjectCommand({ Bucket: plain, Key, Body: 'x'.repeat((i + j) % 13) })),
        ),
      );
    await s3.send(new DeleteObjectCommand({ Bucket: plain, Key: KEYS[3] }));
    const versioned = await freshBucket(s3, 'idxv');
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    for (const body of ['one', 'two']) await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'a', Body: body }));
    await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'b', Body: 'b' }));
    await s3.send(new DeleteObjectCommand({ Bucket: versioned, Key: 'b' }));
    const listing = await listAll(s3, plain);
    expect(listing).toHaveLength(KEYS.length - 1);
    return { plain, versioned, listing, versions: await versionsOf(s3, versioned) };
  } finally {
    s3.destroy();
    await server.close();
  }
}

async function expectSame(dataDir: string, before: Awaited<ReturnType<typeof populate>>): Promise<void> {
  const server = await launch(dataDir);
  const s3 = s3ClientFor(server);
  try {
    expect(await listAll(s3, before.plain)).toEqual(before.listing);
    expect(await versionsOf(s3, before.versioned)).toEqual(before.versions);
    expect(await listAll(s3, before.versioned)).toEqual([['a', 3, expect.any(String)]]);
    // Writes after the rebuild land in the index as usual.
    await s3.send(new PutObjectCommand({ Bucket: before.plain, Key: 'zz-after', Body: 'new' }));
    expect((await listAll(s3, before.plain)).at(-1)).toEqual(['zz-after', 3, expect.any(String)]);
  } finally {
    s3.destroy();
    await server.close();
  }
}

describe('listing index on disk', () => {
  test('a data directory of layout 2 (no index) is indexed on first use and marked layout 3', async () => {
    const root = await makeDataRoot();
    const dataDir = join(root, 'data');
    try {
      const before = await populate(dataDir);
      expect(JSON.parse(await readFile(join(dataDir, 'format.json'), 'utf8'))).toEqual({ layout: 3 });
      await rm(join(dataDir, 'index'), { recursive: true });
      await writeFile(join(dataDir, 'format.json'), JSON.stringify({ layout: 2 }));
      await expectSame(dataDir, before);
      expect(JSON.parse(await readFile(join(dataDir, 'format.json'), 'utf8'))).toEqual({ layout: 3 });
      // Indexed once: a third start lists from the index, with the write made after the upgrade.
      const server = await launch(dataDir);
      const s3 = s3ClientFor(server);
      try {
        expect((await listAll(s3, before.plain)).length).toBe(KEYS.length);
      } finally {
        s3.destroy();
        await server.close();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('an index that cannot be opened is moved aside and rebuilt from the object files', async () => {
    const root = await makeDataRoot();
    const dataDir = join(root, 'data');
    try {
      const before = await populate(dataDir);
      await writeFile(join(dataDir, 'index', 'data.mdb'), Buffer.alloc(64 * 1024, 0xab));
      await expectSame(dataDir, before);
      expect((await readdir(dataDir)).filter((n) => n.startsWith('index.broken-'))).toHaveLength(1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  // Concurrent DELETEs share their index commits (IndexStore.commitShared): the listing, the
  // bucket's emptiness and a restart must agree with the files all the same.
  test('hundreds of concurrent DELETEs leave the listing, the next start and DeleteBucket in agreement', async () => {
    const root = await makeDataRoot();
    const dataDir = join(root, 'data');
    const keys = Array.from({ length: 300 }, (_, i) => `batch/${String(i).padStart(3, '0')}`);
    const kept = keys.filter((_, i) => i % 3 === 0);
    try {
      let server = await launch(dataDir);
      let s3 = s3ClientFor(server);
      const bucket = await freshBucket(s3, 'idxdel');
      try {
        for (let i = 0; i < keys.length; i += 50)
          await Promise.all(
            keys.slice(i, i + 50).map((Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }))),
          );
        // Two thirds of the keys, and as many that do not exist, all at once.
        const gone = keys.filter((_, i) => i % 3 !== 0);
        await Promise.all(
          [...gone, ...gone.map((k) => `${k}-missing`)].map((Key) =>
            s3.send(new DeleteObjectCommand({ Bucket: bucket, Key })),
          ),
        );
        expect((await listAll(s3, bucket)).map(([k]) => k)).toEqual(kept);
        await expect(s3.send(new DeleteBucketCommand({ Bucket: bucket }))).rejects.toMatchObject({
          name: 'BucketNotEmpty',
        });
      } finally {
        s3.destroy();
        await server.close();
      }
      server = await launch(dataDir);
      s3 = s3ClientFor(server);
      try {
        expect(await listAll(s3, bucket)).toEqual(kept.map((k) => [k, k.length, expect.any(String)]));
        await Promise.all(kept.map((Key) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }))));
        expect(await listAll(s3, bucket)).toEqual([]);
        await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      } finally {
        s3.destroy();
        await server.close();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('a newer layout is refused rather than written into', async () => {
    const root = await makeDataRoot();
    const dataDir = join(root, 'data');
    try {
      await populate(dataDir);
      await writeFile(join(dataDir, 'format.json'), JSON.stringify({ layout: 4 }));
      await expect(launch(dataDir)).rejects.toThrow(/layout 4; this version reads layout 3/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
