import type { ObjectMeta, Storage } from '../../storage/storage.js';
import { isLocked } from '../protocol/object-lock.js';
import { dueAt, type LifecycleRule, needsTags, ruleSelects } from './rules.js';

/** One lifecycle action, as the access log records it (S3.EXPIRE.OBJECT, S3.CREATE.DELETEMARKER, S3.DELETE.UPLOAD). */
export interface LifecycleAction {
  operation: 'S3.EXPIRE.OBJECT' | 'S3.CREATE.DELETEMARKER' | 'S3.DELETE.UPLOAD';
  bucket: string;
  key: string;
  versionId?: string;
  objectSize?: number;
}

export interface LifecyclePassResult {
  expired: number;
  deleteMarkers: number;
  noncurrentExpired: number;
  uploadsAborted: number;
}

/**
 * Runs the lifecycle rules of every bucket, as S3 does once a day: Expiration (days or date; in a
 * versioned bucket a delete marker, and ExpiredObjectDeleteMarker), NoncurrentVersionExpiration
 * (NoncurrentDays, NewerNoncurrentVersions) and AbortIncompleteMultipartUpload. Transitions are
 * stored but change nothing (one storage class here). Each action is reported for the access log.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
 */
export class LifecycleRunner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<LifecyclePassResult>;

  constructor(
    private readonly storage: Storage,
    private readonly dayMs: number,
    private readonly report: (action: LifecycleAction) => void,
    private readonly warn: (msg: string, detail: object) => void,
  ) {}

  /** A pass every lifecycle day (unref'd: it never keeps the process alive). */
  start(): void {
    this.timer = setInterval(() => {
      this.runPass().catch((err: unknown) => this.warn('lifecycle pass failed', { err: String(err) }));
    }, this.dayMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One pass over every bucket now; concurrent callers share the pass in progress. */
  runPass(now = Date.now()): Promise<LifecyclePassResult> {
    this.running ??= this.pass(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(now: number): Promise<LifecyclePassResult> {
    const result: LifecyclePassResult = { expired: 0, deleteMarkers: 0, noncurrentExpired: 0, uploadsAborted: 0 };
    for (const bucket of await this.storage.listBuckets()) {
      const rules = ((await this.storage.getBucketConfig(bucket.name, 'lifecycle')) ?? []).filter(
        (r) => r.status === 'Enabled',
      );
      if (rules.length === 0) continue;
      const versioning = await this.storage.getBucketConfig(bucket.name, 'versioning');
      if (versioning) await this.versionedPass(bucket.name, rules, now, result);
      else await this.currentPass(bucket.name, rules, now, result);
      await this.uploadPass(bucket.name, rules, now, result);
    }
    return result;
  }

  private async selects(bucket: string, rule: LifecycleRule, meta: ObjectMeta): Promise<boolean> {
    if (!needsTags(rule)) return ruleSelects(rule, meta);
    const full = meta.tags === undefined ? await this.storage.headObject(bucket, meta.key, meta.versionId) : meta;
    return full !== undefined && ruleSelects(rule, full);
  }

  /** Unversioned bucket: expired objects are deleted. */
  private async currentPass(bucket: string, rules: LifecycleRule[], now: number, result: LifecyclePassResult) {
    let after: string | undefined;
    for (;;) {
      const page = await this.storage.listObjects(bucket, { prefix: '', after, maxKeys: 1000 });
      for (const summary of page.contents) {
        const meta = { ...summary, userMetadata: {}, checksums: {} } as ObjectMeta;
        const rule = await this.firstExpiring(bucket, rules, meta, now);
        if (!rule) continue;
        await this.storage.deleteObject(bucket, summary.key);
        this.report({ operation: 'S3.EXPIRE.OBJECT', bucket, key: summary.key, objectSize: summary.size });
        result.expired++;
      }
      if (!page.isTruncated) return;
      after = page.lastReturned;
    }
  }

  private async firstExpiring(bucket: string, rules: LifecycleRule[], meta: ObjectMeta, now: number) {
    for (const rule of rules) {
      const e = rule.expiration;
      if (!e || (e.days === undefined && e.date === undefined)) continue;
      if (dueAt(meta.lastModified, e.days, e.date, this.dayMs) > now) continue;
      if (await this.selects(bucket, rule, meta)) return rule;
    }
    return undefined;
  }

  /** Versioned bucket: current versions get delete markers; noncurrent ones and lone markers expire. */
  private async versionedPass(bucket: string, rules: LifecycleRule[], now: number, result: LifecyclePassResult) {
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    const byKey = new Map<string, ObjectMeta[]>();
    for (;;) {
      const page = await this.storage.listObjectVersions(bucket, {
        prefix: '',
        keyMarker,
        versionIdMarker,
        maxKeys: 1000,
      });
      for (const v of page.versions) byKey.set(v.meta.key, [...(byKey.get(v.meta.key) ?? []), v.meta]);
      if (!page.isTruncated) break;
      keyMarker = page.nextKeyMarker;
      versionIdMarker = page.nextVersionIdMarker;
    }
    for (const [key, versions] of byKey) {
      // Newest first: versions[0] is current; a version became noncurrent when the next newer one was made.
      const current = versions[0];
      if (!current) continue;
      if (!current.deleteMarker && (await this.firstExpiring(bucket, rules, current, now))) {
        const marker = await this.storage.deleteObject(bucket, key);
        this.report({ operation: 'S3.CREATE.DELETEMARKER', bucket, key, versionId: marker.versionId });
        result.deleteMarkers++;
        continue;
      }
      const kept = await this.expireNoncurrent(bucket, key, rules, versions, now, result);
      if (
        current.deleteMarker &&
        kept === 0 &&
        rules.some((r) => r.expiration?.expiredObjectDeleteMarker && ruleSelects(r, current))
      ) {
        await this.storage.deleteObject(bucket, key, current.versionId ?? 'null');
        this.report({ operation: 'S3.EXPIRE.OBJECT', bucket, key, versionId: current.versionId ?? 'null' });
        result.expired++;
      }
    }
  }

  /** Expires noncurrent versions per rule; returns how many noncurrent versions remain. */
  private async expireNoncurrent(
    bucket: string,
    key: string,
    rules: LifecycleRule[],
    versions: ObjectMeta[],
    now: number,
    result: LifecyclePassResult,
  ): Promise<number> {
    let remaining = versions.length - 1;
    for (let i = 1; i < versions.length; i++) {
      const version = versions[i]!;
      const noncurrentSince = versions[i - 1]!.lastModified;
      const newerNoncurrent = i - 1;
      for (const rule of rules) {
        const n = rule.noncurrentVersionExpiration;
        if (!n || n.noncurrentDays === undefined) continue;
        if (n.newerNoncurrentVersions !== undefined && newerNoncurrent < n.newerNoncurrentVersions) continue;
        if (dueAt(noncurrentSince, n.noncurrentDays, undefined, this.dayMs) > now) continue;
        if (!(await this.selects(bucket, rule, version))) continue;
        // Object Lock outranks lifecycle: a protected version is kept until its lock ends.
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-lifecycle
        if (isLocked(version, now)) break;
        await this.storage.deleteObject(bucket, key, version.versionId ?? 'null');
        this.report({
          operation: 'S3.EXPIRE.OBJECT',
          bucket,
          key,
          versionId: version.versionId ?? 'null',
          objectSize: version.deleteMarker ? undefined : version.size,
        });
        result.noncurrentExpired++;
        remaining--;
        break;
      }
    }
    return remaining;
  }

  private async uploadPass(bucket: string, rules: LifecycleRule[], now: number, result: LifecyclePassResult) {
    for (const upload of await this.storage.listMultipartUploads(bucket)) {
      const rule = rules.find(
        (r) =>
          r.abortIncompleteMultipartUpload &&
          dueAt(upload.initiated, r.abortIncompleteMultipartUpload.daysAfterInitiation, undefined, this.dayMs) <= now &&
          ruleSelects(r, { key: upload.key, size: 0, tags: upload.object.tags }),
      );
      if (!rule) continue;
      await this.storage.abortMultipartUpload(bucket, upload.uploadId);
      this.report({ operation: 'S3.DELETE.UPLOAD', bucket, key: upload.key });
      result.uploadsAborted++;
    }
  }
}
