import { eventDay, type LogObjectKeyFormat } from './object-key.js';
import { SpoolFile, type BatchMeta } from './spool.js';

/** A batch is delivered early once it holds this much. */
const MAX_BATCH_RECORDS = 10_000;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

export type BatchTarget = Omit<BatchMeta, 'id' | 'firstEventTime' | 'deliveringKey'>;

interface OpenBatch {
  spool: SpoolFile;
  timer: NodeJS.Timeout;
  sourceBucket: string;
}

/**
 * Groups formatted records per (source bucket, target bucket, prefix, key format — and event day
 * for EventTime partitions, whose objects hold one day each). A batch opens with its first record
 * and is handed to `deliver` one interval later, when it grows past the bounds, or on flush.
 */
export class Batcher {
  private readonly open = new Map<string, OpenBatch>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Spool files with queued records, and what waits for them to be written. */
  private readonly unwritten = new Set<SpoolFile>();
  private readonly waiting: Array<() => void> = [];
  private writeScheduled = false;

  constructor(
    private readonly spoolDir: string,
    private readonly intervalMs: number,
    private readonly deliver: (spool: SpoolFile) => Promise<string | undefined>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Records and bytes spooled in batches not yet closed for delivery. */
  pending(): { records: number; bytes: number } {
    let records = 0;
    let bytes = 0;
    for (const b of this.open.values()) {
      records += b.spool.records;
      bytes += b.spool.bytes;
    }
    return { records, bytes };
  }

  /**
   * Queues the lines in their batch's spool file; they are written, with every other record of
   * this turn of the event loop, before anything `afterWrites` holds runs (or at once by
   * `writeQueued`). One write per turn instead of one per record: under concurrent PUTs an append
   * waits on the filesystem behind the object files being created (28 µs a record, against 4–5 µs
   * alone; bench/RESULTS.md).
   */
  add(target: BatchTarget, eventTime: number, lines: string): void {
    const key = batchKey(target.sourceBucket, target.targetBucket, target.targetPrefix, target.keyFormat, eventTime);
    let batch = this.open.get(key);
    if (!batch) {
      const spool = SpoolFile.create(this.spoolDir, { ...target, firstEventTime: eventTime });
      const timer = setTimeout(() => this.track(this.deliverKey(key)), this.intervalMs);
      timer.unref();
      batch = { spool, timer, sourceBucket: target.sourceBucket };
      this.open.set(key, batch);
    }
    batch.spool.append(lines);
    this.unwritten.add(batch.spool);
    if (!this.writeScheduled) {
      this.writeScheduled = true;
      setImmediate(() => this.writeQueued());
    }
    if (batch.spool.records >= MAX_BATCH_RECORDS || batch.spool.bytes >= MAX_BATCH_BYTES) {
      this.track(this.deliverKey(key));
    }
  }

  /** Runs `then` once every record added so far is in its spool file: at once if none is queued. */
  afterWrites(then: () => void): void {
    if (this.unwritten.size === 0) then();
    else this.waiting.push(then);
  }

  /** Writes every queued record now, then runs what waited for them. */
  writeQueued(): void {
    this.writeScheduled = false;
    for (const spool of this.unwritten) spool.writeQueued();
    this.unwritten.clear();
    for (const then of this.waiting.splice(0)) {
      try {
        then();
      } catch (err) {
        this.onError(err);
      }
    }
  }

  private track<T>(p: Promise<T>): void {
    const guarded = p.catch(this.onError);
    this.inFlight.add(guarded);
    void guarded.finally(() => this.inFlight.delete(guarded));
  }

  /** Closes a batch to new records and delivers it; later records open a new batch. */
  private async deliverKey(key: string): Promise<{ key: string; records: number } | undefined> {
    const batch = this.open.get(key);
    if (!batch) return undefined;
    this.open.delete(key);
    clearTimeout(batch.timer);
    const spool = batch.spool;
    spool.close();
    if (spool.failure) this.onError(spool.failure);
    const objectKey = await this.deliver(spool);
    return objectKey === undefined ? undefined : { key: objectKey, records: spool.records };
  }

  /** Delivers every open batch (of one source bucket, if given); returns the keys written. */
  async flush(sourceBucket?: string): Promise<{ key: string; records: number }[]> {
    await this.settle();
    const keys = [...this.open.entries()]
      .filter(([, b]) => sourceBucket === undefined || b.sourceBucket === sourceBucket)
      .map(([k]) => k);
    const delivered = await Promise.all(keys.map((k) => this.deliverKey(k)));
    return delivered.filter((d): d is { key: string; records: number } => d !== undefined);
  }

  /** Waits for appends and deliveries already started. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}

function batchKey(
  source: string,
  target: string,
  prefix: string,
  format: LogObjectKeyFormat,
  eventTime: number,
): string {
  const day = format.kind === 'PartitionedPrefix' && format.dateSource === 'EventTime' ? eventDay(eventTime) : '';
  const fmt = format.kind === 'PartitionedPrefix' ? `P:${format.dateSource}` : 'S';
  // Bucket names, the format tag and the day hold no '/', so with the prefix last the key is
  // unambiguous (JSON.stringify of the five was the batcher's largest cost per record).
  return `${source}/${target}/${fmt}/${day}/${prefix}`;
}
