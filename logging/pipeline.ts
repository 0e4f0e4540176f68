import { LiveTail } from './live-tail.js';
import type { AccessLogRecord } from './record.js';
import { mkdir } from 'node:fs/promises';
import type { BucketInfo, Storage } from '../storage/storage.js';
import { Batcher, type BatchTarget } from './batcher.js';
import { recordsFromContext } from './context-records.js';
import type { LoggedRequest } from './logged-request.js';
import { deliverBatch, type DeliveryDeps } from './delivery.js';
import { formatRecord } from './format.js';
import { effectiveKeyFormat, type LoggingConfig } from './logging-config.js';
import { type AccessLogFieldSet, serviceRecord } from './record.js';
import { type DeliveryTarget, listSpooled, type SpoolFile } from './spool.js';
import { createUniqueStringSource } from './unique-string.js';

export interface PipelineOptions {
  storage: Storage;
  spoolDir: string;
  flushIntervalMs: number;
  fieldSet: AccessLogFieldSet;
  region: string;
  uniqueSeed?: number;
  /** Account id of a bucket owner's canonical id (for PartitionedPrefix names). */
  accountIdOf: (canonicalId: string) => string;
  mayDeliver: (target: DeliveryTarget) => Promise<boolean>;
  warn: (msg: string, detail: object) => void;
  /** Request and host ids for the records of log deliveries themselves. */
  ids: { requestId(): string; hostId(): string };
}

export interface FlushResult {
  records: number;
  objects: number;
  keys: string[];
}

/**
 * The access-log pipeline: request context → records → formatted lines → spooled batch per target
 * → log object in the target bucket. `accept` is called for every finished request.
 */
export class AccessLogPipeline {
  private readonly batcher: Batcher;
  private readonly deps: DeliveryDeps;
  /** Live subscribers: they see every request's records, whether or not its bucket logs. */
  readonly tail = new LiveTail();
  /** Counts for the metrics endpoint, over the process's life. */
  readonly counts = { captured: 0, delivered: 0, deliveredObjects: 0, deliveryFailures: 0 };

  private constructor(private readonly opts: PipelineOptions) {
    const unique = createUniqueStringSource(opts.uniqueSeed);
    this.deps = {
      storage: opts.storage,
      spoolDir: opts.spoolDir,
      nextUniqueString: () => unique.next(),
      now: Date.now,
      mayDeliver: opts.mayDeliver,
      warn: opts.warn,
    };
    this.batcher = new Batcher(
      opts.spoolDir,
      opts.flushIntervalMs,
      (spool) => this.deliverSpool(spool),
      (err) => {
        this.counts.deliveryFailures++;
        opts.warn('access-log delivery failed', { err: String(err) });
      },
    );
  }

  /** Opens the spool and delivers whatever an earlier run left in it. */
  static async start(opts: PipelineOptions): Promise<AccessLogPipeline> {
    await mkdir(opts.spoolDir, { recursive: true });
    const pipeline = new AccessLogPipeline(opts);
    for (const meta of await listSpooled(opts.spoolDir)) {
      await deliverBatch(pipeline.deps, meta).catch((err) =>
        opts.warn('could not deliver spooled access logs', { id: meta.id, err: String(err) }),
      );
    }
    return pipeline;
  }

  private async deliverSpool(spool: SpoolFile): Promise<string | undefined> {
    const key = await deliverBatch(this.deps, spool.meta);
    if (key !== undefined) {
      this.counts.delivered += spool.records;
      this.counts.deliveredObjects++;
      await this.recordDelivery(spool.meta.targetBucket, key);
    }
    return key;
  }

  /**
   * Logs about logs: a delivery into a bucket that has logging on is itself a write AWS logs
   * (reference §5). It comes from the log delivery service, not a client, so the fields that
   * describe a client connection (IP, requester, URI, user agent, signature, times) are `-`.
   */
  private async recordDelivery(bucket: string, key: string): Promise<void> {
    const { storage } = this.opts;
    const target = await storage.getBucket(bucket);
    const config = target && ((await storage.getBucketConfig(bucket, 'logging')) as LoggingConfig | undefined);
    const object = config && (await storage.headObject(bucket, key));
    if (!target || !config || !object) return;
    const record = serviceRecord({
      bucketOwner: target.owner.id,
      bucket,
      time: Date.now(),
      requestId: this.opts.ids.requestId(),
      operation: 'REST.PUT.OBJECT',
      key,
      httpStatus: 200,
      objectSize: object.size,
      hostId: this.opts.ids.hostId(),
      region: this.opts.region,
    });
    this.add(target, config, record);
  }

