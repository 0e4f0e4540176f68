import { createHash } from 'node:crypto';
import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, spawnCli, startCliServer, stopCliServer } from './child-server.js';
import { Ledger, type Op, RawS3, type Res, randomBody, rng, sleep, slicedStream } from './crash-s3.js';
import { KeyWorker, type Version } from './key-worker.js';
import { checkLogs, LogReader } from './log-check.js';

/**
 * Crash scenarios: a real `kill -9` of `node dist/server/cli.js` at a chosen moment, a restart
 * on the same data dir, and the invariants checked after it:
 *  - the server starts and answers health;
 *  - every key holds its old content or its new content, whole (MD5 of what was sent);
 *  - nothing leaked: `tmp/` is empty after the start, a completed upload's directory is gone and
 *    it is not listed, every upload directory on disk is a listed upload, the spool is empty after a flush;
 *  - every access-log record of a request answered in full before the kill is delivered exactly
 *    once after restart + flush (matched by x-amz-request-id); a request in flight at the kill
 *    at most once; no record twice.
 * Rounds of one scenario share a data dir: round n's restart is round n+1's server, so the checks
 * also cover a data dir that has been killed many times.
 * Used by test/integration/crash-kill9.test.ts (2–3 rounds) and scripts/crash-rounds.mjs (--rounds).
 */

const MiB = 1024 * 1024;

export interface RoundReport {
  scenario: string;
  round: number;
  ok: boolean;
  violations: string[];
  notes: string[];
  /** What the round did and how it ended (kill point, which version survived). */
  detail: string;
  ms: number;
  /** Log check figures. */
  required: number;
  optionalDelivered: number;
  optionalAbsent: number;
}

export interface Harness {
  dataDir: string;
  server: ChildServer;
  s3: RawS3;
  ledger: Ledger;
  rand: () => number;
  /** SIGKILL now (the ledger is frozen first: later answers count as in flight). Idempotent. */
  kill(): void;
  killed(): boolean;
  notes: string[];
  /** Options of the run (sizes can be scaled down). */
  opts: RunOptions;
}

export interface Scenario<S = unknown, P = unknown> {
  name: string;
  summary: string;
  flushInterval: string;
  /** Background clients (own keys on the logging bucket `data`) running until the kill. */
  chatter: number;
  /** Chance that the restart is itself killed once during start-up (spool replay, recovery). */
  startupCrashChance: number;
  setup(h: Harness): Promise<S>;
  /** Runs the workload and kills the server; returns once its own requests have settled. */
  round(h: Harness, state: S, round: number): Promise<P>;
  /** After the restart: the scenario's own invariants; returns violations. */
  verify(h: Harness, state: S, plan: P): Promise<string[]>;
  detail(plan: P): string;
}

// biome-ignore lint/suspicious/noExplicitAny: each scenario has its own state and plan types
export type AnyScenario = Scenario<any, any>;

export interface RunOptions {
  rounds: number;
  seed: number;
  /** Keep the data dir when a round fails. */
  keep?: boolean;
  /** End the run after the first round with a violation. */
  stopOnViolation?: boolean;
  /** Size of the large PUT / copy source (default 64 MiB). */
  bigSize?: number;
  /** Requests generated before the flush in log-delivery (default 1500). */
  deliveryRequests?: number;
  onRound?: (r: RoundReport) => void;
  log?: (msg: string) => void;
}

// ---- small helpers --------------------------------------------------------------------------

const show = (v: Version | undefined): string =>
  v === undefined ? '?' : v === null ? 'absent' : `${v.md5.slice(0, 8)}/${v.size}B`;
const same = (a: Version, b: Version): boolean =>
  a === null ? b === null : b !== null && a.md5 === b.md5 && a.size === b.size;

async function expectStatus(p: Promise<Res>, ok: number[], what: string): Promise<Res> {
  const res = await p;
  if (!ok.includes(res.status))
    throw new Error(`${what}: HTTP ${res.status} ${res.code ?? ''} ${res.body?.toString('utf8').slice(0, 200) ?? ''}`);
  return res;
}

async function versionOf(s3: RawS3, bucket: string, key: string): Promise<Version> {
  const res = await s3.get(bucket, key, true);
  if (res.status === 404) return null;
  if (res.status !== 200) throw new Error(`GET ${bucket}/${key}: HTTP ${res.status}`);
  return { md5: res.md5, size: res.size };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

const settle = <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);

/** Upload directories on disk that ListMultipartUploads does not list (leaked). */
async function leakedUploads(h: Harness, bucket: string): Promise<string[]> {
  const onDisk = (await readdir(join(h.dataDir, 'buckets', bucket, 'uploads')).catch(() => [] as string[])).filter(
    (n) => /^[0-9a-f]{32}$/.test(n),
  );
  if (onDisk.length === 0) return [];
  const { res, uploads } = await h.s3.listUploads(bucket);
  if (res.status !== 200) return [`ListMultipartUploads ${bucket} answered ${res.status}`];
  const listed = new Set(uploads.map((u) => u.uploadId));
  return onDisk.filter((id) => !listed.has(id)).map((id) => `${bucket}: upload dir ${id} on disk but not listed`);
}

