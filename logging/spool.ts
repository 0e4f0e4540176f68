import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../common/atomic-json.js';
import type { LogObjectKeyFormat } from './object-key.js';

/** How long appends wait to share one write: the most a killed process can lose of the spool. */
const GROUP_COMMIT_MS = 5;

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
 * A batch's records on disk: `<id>.json` (BatchMeta) and `<id>.log` (formatted lines). Appends are
 * group-committed: lines accepted while a write is in flight go out together in the next write.
 * No fsync: a write that returned survives a killed process, which is what the spool promises.
 */
export class SpoolFile {
  private queued: string[] = [];
  /** A failed write: the batch is then delivered from what reached the file, and the error reported. */
  failure: unknown;
  private writing: Promise<void> | undefined;
  records = 0;
  bytes = 0;

  private constructor(
    readonly dir: string,
    public meta: BatchMeta,
    private readonly handle: FileHandle,
  ) {}

  static async create(dir: string, meta: Omit<BatchMeta, 'id'>): Promise<SpoolFile> {
    const full: BatchMeta = { ...meta, id: `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}` };
    await writeMetaAtomic(dir, full);
    const handle = await open(join(dir, `${full.id}.log`), 'a');
    return new SpoolFile(dir, full, handle);
  }

  append(line: string): void {
    this.records++;
    this.bytes += line.length;
    this.queued.push(line);
    this.writing ??= this.drainLoop().catch((err: unknown) => {
      this.failure = err;
    });
  }

  private async drainLoop(): Promise<void> {
    // Group commit: records accepted within a few milliseconds share one write, which keeps the
    // spool's system calls (and their competition with object I/O) low under load.
    await new Promise((resolve) => setTimeout(resolve, GROUP_COMMIT_MS));
    try {
      while (this.queued.length > 0) {
        const chunk = this.queued.join('');
        this.queued = [];
        await this.handle.write(chunk);
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** Resolves once every appended line has been written. */
  async settle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  async close(): Promise<void> {
    try {
      await this.settle();
    } finally {
      await this.handle.close();
    }
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
