import { mkdir } from 'node:fs/promises';
import type { Storage } from '../storage/storage.js';
import type { RequestContext } from '../server/s3/context.js';
import { Batcher } from './batcher.js';
import { recordsFromContext } from './context-records.js';
import { deliverBatch, type DeliveryDeps } from './delivery.js';
import { formatRecord } from './format.js';
import { effectiveKeyFormat, type LoggingConfig } from './logging-config.js';
import type { AccessLogFieldSet } from './record.js';
import { listSpooled, SpoolFile, writeMetaAtomic, type BatchMeta } from './spool.js';
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
  mayDeliver: (meta: BatchMeta) => Promise<boolean>;
  warn: (msg: string, detail: object) => void;
}

export interface FlushResult { records: number; objects: number; keys: string[] }

/**
 * The access-log pipeline: request context → records → formatted lines → spooled batch per target
 * → log object in the target bucket. `accept` is called for every finished request.
 */
export class AccessLogPipeline {
  private readonly batcher: Batcher;
  private readonly deps: DeliveryDeps;
  private readonly pending = new Set<Promise<void>>();

  private constructor(private readonly opts: PipelineOptions) {
    const unique = createUniqueStringSource(opts.uniqueSeed);
    this.deps = {
      storage: opts.storage,
      spoolDir: opts.spoolDir,
      nextUniqueString: () => unique.next(),
      now: Date.now,
      mayDeliver: opts.mayDeliver,
      warn: opts.warn,
      markDelivering: async () => undefined,
    };
    this.batcher = new Batcher(opts.spoolDir, opts.flushIntervalMs, (spool) => this.deliverSpool(spool),
      (err) => opts.warn('access-log delivery failed', { err: String(err) }));
  }

  /** Opens the spool and delivers whatever an earlier run left in it. */
  static async start(opts: PipelineOptions): Promise<AccessLogPipeline> {
    await mkdir(opts.spoolDir, { recursive: true });
    const pipeline = new AccessLogPipeline(opts);
    for (const meta of await listSpooled(opts.spoolDir)) {
      await deliverBatch({ ...pipeline.deps, markDelivering: (m, key) => writeMetaAtomic(opts.spoolDir, { ...m, deliveringKey: key }) }, meta)
        .catch((err) => opts.warn('could not deliver spooled access logs', { id: meta.id, err: String(err) }));
    }
    return pipeline;
  }

  private deliverSpool(spool: SpoolFile): Promise<string | undefined> {
    return deliverBatch({ ...this.deps, markDelivering: (_m, key) => spool.markDelivering(key) }, spool.meta);
  }

  accept(ctx: RequestContext): void {
    if (ctx.bucket === undefined) return;
    const job = this.record(ctx).catch((err) => this.opts.warn('access-log record failed', { err: String(err) }));
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }

  private async record(ctx: RequestContext): Promise<void> {
    const { storage } = this.opts;
    const owners = new Map<string, string | undefined>();
    const lookups = new Set([ctx.bucket!, ...ctx.extraRecords.map((r) => r.bucket)]);
    for (const b of lookups) owners.set(b, (await storage.getBucket(b))?.owner.id);
    const records = recordsFromContext(ctx, (b) => owners.get(b), this.opts.region);
    // Each record goes to the configuration of its own bucket (a copy's source may log elsewhere).
    for (const record of records) {
      const bucket = await storage.getBucket(record.bucket);
      const config = bucket && (await storage.getBucketConfig(record.bucket, 'logging')) as LoggingConfig | undefined;
      if (!bucket || !config) continue;
      this.batcher.add({
        sourceBucket: bucket.name,
        sourceOwnerAccountId: this.opts.accountIdOf(bucket.owner.id),
        sourceRegion: bucket.region,
        targetBucket: config.targetBucket,
        targetPrefix: config.targetPrefix,
        keyFormat: effectiveKeyFormat(config),
      }, record.time, formatRecord(record, this.opts.fieldSet));
    }
  }

  /** Delivers pending records now (all, or one source bucket's). */
  async flush(sourceBucket?: string): Promise<FlushResult> {
    // Let requests that just finished reach accept() before collecting.
    await new Promise((r) => setImmediate(r));
    while (this.pending.size > 0) await Promise.all([...this.pending]);
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