/** Kills after `ms` unless killed before; resolves when killed. */
function killAfter(h: Harness, ms: number): Promise<void> {
  return new Promise((resolve) =>
    setTimeout(() => {
      h.kill();
      resolve();
    }, ms),
  );
}

// ---- scenarios ------------------------------------------------------------------------------

interface KeyState {
  current: Version;
  /** Measured: last body byte handed over → answer (large PUT), or Complete sent → answer. */
  ms: number;
}

/** A 64 MiB PUT streamed over a 1 MiB object; kill mid-body or 0–1.5× the commit time after the last byte. */
const largePut: Scenario<
  KeyState,
  {
    mode: 'mid-body' | 'after-body';
    at: number;
    size: number;
    old: Version;
    next: Version;
    handedAll: boolean;
    put?: Op;
    seen?: Version;
  }
> = {
  name: 'large-put',
  summary:
    'kill during a streamed 64 MiB PUT (mid-body, or 0–1.5× the measured/learned commit time after the last byte)',
  flushInterval: '1s',
  chatter: 2,
  startupCrashChance: 0.2,
  async setup(h) {
    // Calibration: how long from the last byte handed over to the answer (socket buffers, the
    // tail's hashing, the commit: not the body's size), measured on a 16 MiB PUT.
    const size = 16 * MiB;
    const first = randomBody(size);
    let last = 0;
    const body = slicedStream(first.buf, 256 * 1024, (sent) => {
      if (sent === size) last = performance.now();
    });
    await expectStatus(h.s3.put('data', 'big', body, size), [200], 'calibration PUT big');
    const ms = Math.max(2, performance.now() - last);
    const { buf, md5 } = randomBody(MiB);
    await expectStatus(h.s3.put('data', 'big', buf), [200], 'initial PUT big');
    return { current: { md5, size: buf.length }, ms };
  },
  async round(h, state) {
    const size = h.opts.bigSize ?? 64 * MiB;
    const { buf, md5 } = randomBody(size);
    const mode = h.rand() < 0.5 ? 'mid-body' : 'after-body';
    const at = mode === 'mid-body' ? 0.02 + h.rand() * 0.96 : Math.floor(h.rand() * 1.5 * state.ms);
    let handedAll = false;
    let lastByte = 0;
    let timer: Promise<void> | undefined;
    const body = slicedStream(buf, 256 * 1024, (sent) => {
      if (mode === 'mid-body' && sent >= at * size) h.kill();
      if (sent === size) {
        handedAll = !h.killed();
        lastByte = performance.now();
        if (mode === 'after-body') timer = killAfter(h, at);
      }
    });
    // Some chatter first, so acknowledged requests sit right before the kill.
    await sleep(50);
    const res = await settle(h.s3.put('data', 'big', body, size));
    if (res?.entry.state === 'acked' && lastByte) state.ms = (state.ms + (performance.now() - lastByte)) / 2;
    if (!h.killed() && timer === undefined) h.kill();
    await timer;
    return { mode, at, size, old: state.current, next: { md5, size }, handedAll, put: res?.entry };
  },
  async verify(h, state, p) {
    const v: string[] = [];
    const seen = await versionOf(h.s3, 'data', 'big');
    p.seen = seen;
    if (!same(seen, p.old) && !same(seen, p.next))
      v.push(`big holds ${show(seen)}: neither old ${show(p.old)} nor new ${show(p.next)} (torn or lost)`);
    if (p.put?.state === 'acked' && !same(seen, p.next))
      v.push(`PUT big was answered ${p.put.status} before the kill but big holds ${show(seen)}`);
    if (!p.handedAll && same(seen, p.next))
      v.push('big holds the new content although its body was never sent in full');
    // A kill after the last byte that still found the old content: the commit comes later than
    // that, so later rounds aim wider (the range keeps straddling the commit).
    if (p.mode === 'after-body' && p.handedAll && same(seen, p.old)) state.ms = Math.max(state.ms, p.at);
    state.current = seen;
    return v;
  },
  detail: (p) =>
    `${p.mode === 'mid-body' ? `kill at ${((p.at * p.size) / MiB).toFixed(1)}/${p.size / MiB} MiB` : `kill ${p.at} ms after body`}` +
    ` → ${p.seen === undefined ? '?' : same(p.seen, p.next) ? 'new' : 'old'}${p.put?.state === 'acked' ? ' (PUT acked)' : ''}`,
};

/** A new upload of `mp` with six 5 MiB parts, not completed. */
async function uploadSixParts(h: Harness): Promise<{ uploadId: string; parts: [number, string][]; next: Version }> {
  const { uploadId } = await h.s3.createUpload('data', 'mp');
  if (!uploadId) throw new Error('CreateMultipartUpload gave no UploadId');
  const parts: [number, string][] = [];
  const whole = createHash('md5');
  for (let n = 1; n <= 6; n++) {
    const { buf } = randomBody(5 * MiB);
    whole.update(buf);
    const res = await expectStatus(h.s3.uploadPart('data', 'mp', uploadId, n, buf), [200], `UploadPart ${n}`);
    parts.push([n, String(res.headers.etag)]);
  }
  return { uploadId, parts, next: { md5: whole.digest('hex'), size: 30 * MiB } };
}

