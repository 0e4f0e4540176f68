import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCliServer, stopCliServer } from './child-server.js';
import { Ledger, RawS3, rng, sleep } from './crash-s3.js';
import { KeyWorker } from './key-worker.js';
import { checkLogs, type LogCheck, LogReader } from './log-check.js';

/**
 * Soak: many sequential clients (each with its own keys, see KeyWorker) mixing PUT, GET, HEAD,
 * LIST, DELETE and multipart uploads (occasionally with a 5 MiB part) against one
 * `node dist/server/cli.js` whose source buckets log into a target bucket. Samples the server's
 * RSS and open descriptors; at the end flushes and checks that every acknowledged request's
 * record was delivered exactly once, that no answer was a 5xx or otherwise unexpected, and that
 * RSS and descriptors did not grow. Used by scripts/soak.mjs and test/integration/soak.test.ts.
 */

export interface SoakOptions {
  seconds: number;
  clients: number;
  /** Sampling period (default: seconds/30, between 1 and 5 s). */
  sampleEveryMs?: number;
  /** Chance that a multipart upload carries a 5 MiB part (default 0.1). */
  bigPartChance?: number;
  seed?: number;
  keep?: boolean;
  /** Progress lines (one per sample). */
  log?: (msg: string) => void;
}

export interface Sample {
  /** Seconds since the load started. */
  t: number;
  rssMiB: number;
  fds: number;
  /** Requests answered so far. */
  ops: number;
  /** Taken while no request was in flight (after the warm-up, and at the end). */
  quiet?: boolean;
}

export interface SoakResult {
  ok: boolean;
  seconds: number;
  clients: number;
  samples: Sample[];
  /** 5xx, unexpected statuses, wrong content, failed requests, leftovers, log violations. */
  errors: string[];
  /** RSS/fd bound violations. */
  growth: string[];
  rss: { at20: Sample; final: Sample; bound: number };
  fds: { start: Sample; final: Sample; bound: number };
  requests: number;
  counts: Record<string, number>;
  log: LogCheck;
  logObjects: number;
  dataDir: string;
}

