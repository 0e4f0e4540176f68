import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Storage } from '../storage/storage.js';
import { logObjectKey } from './object-key.js';
import { type BatchMeta, type DeliveryTarget, markDelivering, removeSpooled, spoolLogPath } from './spool.js';

export interface DeliveryDeps {
  storage: Storage;
  spoolDir: string;
  nextUniqueString: () => string;
  now: () => number;
  /** Whether the target allows the logging service to write (always true when lenient). */
  mayDeliver: (target: DeliveryTarget) => Promise<boolean>;
  warn: (msg: string, detail: object) => void;
}

/**
 * Publishes one spooled batch as a log object in its target bucket, straight through storage
 * (not HTTP), then removes the spool. Exactly once across crashes: the key is fixed before the
 * write, and a replayed batch whose object already exists is only cleaned up.
 * Returns the log object key, or undefined when nothing was delivered.
 */
export async function deliverBatch(deps: DeliveryDeps, meta: BatchMeta): Promise<string | undefined> {
  const { storage, spoolDir } = deps;
  const path = spoolLogPath(spoolDir, meta.id);
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  const target = await storage.getBucket(meta.targetBucket);
  if (size === 0 || !target) {
    // AWS drops the records of a target bucket that no longer exists.
    if (size > 0)
      deps.warn('access-log target bucket is gone; records dropped', {
        source: meta.sourceBucket,
        target: meta.targetBucket,
      });
    await removeSpooled(spoolDir, meta.id);
    return undefined;
  }
  if (!(await deps.mayDeliver(meta))) {
    deps.warn('target bucket policy does not allow logging.s3.amazonaws.com to write; records dropped', {
      source: meta.sourceBucket,
      target: meta.targetBucket,
    });
    await removeSpooled(spoolDir, meta.id);
    return undefined;
  }
  // A target with an Object Lock default retention gets no logs on AWS (reference §6; AWS's
  // troubleshooting page: "Object Lock blocks server access log delivery").
  if (storage.peekBucket(meta.targetBucket)?.config.objectLock?.rule) {
    deps.warn('target bucket has an Object Lock default retention; records dropped', {
      source: meta.sourceBucket,
      target: meta.targetBucket,
    });
    await removeSpooled(spoolDir, meta.id);
    return undefined;
  }
  let key = meta.deliveringKey;
  if (key !== undefined && (await storage.headObject(meta.targetBucket, key))) {
    await removeSpooled(spoolDir, meta.id);
    return key;
  }
  if (key === undefined) {
    key = await freshKey(deps, meta);
    await markDelivering(spoolDir, meta, key);
  }
  const body = createReadStream(path, { end: size - 1 });
  await storage
    .putObject(
      meta.targetBucket,
      key,
      body,
      {
        // Undocumented by AWS (reference §5): text/plain is what the records are.
        contentType: 'text/plain',
        userMetadata: {},
        owner: target.owner,
      },
      { checksumAlgorithms: [], contentLength: size },
    )
    .finally(() => body.destroy());
  await removeSpooled(spoolDir, meta.id);
  return key;
}

/**
 * A log object key that names no existing object: a delivered log is never overwritten, even
 * when a restarted `--deterministic` run repeats the unique strings of the run before it.
 */
async function freshKey(deps: DeliveryDeps, meta: BatchMeta): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const key = logObjectKey({
      targetPrefix: meta.targetPrefix,
      format: meta.keyFormat,
      deliveryTime: deps.now(),
      eventTime: meta.firstEventTime,
      sourceAccountId: meta.sourceOwnerAccountId,
      sourceRegion: meta.sourceRegion,
      sourceBucket: meta.sourceBucket,
      uniqueString: deps.nextUniqueString(),
    });
    if (attempt >= 1000 || !(await deps.storage.headObject(meta.targetBucket, key))) return key;
  }
}