/** CompleteMultipartUpload of 6×5 MiB parts; kill 0–max(200 ms, 1.3× the measured Complete time) after sending it. */
const multipartComplete: Scenario<
  KeyState,
  {
    uploadId: string;
    delay: number;
    range: number;
    old: Version;
    next: Version;
    parts: [number, string][];
    complete?: Op;
    completeMs?: number;
    outcome?: string;
  }
> = {
  name: 'multipart-complete',
  summary:
    'kill 0–max(200 ms, 1.3× the measured/learned Complete time) after sending CompleteMultipartUpload (6×5 MiB): assembly, commit or cleanup',
  flushInterval: '1s',
  chatter: 2,
  startupCrashChance: 0.2,
  async setup(h) {
    const { buf } = randomBody(1000);
    await expectStatus(h.s3.put('data', 'mp', buf), [200], 'initial PUT mp');
    // Calibration: one uncrashed completion, which also becomes the old content.
    const up = await uploadSixParts(h);
    const t0 = performance.now();
    await expectStatus(h.s3.complete('data', 'mp', up.uploadId, up.parts), [200], 'calibration Complete');
    return { current: up.next, ms: performance.now() - t0 };
  },
  async round(h, state) {
    const { uploadId, parts, next } = await uploadSixParts(h);
    const delay = Math.floor(h.rand() * Math.max(200, 1.3 * state.ms));
    const t0 = performance.now();
    const sent = h.s3.complete('data', 'mp', uploadId, parts);
    const timer = killAfter(h, delay);
    const res = await settle(sent);
    const completeMs = res ? Math.round(performance.now() - t0) : undefined;
    if (res?.entry.state === 'acked') state.ms = (state.ms + completeMs!) / 2;
    await timer;
    return {
      uploadId,
      delay,
      range: Math.round(Math.max(200, 1.3 * state.ms)),
      old: state.current,
      next,
      parts,
      complete: res?.entry,
      completeMs,
    };
  },
  async verify(h, state, p) {
    const v: string[] = [];
    const seen = await versionOf(h.s3, 'data', 'mp');
    const { uploads } = await h.s3.listUploads('data', 'mp');
    const listed = uploads.some((u) => u.uploadId === p.uploadId);
    const dir = join(h.dataDir, 'buckets', 'data', 'uploads', p.uploadId);
    const onDisk = await exists(dir);
    if (p.complete?.state === 'acked' && !same(seen, p.next))
      v.push(`Complete answered ${p.complete.status} before the kill but mp holds ${show(seen)}`);
    if (same(seen, p.next)) {
      p.outcome = 'new';
      if (listed) v.push(`completed upload ${p.uploadId} is still listed by ListMultipartUploads`);
      if (onDisk)
        v.push(`completed upload ${p.uploadId} left its directory: ${(await readdir(dir).catch(() => [])).join(',')}`);
    } else if (same(seen, p.old)) {
      p.outcome = 'old';
      // Not completed: the upload must still be whole and completable.
      if (!listed) v.push(`upload ${p.uploadId} neither completed nor listed any more (lost)`);
      else {
        const { parts } = await h.s3.listParts('data', 'mp', p.uploadId);
        if (JSON.stringify(parts) !== JSON.stringify(p.parts))
          v.push(
            `upload ${p.uploadId} parts after restart ${JSON.stringify(parts)} ≠ uploaded ${JSON.stringify(p.parts)}`,
          );
        const again = await h.s3.complete('data', 'mp', p.uploadId, p.parts);
        if (again.status !== 200)
          v.push(`completing ${p.uploadId} after the restart answered ${again.status} ${again.code ?? ''}`);
        const after = await versionOf(h.s3, 'data', 'mp');
        if (!same(after, p.next)) v.push(`after completing again mp holds ${show(after)}, expected ${show(p.next)}`);
        else p.outcome = 'old → completed after restart';
        const { uploads: still } = await h.s3.listUploads('data', 'mp');
        if (still.some((u) => u.uploadId === p.uploadId))
          v.push(`upload ${p.uploadId} still listed after completing it again`);
        if (await exists(dir)) v.push(`upload dir ${p.uploadId} left after completing it again`);
      }
    } else v.push(`mp holds ${show(seen)}: neither old ${show(p.old)} nor new ${show(p.next)}`);
    // Killed before the commit: the commit comes later than that, so later rounds aim wider.
    if (p.outcome?.startsWith('old')) state.ms = Math.max(state.ms, p.delay);
    state.current = await versionOf(h.s3, 'data', 'mp');
    return v;
  },
  detail: (p) =>
    `kill ${p.delay} of 0–${p.range} ms after Complete (${p.completeMs === undefined ? 'no answer' : `answered in ${p.completeMs} ms`}) → ${p.outcome ?? '?'}`,
};

/** CopyObject of a 64 MiB object over a small one; kill 0–2× the measured copy time after sending. */
const copyLarge: Scenario<
  { src: Version; copyMs: number },
  {
    delay: number;
    old: Version;
    copy?: Op;
    seen?: Version;
    copyMs?: number;
  }
