import { createHash } from 'node:crypto';
import { md5hex, randomBody, type Ledger, type RawS3, type Res, sleep } from './crash-s3.js';

/**
 * One sequential client with a key space of its own (`prefix` + k0..kN): PUT, GET, HEAD, LIST,
 * DELETE and multipart uploads, each answer checked against what this client knows it wrote.
 * Because nobody else writes its keys and it has one request in flight at a time, a key's
 * content is exactly its last acknowledged write, or (after a failed or killed write) that
 * write's new content. Used by the crash rounds (background load up to the kill) and the soak.
 */

export type Kind = 'put' | 'get' | 'head' | 'list' | 'delete' | 'multipart';

export interface KeyWorkerOptions {
  bucket: string;
  prefix: string;
  keys: number;
  /** Largest single PUT body. */
  maxSize: number;
  weights: Partial<Record<Kind, number>>;
  /** Chance that a multipart upload has a 5 MiB first part (else one small part). */
  bigPartChance: number;
  /** Chance that a multipart upload is aborted instead of completed. */
  abortChance: number;
  rand: () => number;
}

/** A key's content (MD5 and size), or null for no object. */
export type Version = { md5: string; size: number } | null;

interface KeyState {
  acked: Version;
  /** Contents a write that got no complete answer may have left. */
  pending?: Version[];
}

const FIVE_MIB = 5 * 1024 * 1024;
const same = (a: Version, b: Version): boolean =>
  a === null ? b === null : b !== null && a.md5 === b.md5 && a.size === b.size;
const show = (v: Version): string => (v === null ? 'absent' : `${v.md5.slice(0, 8)}/${v.size}B`);

export class KeyWorker {
  readonly errors: string[] = [];
  readonly counts: Record<string, number> = {};
  private readonly state = new Map<string, KeyState>();
  private readonly keyNames: string[];
  private upload?: { key: string; uploadId: string; version?: Version };
  private readonly kinds: [Kind, number][];
  private readonly total: number;

  constructor(
    private readonly s3: () => RawS3,
    private readonly ledger: Ledger,
    readonly o: KeyWorkerOptions,
  ) {
    this.keyNames = Array.from({ length: o.keys }, (_, i) => `${o.prefix}k${i}`);
    for (const k of this.keyNames) this.state.set(k, { acked: null });
    this.kinds = Object.entries(o.weights).filter(([, w]) => (w ?? 0) > 0) as [Kind, number][];
    this.total = this.kinds.reduce((n, [, w]) => n + w, 0);
  }

