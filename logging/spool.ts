import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../common/atomic-json.js';
import type { LogObjectKeyFormat } from './object-key.js';

/** Where a batch goes: what a permission check on delivery looks at. */
export interface DeliveryTarget {
  sourceBucket: string;
  sourceOwnerAccountId: string;
  targetBucket: string;
  targetPrefix: string;
}

/** What a spooled batch is for; written beside its records when the batch opens. */
export interface BatchMeta extends DeliveryTarget {
  id: string;
  sourceRegion: string;
  keyFormat: LogObjectKeyFormat;
  /** Time of the batch's first record (EventTime partitions are named by its day). */
  firstEventTime: number;
  /** Set just before delivery, so a delivery interrupted by a crash is retried under the same key. */
  deliveringKey?: string;
}

/**
 * A batch's records on disk: `<id>.json` (BatchMeta) and `<id>.log` (formatted lines).
 *
 * The spool's promise: a record is in the spool file (write(2) has returned) before its
 * response's last byte is written (server/s3/send.ts), so a client holding a whole response can
 * count on its record surviving a kill -9. Hence synchronous writes: one small append to the page
 * cache costs a few microseconds, while an asynchronous write waits behind every other callback
 * under load. Records are queued by `append` and written by `writeQueued`, which the batcher calls
 * once per turn of the event loop for every record of that turn (see `Batcher.afterWrites`). No
 * fsync: power loss may lose what the OS had not written out.
 */
export class SpoolFile {
  /** A failed write: the batch is then delivered from what reached the file, and the error reported. */
  failure: unknown;
  records = 0;
  bytes = 0;
  private closed = false;
  /** Records appended and not yet written. */
  private queued = '';

  private constructor(
    readonly dir: string,
    public meta: BatchMeta,
    private readonly fd: number,
  ) {}

  /** Synchronous for the same reason as append: the batch's first record is written at once. */
  static create(dir: string, meta: Omit<BatchMeta, 'id'>): SpoolFile {
    const full: BatchMeta = { ...meta, id: `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}` };
    const path = join(dir, `${full.id}.json`);
    const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(full));
    renameSync(tmp, path);
    return new SpoolFile(dir, full, openSync(join(dir, `${full.id}.log`), 'a'));
  }

  /** Queues records; they are in the file once `writeQueued` (or `close`) has run. */
  append(line: string): void {
    if (this.closed) throw new Error('spool is closed');
    this.records++;
    this.bytes += line.length;
    this.queued += line;
  }

  /** Writes the queued records in one write(2). */
  writeQueued(): void {
    if (this.queued === '' || this.closed) return;
    const text = this.queued;
    this.queued = '';
    try {
      writeSync(this.fd, text);
    } catch (err) {
      this.failure ??= err;
    }
  }

  close(): void {
    if (this.closed) return;
    this.writeQueued();
    this.closed = true;
    closeSync(this.fd);
  }
}

const writeMetaAtomic = (dir: string, meta: BatchMeta): Promise<void> =>
  writeJsonAtomic(join(dir, `${meta.id}.json`), meta);

/** Persists the key a delivery is about to write, so a crash mid-delivery retries under the same name. */
export const markDelivering = (dir: string, meta: BatchMeta, key: string): Promise<void> =>
  writeMetaAtomic(dir, { ...meta, deliveringKey: key });

export const spoolLogPath = (dir: string, id: string): string => join(dir, `${id}.log`);

export async function removeSpooled(dir: string, id: string): Promise<void> {
  await rm(join(dir, `${id}.log`), { force: true });
  await rm(join(dir, `${id}.json`), { force: true });
}

/** Batches left by an earlier run (crash or kill): delivered at start. */
export async function listSpooled(dir: string): Promise<BatchMeta[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const n of names) if (n.endsWith('.tmp')) await rm(join(dir, n), { force: true });
  const metas: BatchMeta[] = [];
  for (const n of names.filter((x) => x.endsWith('.json'))) {
    try {
      metas.push(JSON.parse(await readFile(join(dir, n), 'utf8')) as BatchMeta);
    } catch {
      // A half-written meta file cannot exist (atomic rename); anything unreadable is not ours.
    }
  }
  return metas.sort((a, b) => a.firstEventTime - b.firstEventTime);
}