> = {
  name: 'copy-large',
  summary: 'kill during CopyObject of a 64 MiB object (0–2× the measured/learned copy time)',
  flushInterval: '1s',
  chatter: 2,
  startupCrashChance: 0.2,
  async setup(h) {
    const { buf, md5 } = randomBody(h.opts.bigSize ?? 64 * MiB);
    await expectStatus(h.s3.put('data', 'copy-src', buf), [200], 'PUT copy-src');
    const t0 = performance.now();
    await expectStatus(h.s3.copy('data', 'copy-src', 'data', 'copy-dst'), [200], 'calibration copy');
    return { src: { md5, size: buf.length }, copyMs: Math.max(5, performance.now() - t0) };
  },
  async round(h, state) {
    const { buf, md5 } = randomBody(1 + Math.floor(h.rand() * 4096));
    await expectStatus(h.s3.put('data', 'copy-dst', buf), [200], 'PUT copy-dst (old version)');
    const delay = Math.floor(h.rand() * 2 * state.copyMs);
    const t0 = performance.now();
    const sent = h.s3.copy('data', 'copy-src', 'data', 'copy-dst');
    const timer = killAfter(h, delay);
    const res = await settle(sent);
    const copyMs = res && res.status === 200 ? performance.now() - t0 : undefined;
    await timer;
    if (copyMs !== undefined) state.copyMs = (state.copyMs + copyMs) / 2;
    return { delay, old: { md5, size: buf.length }, copy: res?.entry, copyMs };
  },
  async verify(h, state, p) {
    const v: string[] = [];
    const seen = await versionOf(h.s3, 'data', 'copy-dst');
    p.seen = seen;
    if (!same(seen, p.old) && !same(seen, state.src))
      v.push(`copy-dst holds ${show(seen)}: neither old ${show(p.old)} nor the source ${show(state.src)}`);
    if (p.copy?.state === 'acked' && p.copy.status === 200 && !same(seen, state.src))
      v.push(`CopyObject answered 200 before the kill but copy-dst holds ${show(seen)}`);
    if (same(seen, p.old)) state.copyMs = Math.max(state.copyMs, p.delay);
    const src = await versionOf(h.s3, 'data', 'copy-src');
    if (!same(src, state.src)) v.push(`copy-src changed: ${show(src)} ≠ ${show(state.src)}`);
    return v;
  },
  detail: (p) =>
    `kill ${p.delay} ms after CopyObject (${p.copyMs === undefined ? 'no answer' : `answered in ${Math.round(p.copyMs)} ms`}) → ${p.seen === undefined ? '?' : p.seen !== null && p.seen.md5 !== p.old?.md5 ? 'copy' : 'old'}`,
};

interface RacePut {
  key: string;
  v: Version;
  op?: Op;
}

/** DeleteBucket racing PUTs into the bucket (the bucket logs into `logs`); kill at a random time. */
const deleteBucketRace: Scenario<
  { n: number },
  {
    bucket: string;
    puts: RacePut[];
    deletes: Op[];
    killAt: number;
    deleteFrom: number;
    putFrom: number;
    outcome?: string;
  }