  get opsDone(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  private error(msg: string): void {
    if (this.errors.length < 200) this.errors.push(`${this.o.prefix}: ${msg}`);
    else if (this.errors.length === 200) this.errors.push(`${this.o.prefix}: (further errors not kept)`);
  }

  private status(res: Res, ok: number[], what: string): boolean {
    if (ok.includes(res.status)) return true;
    this.error(`${what}: unexpected HTTP ${res.status} ${res.code ?? ''} (request ${res.requestId})`);
    return false;
  }

  /** Runs until `stop()` or a kill (ledger frozen); a failure while no kill happened is an error. */
  async run(stop: () => boolean): Promise<void> {
    while (!stop() && !this.ledger.frozen) {
      try {
        await this.step();
      } catch (err) {
        if (this.ledger.frozen) return;
        this.error(`request failed: ${String(err)}`);
        await sleep(20);
      }
    }
  }

  private pick(): Kind {
    let r = this.o.rand() * this.total;
    for (const [k, w] of this.kinds) {
      r -= w;
      if (r < 0) return k;
    }
    return this.kinds[this.kinds.length - 1]![0];
  }

  private candidates(key: string): Version[] {
    const st = this.state.get(key)!;
    return [st.acked, ...(st.pending ?? [])];
  }

  async step(): Promise<void> {
    const kind = this.pick();
    const key = this.keyNames[Math.floor(this.o.rand() * this.keyNames.length)]!;
    const st = this.state.get(key)!;
    const { bucket } = this.o;
    const s3 = this.s3();
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    switch (kind) {
      case 'put': {
        const size = Math.floor(this.o.rand() ** 3 * this.o.maxSize);
        const { buf, md5 } = randomBody(size);
        const v: Version = { md5, size };
        st.pending = [...(st.pending ?? []), v];
        const res = await s3.put(bucket, key, buf);
        if (!this.status(res, [200], `PUT ${key}`)) return;
        const etag = String(res.headers.etag ?? '');
        if (etag !== `"${md5}"`) this.error(`PUT ${key}: ETag ${etag}, sent MD5 ${md5}`);
        st.acked = v;
        st.pending = undefined;
        return;
      }
      case 'get': {
        const res = await s3.get(bucket, key);
        if (!this.status(res, [200, 404], `GET ${key}`)) return;
        const seen: Version = res.status === 200 ? { md5: res.md5, size: res.size } : null;
        if (res.status === 404 && res.code !== 'NoSuchKey') this.error(`GET ${key}: 404 with code ${res.code}`);
        if (!this.candidates(key).some((c) => same(c, seen)))
          this.error(`GET ${key}: got ${show(seen)}, expected ${this.candidates(key).map(show).join(' or ')}`);
        return;
      }
      case 'head': {
        const res = await s3.head(bucket, key);
        if (!this.status(res, [200, 404], `HEAD ${key}`)) return;
        const cands = this.candidates(key);
        if (res.status === 404 && !cands.includes(null))
          this.error(`HEAD ${key}: 404, expected ${cands.map(show).join(' or ')}`);
        if (res.status === 200) {
          const len = Number(res.headers['content-length']);
          if (!cands.some((c) => c !== null && c.size === len))
            this.error(`HEAD ${key}: Content-Length ${len}, expected ${cands.map(show).join(' or ')}`);
        }
        return;
      }
      case 'delete': {
        st.pending = [...(st.pending ?? []), null];
        const res = await s3.del(bucket, key);
        if (!this.status(res, [204], `DELETE ${key}`)) return;
        st.acked = null;
        st.pending = undefined;
        return;
      }
      case 'list': {
        const { res, entries } = await s3.list(bucket, this.o.prefix);
        if (!this.status(res, [200], `LIST ${this.o.prefix}`)) return;
        const listed = new Map(entries.map((e) => [e.key, e]));
        for (const e of entries)
          if (!this.state.has(e.key)) this.error(`LIST ${this.o.prefix}: lists ${e.key}, never written`);
        for (const k of this.keyNames) {
          const cands = this.candidates(k);
          const e = listed.get(k);
          if (cands.every((c) => c === null) && e) this.error(`LIST: lists deleted key ${k}`);
          if (cands.every((c) => c !== null) && !e) this.error(`LIST: misses ${k} (${cands.map(show).join(' or ')})`);
          if (e && !cands.some((c) => c !== null && c.size === e.size))
            this.error(`LIST: ${k} size ${e.size}, expected ${cands.map(show).join(' or ')}`);
        }
        return;
      }
      case 'multipart':
        await this.multipart(s3, key, st);
        return;
    }
  }

  private async multipart(s3: RawS3, key: string, st: KeyState): Promise<void> {
    const { bucket } = this.o;
    const { res: created, uploadId } = await s3.createUpload(bucket, key);
    if (!this.status(created, [200], `CreateMultipartUpload ${key}`) || !uploadId) return;
    this.upload = { key, uploadId };
    const sizes =
      this.o.rand() < this.o.bigPartChance
        ? [FIVE_MIB, 1 + Math.floor(this.o.rand() * 65536)]
        : [1 + Math.floor(this.o.rand() * 65536)];
    const parts: [number, string][] = [];
    const whole = createHash('md5');
    let size = 0;
    for (let i = 0; i < sizes.length; i++) {
      const { buf, md5 } = randomBody(sizes[i]!);
      whole.update(buf);
      size += buf.length;
      const res = await s3.uploadPart(bucket, key, uploadId, i + 1, buf);
      if (!this.status(res, [200], `UploadPart ${key} #${i + 1}`)) return;
      const etag = String(res.headers.etag ?? '');
      if (etag !== `"${md5}"`) this.error(`UploadPart ${key}: ETag ${etag}, sent MD5 ${md5}`);
      parts.push([i + 1, etag]);
    }
    if (this.o.rand() < this.o.abortChance) {
      const res = await s3.abort(bucket, key, uploadId);
      if (!this.status(res, [204], `AbortMultipartUpload ${key}`)) return;
      this.upload = undefined;
      await this.expectNotListed(s3, key, uploadId, 'aborted');
      return;
    }
    const v: Version = { md5: whole.digest('hex'), size };
    this.upload.version = v;
    st.pending = [...(st.pending ?? []), v];
    const res = await s3.complete(bucket, key, uploadId, parts);
    if (!this.status(res, [200], `CompleteMultipartUpload ${key}`)) return;
    if (!res.body?.toString('utf8').includes('<CompleteMultipartUploadResult'))
      this.error(`CompleteMultipartUpload ${key}: 200 without a result: ${res.body?.toString('utf8').slice(0, 200)}`);
    st.acked = v;
    st.pending = undefined;
    this.upload = undefined;
    await this.expectNotListed(s3, key, uploadId, 'completed');
  }

  private async expectNotListed(s3: RawS3, key: string, uploadId: string, how: string): Promise<void> {
    const { res, uploads } = await s3.listUploads(this.o.bucket, key);
    if (!this.status(res, [200], `ListMultipartUploads ${key}`)) return;
    if (uploads.some((u) => u.uploadId === uploadId))
      this.error(`ListMultipartUploads still lists ${how} upload ${uploadId} of ${key}`);
  }

  /**
   * After a restart: every key holds its last acknowledged content or what a write in flight at
   * the kill sent, whole; an upload whose completion was in flight is gone if its object landed.
   * Returns violations and settles every key's state to what is there now.
   */
  async verifyAfterCrash(s3: RawS3): Promise<string[]> {
    const violations: string[] = [];
    const seenByKey = new Map<string, Version>();
    for (const key of this.keyNames) {
      const st = this.state.get(key)!;
      const res = await s3.get(this.o.bucket, key);
      if (res.status !== 200 && res.status !== 404) {
        violations.push(`${key}: GET after restart answered ${res.status} ${res.code ?? ''}`);
        continue;
      }
      const seen: Version = res.status === 200 ? { md5: md5hex(res.body!), size: res.size } : null;
      seenByKey.set(key, seen);
      const cands = [st.acked, ...(st.pending ?? [])];
      if (!cands.some((c) => same(c, seen)))
        violations.push(
          `${key}: after restart holds ${show(seen)}, expected ${cands.map(show).join(' or ')} (acked: ${show(st.acked)})`,
        );
      st.acked = seen;
      st.pending = undefined;
    }
    if (this.upload) {
      const { key, uploadId, version } = this.upload;
      const { res, uploads } = await s3.listUploads(this.o.bucket, key);
      const listed = res.status === 200 && uploads.some((u) => u.uploadId === uploadId);
      if (version !== undefined && seenByKey.has(key) && same(seenByKey.get(key)!, version)) {
        if (listed) violations.push(`${key}: upload ${uploadId} completed (object landed) but is still listed`);
      } else if (listed) {
        await s3.abort(this.o.bucket, key, uploadId);
      }
      this.upload = undefined;
    }
    return violations;
  }

  /** Upload id whose completion was in flight at the kill (for on-disk checks), if any. */
  get inflightUpload(): { key: string; uploadId: string } | undefined {
    return this.upload;
  }
}