  private batchTarget(bucket: BucketInfo, config: LoggingConfig): BatchTarget {
    return {
      sourceBucket: bucket.name,
      sourceOwnerAccountId: this.opts.accountIdOf(bucket.owner.id),
      sourceRegion: bucket.region,
      targetBucket: config.targetBucket,
      targetPrefix: config.targetPrefix,
      keyFormat: effectiveKeyFormat(config),
    };
  }

  /**
   * A record S3 writes of its own accord (lifecycle actions), logged where the bucket logs: no
   * client, so the requester is `AmazonS3` and the connection fields are `-`.
   */
  acceptServiceAction(action: {
    bucket: string;
    operation: string;
    key?: string;
    versionId?: string;
    objectSize?: number;
  }): void {
    const bucket = this.opts.storage.peekBucket(action.bucket);
    const config = bucket?.config.logging as LoggingConfig | undefined;
    if (!bucket || !config) return;
    const record = serviceRecord({
      ...action,
      bucketOwner: bucket.info.owner.id,
      time: Date.now(),
      requestId: this.opts.ids.requestId(),
      hostId: this.opts.ids.hostId(),
      requester: 'AmazonS3',
      region: this.opts.region,
    });
    try {
      this.add(bucket.info, config, record);
    } catch (err) {
      this.opts.warn('access-log record failed', { err: String(err) });
    }
  }

  /** Synchronous on purpose: it runs for every request, and a promise chain here costs throughput. */
  accept(ctx: LoggedRequest): void {
    if (ctx.bucket === undefined) return;
    try {
      this.record(ctx);
    } catch (err) {
      this.opts.warn('access-log record failed', { err: String(err) });
    }
  }

  private record(ctx: LoggedRequest): void {
    const { storage } = this.opts;
    const buckets = new Map<string, { info?: BucketInfo; config?: LoggingConfig }>();
    let anyLogging = false;
    for (const name of [ctx.bucket!, ...ctx.extraRecords.map((r) => r.bucket)]) {
      if (buckets.has(name)) continue;
      const bucket = storage.peekBucket(name) ?? (name === ctx.bucket ? ctx.deletedBucket : undefined);
      const config = bucket?.config.logging as LoggingConfig | undefined;
      anyLogging ||= config !== undefined;
      buckets.set(name, { info: bucket?.info, config });
    }
    // Most requests touch no logging bucket and nobody watches: stop before building anything.
    if (!anyLogging && !this.tail.active) return;
    const records = recordsFromContext(ctx, (b) => buckets.get(b)?.info?.owner.id, this.opts.region);
    // Each record goes to the configuration of its own bucket (a copy's source may log elsewhere).
    for (const record of records) {
      const { info: bucket, config } = buckets.get(record.bucket) ?? {};
      if (bucket && config) this.add(bucket, config, record);
      else if (this.tail.active)
        this.tail.publish({ line: formatRecord(record, this.opts.fieldSet), record, delivered: false });
    }
  }

  /** Spools one record for its target and shows it to live subscribers. */
  private add(bucket: BucketInfo, config: LoggingConfig, record: AccessLogRecord): void {
    const line = formatRecord(record, this.opts.fieldSet);
    this.batcher.add(this.batchTarget(bucket, config), record.time, line);
    this.counts.captured++;
    if (this.tail.active) this.tail.publish({ line, record, delivered: true });
  }

  /**
   * Runs `then` once the records accepted so far are in the spool (at the end of this turn of the
   * event loop, when any were queued); without `then`, writes them now.
   */
  whenSpooled(then?: () => void): void {
    if (then) this.batcher.afterWrites(then);
    else this.batcher.writeQueued();
  }

  /** Records spooled and waiting for their batch's delivery. */
  pending(): { records: number; bytes: number } {
    return this.batcher.pending();
  }

  /** Delivers pending records now (all, or one source bucket's). */
  async flush(sourceBucket?: string): Promise<FlushResult> {
    // Let requests that just finished reach accept() before collecting.
    await new Promise((r) => setImmediate(r));
    const delivered = await this.batcher.flush(sourceBucket);
    return {
      records: delivered.reduce((n, d) => n + d.records, 0),
      objects: delivered.length,
      keys: delivered.map((d) => d.key),
    };
  }

  async close(): Promise<void> {
    await this.flush();
    await this.batcher.settle();
  }
}