> = {
  name: 'delete-bucket-race',
  summary: 'kill while DeleteBucket races PUTs (128 KiB–2 MiB) into a logging bucket',
  flushInterval: '1s',
  chatter: 1,
  startupCrashChance: 0.2,
  async setup() {
    return { n: 0 };
  },
  async round(h, state) {
    const bucket = `race-${++state.n}-${Math.floor(h.rand() * 1e6)}`;
    await expectStatus(h.s3.createBucket(bucket), [200], `CreateBucket ${bucket}`);
    await expectStatus(h.s3.putLogging(bucket, 'logs', `race/${bucket}/`), [200], 'PutBucketLogging');
    h.ledger.loggingBuckets.add(bucket);
    const puts: RacePut[] = [];
    const deletes: Op[] = [];
    const killAt = 30 + Math.floor(h.rand() * 370);
    // Half the rounds the delete goes first and the PUTs follow 0–10 ms later (the delete can win);
    // else the PUTs go first and the delete follows 0–40 ms later (mostly BucketNotEmpty).
    const deleteFirst = h.rand() < 0.5;
    const deleteFrom = deleteFirst ? 0 : Math.floor(h.rand() * 40);
    const putFrom = deleteFirst ? Math.floor(h.rand() * 10) : 0;
    const putter = async (w: number): Promise<void> => {
      await sleep(putFrom);
      for (let i = 0; !h.killed(); i++) {
        const { buf, md5 } = randomBody(128 * 1024 + Math.floor(h.rand() * (2 * MiB - 128 * 1024)));
        const entry: RacePut = { key: `p${w}-${i}`, v: { md5, size: buf.length } };
        puts.push(entry);
        const res = await settle(h.s3.put(bucket, entry.key, buf));
        entry.op = res?.entry;
        if (res?.status === 404) await sleep(5);
      }
    };
    const deleter = async (): Promise<void> => {
      await sleep(deleteFrom);
      while (!h.killed()) {
        const res = await settle(h.s3.deleteBucket(bucket));
        if (res) deletes.push(res.entry);
        else {
          // In flight at the kill: find its ledger entry.
          const op = [...h.ledger.ops].reverse().find((o) => o.op === 'REST.DELETE.BUCKET' && o.bucket === bucket);
          if (op && !deletes.includes(op)) deletes.push(op);
        }
        if (res?.status === 204) return;
        await sleep(2 + Math.floor(h.rand() * 13));
      }
    };
    const killer = killAfter(h, killAt);
    await Promise.all([putter(0), putter(1), putter(2), putter(3), deleter(), killer]);
    // Ledger entries of PUTs that never got an answer (their promise failed).
    for (const p of puts) if (!p.op) p.op = findOp(h.ledger, bucket, 'REST.PUT.OBJECT', p.key);
    return { bucket, puts, deletes, killAt, deleteFrom, putFrom };
  },
  async verify(h, _state, p) {
    const v: string[] = [];
    const head = await h.s3.send({ method: 'HEAD', bucket: p.bucket, op: 'REST.HEAD.BUCKET', expect: 'optional' });
    const present = head.status === 200;
    if (head.status !== 200 && head.status !== 404) v.push(`HEAD ${p.bucket} after restart answered ${head.status}`);
    const deleted = p.deletes.some((d) => d.state === 'acked' && d.status === 204);
    for (const d of p.deletes)
      if (d.status !== undefined && d.status !== 204 && d.status !== 409) v.push(`DeleteBucket answered ${d.status}`);
    for (const put of p.puts)
      if (put.op?.status !== undefined && put.op.status !== 200 && put.op.status !== 404)
        v.push(`PUT ${put.key} answered ${put.op.status}`);
    const okPuts = p.puts.filter((x) => x.op?.state === 'acked' && x.op.status === 200);
    if (deleted && present)
      v.push(`DeleteBucket ${p.bucket} answered 204 before the kill, but the bucket is back after restart`);
    if (!present) {
      if (okPuts.length > 0)
        v.push(
          `${p.bucket} is gone after restart, but ${okPuts.length} PUTs into it were answered 200 (${okPuts
            .slice(0, 3)
            .map((x) => x.key)
            .join(', ')}…)`,
        );
      if (await exists(join(h.dataDir, 'buckets', p.bucket)))
        v.push(`${p.bucket} is not served but its directory is still on disk`);
      // Records of requests that ended after the delete began may be missing (the bucket and its
      // logging configuration were gone when they ended), and DeleteBucket's own.
      const cut = Math.min(...p.deletes.filter((d) => d.status === 204 || d.state !== 'acked').map((d) => d.sentAt));
      for (const op of h.ledger.ops)
        if (op.bucket === p.bucket && (op.op === 'REST.DELETE.BUCKET' || op.ackedAt === undefined || op.ackedAt > cut))
          op.expect = 'optional';
      h.ledger.loggingBuckets.delete(p.bucket);
      p.outcome = `deleted${deleted ? ' (204 acked)' : ' (delete in flight)'}`;
    } else {
      const { res, entries } = await h.s3.list(p.bucket);
      if (res.status !== 200) v.push(`LIST ${p.bucket} answered ${res.status}`);
      const sent = new Map(p.puts.map((x) => [x.key, x]));
      const listed = new Set(entries.map((e) => e.key));
      for (const x of okPuts)
        if (!listed.has(x.key)) v.push(`PUT ${x.key} answered 200 before the kill but is not listed`);
      for (const e of entries) {
        const put = sent.get(e.key);
        if (!put) {
          v.push(`${p.bucket} lists ${e.key}, never written`);
          continue;
        }
        const seen = await versionOf(h.s3, p.bucket, e.key);
        if (!same(seen, put.v)) v.push(`${p.bucket}/${e.key} holds ${show(seen)}, sent ${show(put.v)}`);
      }
      for (const x of okPuts)
        if (!listed.has(x.key)) {
          const seen = await versionOf(h.s3, p.bucket, x.key);
          if (!same(seen, x.v)) v.push(`${p.bucket}/${x.key} (acked) holds ${show(seen)}`);
        }
      v.push(...(await leakedUploads(h, p.bucket)));
      p.outcome = `survived with ${entries.length} objects`;
    }
    return v;
  },
  detail: (p) => {
    const ok = p.puts.filter((x) => x.op?.status === 200).length;
    const nsb = p.puts.filter((x) => x.op?.status === 404).length;
    const open = p.puts.filter((x) => x.op?.status === undefined).length;
    const del = p.deletes
      .map((d) => d.status ?? (d.state === 'pending' || d.state === 'failed' ? 'in-flight' : '?'))
      .join(',');
    return `PUTs from ${p.putFrom} ms, delete from ${p.deleteFrom} ms, kill at ${p.killAt} ms; PUTs 200=${ok} 404=${nsb} in-flight=${open}; DeleteBucket [${del}] → ${p.outcome ?? '?'}`;
  },
};

function findOp(ledger: Ledger, bucket: string, op: string, key: string): Op | undefined {
  const suffix = `/${bucket}/${key}`;
  for (let i = ledger.ops.length - 1; i >= 0; i--) {
    const o = ledger.ops[i]!;
    if (o.op === op && o.bucket === bucket && o.what?.endsWith(suffix)) return o;
  }
  return undefined;
}