async function sampleOf(pid: number, t: number, ops: number): Promise<Sample> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
  const fds = (await readdir(`/proc/${pid}/fd`)).length;
  return { t, rssMiB: rssKb / 1024, fds, ops };
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const log = o.log ?? (() => undefined);
  const root = await mkdtemp(join(tmpdir(), 's3scribe-soak-'));
  const dataDir = join(root, 'data');
  const server = await startCliServer(['--data-dir', dataDir, '--log-level', 'warn']);
  const pid = server.proc.pid!;
  const ledger = new Ledger(false);
  const s3 = new RawS3(server.url, ledger, o.clients + 4);
  const rand = rng(o.seed ?? Math.floor(Math.random() * 2 ** 31));
  const errors: string[] = [];
  const sources = ['soak-a', 'soak-b'];
  let ok = false;
  try {
    for (const b of ['soak-logs', ...sources]) {
      const res = await s3.createBucket(b);
      if (res.status !== 200) throw new Error(`CreateBucket ${b}: ${res.status}`);
    }
    for (const b of sources) {
      const res = await s3.putLogging(b, 'soak-logs', `${b}/`);
      if (res.status !== 200) throw new Error(`PutBucketLogging ${b}: ${res.status}`);
      ledger.loggingBuckets.add(b);
    }
    const workers = Array.from(
      { length: o.clients },
      (_, i) =>
        new KeyWorker(() => s3, ledger, {
          bucket: sources[i % sources.length]!,
          prefix: `c${i}/`,
          keys: 16,
          maxSize: 64 * 1024,
          weights: { put: 30, get: 30, head: 5, list: 10, delete: 10, multipart: 3 },
          bigPartChance: o.bigPartChance ?? 0.1,
          abortChance: 0.1,
          rand,
        }),
    );
    const answered = (): number => s3.answered;
    const every = o.sampleEveryMs ?? Math.min(5000, Math.max(1000, (o.seconds * 1000) / 30));
    const samples: Sample[] = [];
    const t0 = performance.now();
    const end = t0 + o.seconds * 1000;
    // Warm-up (connections opened, code paths compiled), then a quiet moment: no request in
    // flight, so the descriptor count holds only what stays open (sockets, spool, listeners).
    // The same quiet measure at the end makes the fd comparison exact rather than a matter of
    // how many uploads happen to be open at the sampled instant.
    const warmEnd = t0 + Math.min(5, Math.max(1, o.seconds * 0.05)) * 1000;
    let lastOps = 0;
    const take = async (quiet = false): Promise<Sample> => {
      const s = await sampleOf(pid, (performance.now() - t0) / 1000, answered());
      if (quiet) s.quiet = true;
      samples.push(s);
      const prev = samples[samples.length - 2];
      const rate = prev ? (s.ops - lastOps) / Math.max(0.001, s.t - prev.t) : 0;
      lastOps = s.ops;
      log(
        `t=${s.t.toFixed(0).padStart(4)} s  RSS ${s.rssMiB.toFixed(1).padStart(7)} MiB  fds ${String(s.fds).padStart(4)}  requests ${String(s.ops).padStart(8)} (${quiet ? 'quiet: no request in flight' : `${rate.toFixed(0)}/s`})`,
      );
      return s;
    };
    await Promise.all(workers.map((w) => w.run(() => performance.now() >= warmEnd)));
    await sleep(300);
    const quietStart = await take(true);
    const runs = workers.map((w) => w.run(() => performance.now() >= end));
    while (performance.now() + every < end) {
      await sleep(every);
      await take();
    }
    await Promise.all(runs);
    await sleep(300);
    const quietEnd = await take(true);
    for (const w of workers) errors.push(...w.errors);
    const counts: Record<string, number> = {};
    for (const w of workers) for (const [k, n] of Object.entries(w.counts)) counts[k] = (counts[k] ?? 0) + n;

    // Nothing in progress is left: no upload listed or on disk, tmp/ empty (trash removal is
    // in the background: give it a moment).
    for (const b of sources) {
      const { res, uploads } = await s3.listUploads(b);
      if (res.status !== 200) errors.push(`ListMultipartUploads ${b}: ${res.status}`);
      if (uploads.length) errors.push(`${b}: ${uploads.length} uploads still listed after every client finished`);
      const dirs = await readdir(join(dataDir, 'buckets', b, 'uploads')).catch(() => [] as string[]);
      if (dirs.length) errors.push(`${b}: uploads dir not empty at the end: ${dirs.slice(0, 5).join(', ')}`);
    }
    await sleep(500);
    const tmp = await readdir(join(dataDir, 'tmp')).catch(() => [] as string[]);
    if (tmp.length) errors.push(`tmp/ holds ${tmp.length} entries at the end: ${tmp.slice(0, 5).join(', ')}`);

    const upTo = ledger.tick();
    await s3.flush();
    const reader = new LogReader('soak-logs');
    const { records, violations } = await reader.read(s3);
    errors.push(...violations);
    const check = checkLogs(ledger, records, upTo);
    errors.push(...check.violations);
    const spool = (await readdir(join(dataDir, 'access-log-spool')).catch(() => [] as string[])).filter((n) =>
      /\.(json|log)$/.test(n),
    );
    if (spool.length) errors.push(`spool not empty after flush: ${spool.slice(0, 5).join(', ')}`);

    const at20 = samples.find((s) => s.t >= 0.2 * o.seconds && !s.quiet) ?? quietStart;
    const start = quietStart;
    const final = quietEnd;
    const rssBound = 1.5 * at20.rssMiB + 30;
    const fdBound = start.fds + 20;
    const growth: string[] = [];
    if (final.rssMiB > rssBound)
      growth.push(
        `RSS grew: ${final.rssMiB.toFixed(1)} MiB at the end > 1.5 × ${at20.rssMiB.toFixed(1)} MiB (t=${at20.t.toFixed(0)} s) + 30 MiB = ${rssBound.toFixed(1)} MiB`,
      );
    if (final.fds > fdBound)
      growth.push(`open fds grew: ${final.fds} at the end > ${start.fds} (t=${start.t.toFixed(0)} s) + 20`);

    const stopped = await stopCliServer(server, 15_000);
    if (stopped.forced || stopped.code !== 0) errors.push(`server did not stop cleanly: ${JSON.stringify(stopped)}`);
    const warnings = `${server.stdout()}\n${server.stderr()}`
      .split('\n')
      .filter((l) => l.startsWith('{') && /"level":(4|5|6)\d/.test(l));
    for (const w of warnings.slice(0, 10)) errors.push(`server warned: ${w.slice(0, 300)}`);

    ok = errors.length === 0 && growth.length === 0;
    return {
      ok,
      seconds: o.seconds,
      clients: o.clients,
      samples,
      errors,
      growth,
      rss: { at20, final, bound: rssBound },
      fds: { start, final, bound: fdBound },
      requests: answered(),
      counts,
      log: check,
      logObjects: reader.objects,
      dataDir,
    };
  } finally {
    await s3.close();
    await stopCliServer(server, 5000).catch(() => undefined);
    if (ok || !o.keep) await rm(root, { recursive: true, force: true });
  }
}

/** RSS and descriptors over time, the bounds, and what the clients did. */
export function soakTable(r: SoakResult): string {
  const lines = ['    t (s)   RSS (MiB)   fds   requests', '  -------   ---------   ---   --------'];
  for (const s of r.samples) {
    const mark =
      s === r.rss.at20
        ? '  ← 20% of the run (RSS base)'
        : s === r.fds.start
          ? '  ← quiet, after warm-up (fd base)'
          : s === r.fds.final
            ? '  ← quiet, at the end (final)'
            : '';
    lines.push(
      `  ${s.t.toFixed(0).padStart(7)}   ${s.rssMiB.toFixed(1).padStart(9)}   ${String(s.fds).padStart(3)}   ${String(s.ops).padStart(8)}${mark}`,
    );
  }
  lines.push(
    '',
    `RSS: final ${r.rss.final.rssMiB.toFixed(1)} MiB, bound ${r.rss.bound.toFixed(1)} MiB (1.5 × ${r.rss.at20.rssMiB.toFixed(1)} + 30)`,
    `fds: final ${r.fds.final.fds}, bound ${r.fds.bound} (${r.fds.start.fds} + 20; both counted with no request in flight)`,
    `requests: ${r.requests} in ${r.seconds} s by ${r.clients} clients (${(r.requests / r.seconds).toFixed(0)}/s); client steps: ${Object.entries(
      r.counts,
    )
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    `access log: ${r.log.required} acknowledged requests checked, ${r.log.records} records in ${r.logObjects} log objects`,
    `errors: ${r.errors.length}`,
  );
  return lines.join('\n');
}