/** Records of four source buckets spooled (interval 1 h); POST flush, kill 0–1.5× the flush time after. */
const logDelivery: Scenario<
  { flushMs: number },
  { requests: number; delay: number; flushed?: { records: number; objects: number }; flushMs?: number }
> = {
  name: 'log-delivery',
  summary:
    'kill 0–1.5× the flush time after POST /_s3scribe/logs/flush (4 source buckets, spooled records); half the restarts are killed during spool replay',
  flushInterval: '1h',
  chatter: 1,
  startupCrashChance: 0.5,
  async setup(h) {
    for (let i = 0; i < 4; i++) {
      await expectStatus(h.s3.createBucket(`src${i}`), [200], `CreateBucket src${i}`);
      await expectStatus(h.s3.putLogging(`src${i}`, 'logs', `d${i}/`), [200], 'PutBucketLogging');
      h.ledger.loggingBuckets.add(`src${i}`);
      await expectStatus(h.s3.put(`src${i}`, 'obj', Buffer.from(`object ${i}`)), [200], 'PUT obj');
    }
    const requests = h.opts.deliveryRequests ?? 1500;
    await generate(h, requests);
    const t0 = performance.now();
    await h.s3.flush();
    return { flushMs: Math.max(2, performance.now() - t0) };
  },
  async round(h, state) {
    const requests = h.opts.deliveryRequests ?? 1500;
    await generate(h, requests);
    const delay = Math.floor(h.rand() * 1.5 * state.flushMs);
    const t0 = performance.now();
    const sent = h.s3.flush();
    const timer = killAfter(h, delay);
    const flushed = await settle(sent);
    const flushMs = flushed ? performance.now() - t0 : undefined;
    if (flushMs !== undefined) state.flushMs = (state.flushMs + flushMs) / 2;
    await timer;
    return { requests, delay, flushed, flushMs };
  },
  async verify() {
    return [];
  },
  detail: (p) =>
    `${p.requests} requests, kill ${p.delay} ms after flush (${p.flushed ? `flush answered in ${Math.round(p.flushMs!)} ms: ${p.flushed.records} records, ${p.flushed.objects} objects` : 'no answer'})`,
};

/** `n` small logged requests over src0..3, 8 at a time. */
async function generate(h: Harness, n: number): Promise<void> {
  let left = n;
  const one = async (): Promise<void> => {
    while (left-- > 0) {
      const b = `src${Math.floor(h.rand() * 4)}`;
      const r = h.rand();
      const res =
        r < 0.4
          ? await h.s3.head(b, 'obj')
          : r < 0.7
            ? await h.s3.get(b, r < 0.6 ? 'obj' : 'missing')
            : await h.s3.put(b, `k${Math.floor(h.rand() * 20)}`, Buffer.from('x'.repeat(Math.floor(h.rand() * 100))));
      if (res.status >= 500) throw new Error(`${res.entry.what}: HTTP ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, one));
}

/** Six clients doing PUT/GET/HEAD/LIST/DELETE/multipart on a logging bucket, flush every 200 ms; kill at 0.3–1.5 s. */
const loggingLoad: Scenario<null, { at: number }> = {
  name: 'logging-load',
  summary: 'kill at a random time (0.3–1.5 s) under six clients on a logging bucket, deliveries every 200 ms',
  flushInterval: '200ms',
  chatter: 6,
  startupCrashChance: 0.3,
  async setup() {
    return null;
  },
  async round(h) {
    const at = 300 + Math.floor(h.rand() * 1200);
    await killAfter(h, at);
    return { at };
  },
  async verify() {
    return [];
  },
  detail: (p) => `kill at ${p.at} ms`,
};

/**
 * The sharpest timing for the spool's promise: SIGKILL from inside the client's completion of a
 * logged response (the response is complete, nothing else has run in the client yet).
 */
const killOnAnswer: Scenario<null, { armedAfter: number; victim?: Op }> = {
  name: 'kill-on-answer',
  summary: 'kill the instant a logged response has been received in full (four clients on a logging bucket)',
  flushInterval: '1s',
  chatter: 4,
  startupCrashChance: 0,
  async setup() {
    return null;
  },
  async round(h) {
    const armedAfter = 100 + Math.floor(h.rand() * 300);
    let victim: Op | undefined;
    await sleep(armedAfter);
    await new Promise<void>((resolve) => {
      const fallback = setTimeout(() => {
        h.kill();
        resolve();
      }, 5000);
      h.ledger.onAck = (op) => {
        if (op.expect !== 'required' || h.killed()) return;
        victim = op;
        h.kill();
        h.ledger.onAck = undefined;
        clearTimeout(fallback);
        resolve();
      };
    });
    h.ledger.onAck = undefined;
    return { armedAfter, victim };
  },
  async verify() {
    return [];
  },
  detail: (p) =>
    `kill on the answer to ${p.victim ? `${p.victim.what} (${p.victim.requestId})` : '(none)'} → record ${p.victim?.missingReported ? 'LOST' : 'delivered'}`,
};

export { killOnAnswer };

/**
 * PUTs and DELETEs of small objects over a pool of keys from eight clients; kill at 0.1–0.6 s.
 * After the restart the listing must agree with the objects themselves: every key it lists
 * exists with the listed ETag and size, and every key that exists is listed (the listing index
 * is committed after the object file, and a start reconciles the keys a kill caught in between).
 */
const indexChurn: Scenario<null, { at: number; writes: number }> = {
  name: 'index-churn',
  summary: 'kill at 0.1–0.6 s under eight clients putting and deleting small objects over 64 keys; listing = objects',
  flushInterval: '1s',
  chatter: 0,
  startupCrashChance: 0.2,
  async setup() {
    return null;
  },
  async round(h) {
    const at = 100 + Math.floor(h.rand() * 500);
    let writes = 0;
    const client = async (): Promise<void> => {
      while (!h.killed()) {
        const key = `churn/k${String(Math.floor(h.rand() * 64)).padStart(2, '0')}`;
        const write =
          h.rand() < 0.7 ? h.s3.put('data', key, randomBody(Math.floor(h.rand() * 4096)).buf) : h.s3.del('data', key);
        await settle(write);
        writes++;
      }
    };
    await Promise.all([...Array.from({ length: 8 }, client), killAfter(h, at)]);
    return { at, writes };
  },
  async verify(h) {
    const v: string[] = [];
    const { res, entries } = await h.s3.list('data', 'churn/');
    if (res.status !== 200) return [`ListObjectsV2 answered ${res.status}`];
    const listed = new Map(entries.map((e) => [e.key, e]));
    for (let i = 0; i < 64; i++) {
      const key = `churn/k${String(i).padStart(2, '0')}`;
      const head = await h.s3.head('data', key);
      const entry = listed.get(key);
      if (head.status === 404 && entry) v.push(`${key} is listed but does not exist`);
      if (head.status === 200 && !entry) v.push(`${key} exists but is not listed`);
      if (
        head.status === 200 &&
        entry &&
        (head.headers.etag !== entry.etag || Number(head.headers['content-length']) !== entry.size)
      )
        v.push(
          `${key} listed as ${entry.etag}/${entry.size} B but is ${String(head.headers.etag)}/${String(head.headers['content-length'])} B`,
        );
    }
    return v;
  },
  detail: (p) => `kill at ${p.at} ms after ${p.writes} writes`,
};

export const SCENARIOS: AnyScenario[] = [
  largePut,
  multipartComplete,
  copyLarge,
  deleteBucketRace,
  logDelivery,
  loggingLoad,
  killOnAnswer,
  indexChurn,
];

// ---- runner ---------------------------------------------------------------------------------

function hashName(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** pino lines (JSON, level ≥ 40) the server printed: warnings worth showing. */
function serverWarnings(child: ChildServer): string[] {
  const out: string[] = [];
  for (const line of `${child.stdout()}\n${child.stderr()}`.split('\n')) {
    if (!line.trim()) continue;
    if (line.startsWith('{')) {
      try {
        const j = JSON.parse(line) as { level?: number; msg?: string };
        if ((j.level ?? 0) >= 40) out.push(line.slice(0, 300));
      } catch {
        out.push(line.slice(0, 300));
      }
    } else if (!/listening on|SIGTERM|finishing requests/.test(line)) out.push(line.slice(0, 300));
  }
  return out;
}

export async function runScenario(sc: AnyScenario, opts: RunOptions): Promise<RoundReport[]> {
  const log = opts.log ?? (() => undefined);
  const root = await mkdtemp(join(tmpdir(), `s3scribe-crash-${sc.name}-`));
  const dataDir = join(root, 'data');
  const args = ['--data-dir', dataDir, '--log-flush-interval', sc.flushInterval, '--log-level', 'warn'];
  const rand = rng(opts.seed ^ hashName(sc.name));
  const ledger = new Ledger();
  const t0 = performance.now();
  let server = await startCliServer(args);
  const startMs = performance.now() - t0;
  let killed = false;
  const h: Harness = {
    dataDir,
    server,
    s3: new RawS3(server.url, ledger, 32),
    ledger,
    rand,
    notes: [],
    opts,
    kill() {
      if (killed) return;
      killed = true;
      ledger.freeze();
      h.server.proc.kill('SIGKILL');
    },
    killed: () => killed,
  };
  const reports: RoundReport[] = [];
  let failedAny = false;
  try {
    await expectStatus(h.s3.createBucket('logs'), [200], 'CreateBucket logs');
    await expectStatus(h.s3.createBucket('data'), [200], 'CreateBucket data');
    await expectStatus(h.s3.putLogging('data', 'logs', 'access/'), [200], 'PutBucketLogging data');
    ledger.loggingBuckets.add('data');
    const workers = Array.from(
      { length: sc.chatter },
      (_, i) =>
        new KeyWorker(() => h.s3, ledger, {
          bucket: 'data',
          prefix: `w${i}/`,
          keys: 8,
          maxSize: 64 * 1024,
          weights: { put: 4, get: 4, head: 1, list: 1, delete: 1, multipart: 0.5 },
          bigPartChance: 0,
          abortChance: 0.2,
          rand,
        }),
    );
    // Setup (and its calibrations) under the same background load as the rounds.
    let setupDone = false;
    const setupChatter = workers.map((w) => w.run(() => setupDone));
    const state = await sc.setup(h).finally(() => {
      setupDone = true;
    });
    await Promise.all(setupChatter);
    for (const w of workers)
      if (w.errors.length) throw new Error(`background load failed during setup: ${w.errors.join('; ')}`);
    const logs = new LogReader('logs');
    for (let round = 1; round <= opts.rounds; round++) {
      const r0 = performance.now();
      const violations: string[] = [];
      const notes: string[] = [];
      killed = false;
      const chatter = workers.map((w) => w.run(() => false));
      let plan: unknown;
      try {
        plan = await sc.round(h, state, round);
      } catch (err) {
        violations.push(`workload failed before the kill: ${(err as Error).message}`);
      }
      if (!killed) h.kill();
      const before = server;
      const exit = await before.exitWithin(10_000);
      if (!exit) violations.push('server did not die within 10 s of SIGKILL');
      else if (exit.signal !== 'SIGKILL') violations.push(`server ended with ${JSON.stringify(exit)} before the kill`);
      await Promise.allSettled(chatter);
      for (const w of workers) violations.push(...w.errors.splice(0));
      const warnings = serverWarnings(before);
      if (warnings.length) notes.push(...warnings.map((w) => `server said: ${w}`));
      await h.s3.close();

      if (rand() < sc.startupCrashChance) {
        const delay = Math.floor(rand() * 1.2 * startMs);
        const child = spawnCli(['--port', '0', '--log-level', 'silent', ...args]);
        await sleep(delay);
        const listening = /listening on/.test(child.stdout());
        await child.kill9();
        notes.push(`restart killed ${delay} ms after spawn (${listening ? 'already listening' : 'during start-up'})`);
      }

      ledger.thaw();
      try {
        server = await startCliServer(args);
      } catch (err) {
        violations.push(`server did not restart: ${(err as Error).message}`);
        reports.push(report(sc, round, violations, notes, '(no restart)', r0));
        opts.onRound?.(reports[reports.length - 1]!);
        failedAny = true;
        break;
      }
      h.server = server;
      h.s3 = new RawS3(server.url, ledger, 32);
      let figures = { required: 0, optionalDelivered: 0, optionalAbsent: 0 };
      try {
        const health = await h.s3.health();
        if (health !== 200) violations.push(`health answered ${health} after restart`);
        const tmp = await readdir(join(dataDir, 'tmp')).catch((e: Error) => [`(unreadable: ${e.message})`]);
        if (tmp.length) violations.push(`tmp/ not empty after restart: ${tmp.slice(0, 5).join(', ')}`);
        if (plan !== undefined) violations.push(...(await sc.verify(h, state, plan)));
        for (const w of workers) violations.push(...(await w.verifyAfterCrash(h.s3)));
        violations.push(...(await leakedUploads(h, 'data')));
        // The last verification answers were just received; let their records reach the spool
        // (F1: a record is spooled a moment after its response left) before the flush collects.
        await sleep(50);
        const upTo = ledger.tick();
        await h.s3.flush();
        const { records, violations: lv } = await logs.read(h.s3);
        violations.push(...lv);
        const check = checkLogs(ledger, records, upTo);
        violations.push(...check.violations);
        figures = check;
        const spool = (await readdir(join(dataDir, 'access-log-spool')).catch(() => [] as string[])).filter((n) =>
          /\.(json|log)$/.test(n),
        );
        if (spool.length) violations.push(`spool not empty after flush: ${spool.slice(0, 6).join(', ')}`);
      } catch (err) {
        violations.push(`verification failed: ${(err as Error).stack ?? String(err)}`);
      }
      let detail = '(workload failed)';
      try {
        if (plan !== undefined) detail = sc.detail(plan);
      } catch {}
      const rep = report(sc, round, violations, notes, detail, r0, figures);
      if (!rep.ok) failedAny = true;
      reports.push(rep);
      opts.onRound?.(rep);
      log(`${sc.name} #${round}: ${rep.ok ? 'ok' : 'VIOLATION'} ${detail}`);
      if (!rep.ok && opts.stopOnViolation) break;
    }
  } finally {
    await h.s3.close();
    await stopCliServer(server, 5000).catch(() => undefined);
    if (failedAny && opts.keep) log(`${sc.name}: data dir kept at ${dataDir}`);
    else await rm(root, { recursive: true, force: true });
  }
  return reports;
}

function report(
  sc: AnyScenario,
  round: number,
  violations: string[],
  notes: string[],
  detail: string,
  r0: number,
  figures = { required: 0, optionalDelivered: 0, optionalAbsent: 0 },
): RoundReport {
  return {
    scenario: sc.name,
    round,
    ok: violations.length === 0,
    violations,
    notes,
    detail,
    ms: Math.round(performance.now() - r0),
    required: figures.required,
    optionalDelivered: figures.optionalDelivered,
    optionalAbsent: figures.optionalAbsent,
  };
}
