#!/usr/bin/env node
// s3scribe benchmark suite.
//   npm run bench              full: 3 rounds, targets in rotating order, medians + spread
//   npm run bench -- --quick   smoke run, well under 60 s
// Options: --rounds N, --targets a,b,...  (ceiling, s3scribe, s3scribe+logging, s3rver, moto; moto
//          needs S3SCRIBE_BENCH_MOTO, the command that starts moto.server, and is then a default),
//          --build (rebuild dist/ first even if it exists), --out DIR,
//          --data-root DIR (where the servers' temp data dirs go; default: a directory on disk,
//          os.tmpdir() unless that is a tmpfs, else bench/results/data; --data-root /dev/shm for tmpfs),
//          --big-list-all (fill the 100,000-key bucket on every target, not only ceiling and s3scribe)
// Writes bench/results/<timestamp>.jsonl (one record per target × workload × round) and
// bench/results/<timestamp>.md (the tables, also printed). Exit status is non-zero only when the
// harness failed: a server died or would not start, or a request errored. Never for slow numbers.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_TARGETS,
  TARGETS,
  ServerDied,
  describeDataRoot,
  getDataRoot,
  installCleanup,
  repoRoot,
  s3scribeCli,
  setDataRoot,
  settleWriteBack,
  startTarget,
} from './servers.mjs';
import {
  bigObject,
  firstPage,
  listPages,
  logDelivery,
  multipart,
  multipartCompletion,
  prepareTarget,
  sdkSmall,
  smallObjects,
  warmup,
} from './workloads.mjs';

const MiB = 1024 * 1024;

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    targets: { type: 'string' },
    build: { type: 'boolean', default: false },
    out: { type: 'string' },
    'data-root': { type: 'string' },
    'big-list-all': { type: 'boolean', default: false },
  },
});
const quick = opts.quick;
if (opts['data-root']) setDataRoot(opts['data-root']);

/** Every count and time bound of the run. */
const cfg = quick
  ? {
      mode: 'quick',
      rounds: 1,
      concurrencies: [1, 16],
      warmupOps: 300,
      smallOps: 4000,
      smallMs: 400,
      sdkOps: 300,
      sdkMs: 300,
      listKeys: 2000,
      fillMs: 15_000,
      listPages: 100,
      listMs: 600,
      bigListKeys: 0, // quick: first page of the 2,000-key list bucket
      bigListRounds: [0],
      firstPageReps: 5,
      bigBytes: 64 * MiB,
      mpuParts: 4,
      mpuPartBytes: 5 * MiB,
      mpuReps: 2,
      mpuMs: 5000,
      mpuCompleteParts: [4, 16],
      mpuCompleteReps: 1,
      watchdogMs: 150_000,
    }
  : {
      mode: 'full',
      rounds: 3,
      concurrencies: [1, 16, 64],
      warmupOps: 2000,
      smallOps: 20_000,
      smallMs: 700,
      sdkOps: 10_000,
      sdkMs: 700,
      listKeys: 10_000,
      fillMs: 60_000,
      listPages: 300,
      listMs: 1200,
      // The 100,000-key fill (c=64, 0-byte PUTs) is the longest step by far: it runs once (round 1)
      // and only for the targets the 50 ms criterion and the ceiling ratio need (--big-list-all: all).
      bigListKeys: 100_000,
      bigListRounds: [0],
      bigListTargets: ['ceiling', 's3scribe'],
      bigFillMs: 180_000,
      firstPageReps: 7,
      bigBytes: 1024 * MiB,
      mpuParts: 8,
      mpuPartBytes: 8 * MiB,
      mpuReps: 4,
      mpuMs: 20_000,
      mpuCompleteParts: [8, 32],
      mpuCompleteReps: 3,
      watchdogMs: 25 * 60_000,
    };
if (opts['big-list-all']) cfg.bigListTargets = [...DEFAULT_TARGETS];
if (opts.rounds) cfg.rounds = Math.max(1, Math.min(10, Number(opts.rounds) || 1));
const targets = opts.targets
  ? opts.targets
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  : DEFAULT_TARGETS;
for (const t of targets) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t}; known: ${TARGETS.join(', ')}`);

// ---- labels ---------------------------------------------------------------------------------------
const fmtBytes = (b) => (b >= 1024 * MiB ? `${b / (1024 * MiB)} GiB` : `${b / MiB} MiB`);
const fmtCount = (n) => n.toLocaleString('en-US');
const firstPageKeys = cfg.bigListKeys || cfg.listKeys;

/** Row order and labels of the report; `higher` = higher is better. */
const ROWS = [
  { id: 'start', label: 'start → first healthy response', unit: 'ms', higher: false },
  ...cfg.concurrencies.flatMap((c) =>
    ['put', 'get', 'head', 'del'].map((op) => ({
      id: `${op}4k.c${c}`,
      label: `4 KiB ${op === 'del' ? 'DELETE' : op.toUpperCase()}, c=${c}`,
      unit: 'ops/s',
      higher: true,
      latency: true,
    })),
  ),
  { id: 'sdk.put4k.c16', label: 'SDK v3 PutObject 4 KiB, c=16', unit: 'ops/s', higher: true, latency: true },
  { id: 'sdk.get4k.c16', label: 'SDK v3 GetObject 4 KiB, c=16', unit: 'ops/s', higher: true, latency: true },
  {
    id: 'fill0.c64',
    label: `0 B PUT, c=64 (fill ${fmtCount(cfg.listKeys)}-key bucket)`,
    unit: 'ops/s',
    higher: true,
    latency: true,
  },
  {
    id: 'list.pages',
    label: `ListObjectsV2 pages of 1,000 over ${fmtCount(cfg.listKeys)} keys`,
    unit: 'pages/s',
    higher: true,
    latency: true,
  },
  ...(cfg.bigListKeys
    ? [
        {
          id: 'fill0big.c64',
          label: `0 B PUT, c=64 (fill ${fmtCount(cfg.bigListKeys)}-key bucket)`,
          unit: 'ops/s',
          higher: true,
          latency: true,
        },
      ]
    : []),
  {
    id: 'list.first',
    label: `ListObjectsV2 first page of ${fmtCount(firstPageKeys)} keys (median of ${cfg.firstPageReps})`,
    unit: 'ms',
    higher: false,
  },
  { id: 'big.put', label: `${fmtBytes(cfg.bigBytes)} streamed PUT`, unit: 'MiB/s', higher: true },
  { id: 'big.get', label: `${fmtBytes(cfg.bigBytes)} streamed GET`, unit: 'MiB/s', higher: true },
  {
    id: 'mpu',
    label: `multipart ${cfg.mpuParts} × ${fmtBytes(cfg.mpuPartBytes)}, 4 in flight (ceiling: ${cfg.mpuParts} plain PUTs of ${fmtBytes(cfg.mpuPartBytes)})`,
    unit: 'MiB/s',
    higher: true,
  },
  ...cfg.mpuCompleteParts.map((parts) => ({
    id: `mpuComplete.${parts}`,
    label: `CompleteMultipartUpload alone, ${parts} × ${fmtBytes(cfg.mpuPartBytes)} (median of ${cfg.mpuCompleteReps})`,
    unit: 'ms',
    higher: false,
  })),
];

// ---- targets (the acceptance criteria; marks only, never the exit status) ------------------------
const CEILING_MIN = 1.0;
const S3RVER_MIN = 2.5;
const S3RVER_ROWS = new Set(['put4k.c16', 'get4k.c16']);
const LOGGING_MIN = 0.95;
const LOGGING_ROWS = new Set(cfg.concurrencies.flatMap((c) => [`put4k.c${c}`, `get4k.c${c}`]));
const RSS_MAX_MIB = 200;
const RSS_ROWS = new Set(['big.put', 'big.get']);
const ABSOLUTE = { 'list.first': 50, start: 250 }; // ms, s3scribe
const S3SCRIBES = new Set(['s3scribe', 's3scribe+logging']);

// ---- output files --------------------------------------------------------------------------------
const stamp = new Date()
  .toISOString()
  .replace(/:/g, '-')
  .replace(/\.\d{3}Z$/, 'Z');
const outDir = opts.out ?? join(repoRoot, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const jsonlPath = join(outDir, `${stamp}${quick ? '-quick' : ''}.jsonl`);
const mdPath = join(outDir, `${stamp}${quick ? '-quick' : ''}.md`);
writeFileSync(jsonlPath, '');

const records = [];
const failures = [];
function emit(rec) {
  records.push(rec);
  appendFileSync(jsonlPath, `${JSON.stringify(rec)}\n`);
  if (rec.errors || rec.error) failures.push(rec);
  const v = rec.value === null || rec.value === undefined ? 'n/a' : `${rec.value} ${rec.unit}`;
  const lat = rec.p50Ms !== undefined && rec.p50Ms !== null ? ` p50 ${rec.p50Ms} p99 ${rec.p99Ms} ms` : '';
  const err = rec.error ? ` ERROR ${rec.error}` : rec.errors ? ` ERRORS ${rec.errors}: ${rec.errorSamples?.[0]}` : '';
  process.stderr.write(
    `[r${rec.round + 1} ${rec.target}] ${rec.workload}: ${v}${lat} rss ${rec.peakRssMiB ?? '?'} MiB load ${rec.loadavg1 ?? '?'}${err}\n`,
  );
}

// ---- build ---------------------------------------------------------------------------------------
function ensureBuilt() {
  if (!opts.build && existsSync(s3scribeCli)) return;
  process.stderr.write('bench: building dist/ (npm run build)\n');
  const r = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit', timeout: 300_000 });
  if (r.status !== 0 || !existsSync(s3scribeCli)) {
    process.stderr.write('bench: npm run build failed\n');
    process.exit(1);
  }
}

// ---- one round: every target up at once, each workload run on every target back to back ---------
// A workload's figures for the targets are taken seconds apart, not minutes: on a shared machine
// whose load moves from minute to minute, that is what keeps their ratio meaningful.

/** Starts a target and lists its steps; undefined if it would not start (recorded). */
async function openTarget(name, round, position) {
  const base = { mode: cfg.mode, round, position, target: name };
  const stamped = (r) => ({ ts: new Date().toISOString(), ...base, ...r });
  let target;
  try {
    target = await startTarget(name);
  } catch (err) {
    emit(stamped({ workload: 'start', value: null, unit: 'ms', error: String(err.message ?? err) }));
    return undefined;
  }
  const status = readFileSync(`/proc/${target.pid}/status`, 'utf8');
  emit(
    stamped({
      workload: 'start',
      value: Math.round(target.startToHealthyMs * 10) / 10,
      unit: 'ms',
      errors: 0,
      peakRssMiB: Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 102.4) / 10,
      loadavg1: Math.round(loadavg()[0] * 100) / 100,
      pid: target.pid,
    }),
  );

  const steps = [
    [
      'prepare',
      async () => {
        await prepareTarget(target);
        return [];
      },
    ],
    [
      'warmup',
      async () => {
        await warmup(target, cfg);
        return [];
      },
    ],
    ...cfg.concurrencies.map((c) => [`4k.c${c}`, () => smallObjects(target, cfg, c)]),
    ...(quick && cfg.sdkOps === 0 ? [] : [['sdk', () => sdkSmall(target, cfg)]]),
    ['list', () => listPages(target, cfg)],
    ['big', () => bigObject(target, cfg)],
    ['mpu', () => multipart(target, cfg)],
    ['mpu-complete', () => multipartCompletion(target, cfg)],
    // Last, so the big key index it leaves behind weighs on no other workload of the round.
    [
      'first-page',
      async () => {
        if (cfg.bigListKeys) {
          if (!cfg.bigListRounds.includes(round) || !cfg.bigListTargets.includes(name)) return [];
          return firstPage(target, cfg);
        }
        const keys =
          records.findLast((r) => r.target === name && r.round === round && r.workload === 'fill0.c64')?.keysStored ??
          0;
        return firstPage(target, cfg, { bucket: 'bench-list', keys });
      },
    ],
    ...(target.logging ? [['logs', () => logDelivery(target)]] : []),
  ];
  return { name, target, stamped, steps, broken: false };
}

/** One step of one target; a dead server ends that target's round. */
async function runStep(slot, [step, fn]) {
  try {
    for (const r of await fn()) emit(slot.stamped(r));
    slot.target.assertAlive();
  } catch (err) {
    emit(slot.stamped({ workload: step, value: null, error: String(err?.message ?? err).slice(0, 1000) }));
    if (err instanceof ServerDied || slot.target.exit) slot.broken = true;
  }
}

async function closeTarget({ name, target, stamped }) {
  const diedUnasked = await target.stop();
  if (diedUnasked) {
    emit(
      stamped({
        workload: 'stop',
        value: null,
        error: `${name} had exited by itself: code ${diedUnasked.code}, signal ${diedUnasked.signal}; stderr: ${target.stderrTail()}`,
      }),
    );
  } else if (target.exit && target.exit.code !== 0 && target.exit.signal !== 'SIGTERM') {
    emit(
      stamped({
        workload: 'stop',
        value: null,
        error: `${name} stopped with code ${target.exit.code}, signal ${target.exit.signal}; stderr: ${target.stderrTail()}`,
      }),
    );
  }
}

async function runRound(round) {
  const order = targets.map((_, i) => targets[(i + round) % targets.length]);
  const slots = [];
  for (const [position, name] of order.entries()) {
    const slot = await openTarget(name, round, position);
    if (slot) slots.push(slot);
  }
  try {
    const count = Math.max(0, ...slots.map((s) => s.steps.length));
    // In the targets' own order: `slots` is rotated by round, which with two targets would undo
    // the reversal below.
    const fixed = targets.map((name) => slots.find((s) => s.name === name)).filter(Boolean);
    for (let i = 0; i < count; i++) {
      // Who goes first turns with every step, so a trend in the machine's load favours no target;
      // the order runs backwards every other round, so no target always follows the same one.
      for (let j = 0; j < fixed.length; j++) {
        const at = (i + j) % fixed.length;
        const slot = fixed[round % 2 ? fixed.length - 1 - at : at];
        if (slot.broken || !slot.steps[i]) continue;
        settleWriteBack();
        await runStep(slot, slot.steps[i]);
      }
    }
  } finally {
    for (const slot of slots) await closeTarget(slot);
  }
}

// ---- aggregation and report ----------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
function agg(target, workload) {
  const rs = records.filter((r) => r.target === target && r.workload === workload);
  const vals = rs.map((r) => r.value).filter((v) => typeof v === 'number');
  const rss = rs.map((r) => r.peakRssMiB).filter((v) => typeof v === 'number');
  const p50 = rs.map((r) => r.p50Ms).filter((v) => typeof v === 'number');
  const p99 = rs.map((r) => r.p99Ms).filter((v) => typeof v === 'number');
  return {
    n: vals.length,
    failed: rs.some((r) => r.error || r.errors),
    median: vals.length ? median(vals) : null,
    min: vals.length ? Math.min(...vals) : null,
    max: vals.length ? Math.max(...vals) : null,
    peakRss: rss.length ? Math.max(...rss) : null,
    p50: p50.length ? median(p50) : null,
    p99: p99.length ? median(p99) : null,
  };
}
const num = (x) => {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  const a = Math.abs(x);
  return a >= 100 ? Math.round(x).toLocaleString('en-US') : a >= 10 ? x.toFixed(1) : x.toFixed(2);
};
function cell(a) {
  if (a.median === null) return a.failed ? 'error' : '–';
  let s = num(a.median);
  if (a.n > 1) s += ` (${num(a.min)}–${num(a.max)})`;
  if (a.failed) s += ' ⚠';
  return s;
}
/** How much faster `a` is than `b` (> 1 = a better), whatever the unit's direction. */
function ratio(row, a, b) {
  if (a.median === null || b.median === null || a.median === 0 || b.median === 0) return null;
  return row.higher ? a.median / b.median : b.median / a.median;
}
const mark = (ok) => (ok ? ' ✓' : ' ✗');

function report(meta) {
  const cols = targets;
  const has = (t) => cols.includes(t);
  const lines = [];
  lines.push(`# s3scribe benchmark — ${meta.stamp} (${cfg.mode})`, '');
  lines.push(
    `Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM; ` +
      `${cfg.rounds} round(s); in each, every target runs at once and each workload runs on them back to back, who goes first turning per workload and round, the order backwards in every other round, the page cache written out (sync) before each; load average (1 min) ${meta.loadStart} at start, ${meta.loadEnd} at end; ` +
      `wall time ${meta.wallS} s; commit ${meta.commit}; dist/ built ${meta.distBuilt}${meta.distChanged ? ' (**dist/ was rebuilt during the run**)' : ''}; server data dirs under \`${getDataRoot()}\` (${describeDataRoot()}); ` +
      `\`node -e 0\` takes ${meta.nodeMs} ms here (floor under "start → first healthy response").`,
    '',
  );
  lines.push(
    'Cells: median (min–max over rounds). Ratios compare medians and are "times as fast" ' +
      '(for ms rows the inverse ratio, so > 1 is always better). ✓/✗: the target for that cell is met / not met; ' +
      '⚠: requests errored in that cell (see the JSONL). RSS: peak resident set of the server process during the workload (max over rounds), MiB.',
    '',
  );
  const head = [
    'workload',
    'unit',
    ...cols,
    ...(has('s3scribe') && has('ceiling') ? ['s3scribe/ceiling'] : []),
    ...(has('s3scribe') && has('s3rver') ? ['s3scribe/s3rver'] : []),
    ...(has('s3scribe') && has('moto') ? ['s3scribe/moto'] : []),
    ...(has('s3scribe') && has('s3scribe+logging') ? ['logging on/off'] : []),
    ...cols.map((t) => `RSS ${t}`),
  ];
  lines.push(`| ${head.join(' | ')} |`, `| ${head.map((_h, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`);
  for (const row of ROWS) {
    const a = Object.fromEntries(cols.map((t) => [t, agg(t, row.id)]));
    if (cols.every((t) => a[t].n === 0 && !a[t].failed)) continue;
    const cells = [row.label, row.unit];
    for (const t of cols) {
      let c = cell(a[t]);
      if (S3SCRIBES.has(t) && ABSOLUTE[row.id] !== undefined && a[t].median !== null)
        c += mark(a[t].median <= ABSOLUTE[row.id]);
      cells.push(c);
    }
    if (has('s3scribe') && has('ceiling')) {
      const r = ratio(row, a.s3scribe, a.ceiling);
      cells.push(r === null ? '–' : `${r.toFixed(2)}${row.id === 'start' ? '' : mark(r >= CEILING_MIN)}`);
    }
    if (has('s3scribe') && has('s3rver')) {
      const r = ratio(row, a.s3scribe, a.s3rver);
      cells.push(r === null ? '–' : `${r.toFixed(2)}${S3RVER_ROWS.has(row.id) ? mark(r >= S3RVER_MIN) : ''}`);
    }
    if (has('s3scribe') && has('moto')) {
      const r = ratio(row, a.s3scribe, a.moto);
      cells.push(r === null ? '–' : r.toFixed(2));
    }
    if (has('s3scribe') && has('s3scribe+logging')) {
      const r = ratio(row, a['s3scribe+logging'], a.s3scribe);
      cells.push(r === null ? '–' : `${r.toFixed(2)}${LOGGING_ROWS.has(row.id) ? mark(r >= LOGGING_MIN) : ''}`);
    }
    for (const t of cols) {
      const rss = a[t].peakRss;
      cells.push(
        rss === null
          ? '–'
          : `${Math.round(rss)}${S3SCRIBES.has(t) && RSS_ROWS.has(row.id) ? mark(rss <= RSS_MAX_MIB) : ''}`,
      );
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    'Targets: s3scribe ≥ 1.0× ceiling on every workload; ≥ 2.5× s3rver on 4 KiB PUT and GET at c=16; ' +
      'logging on/off ≥ 0.95 on 4 KiB PUT and GET; 1 GiB PUT/GET peak RSS ≤ 200 MiB; first ListObjectsV2 page of 100,000 keys ≤ 50 ms; ' +
      'start to healthy ≤ 250 ms.',
    '',
  );

  // Latency table.
  const latRows = ROWS.filter((r) => r.latency);
  lines.push('### Latency per request, p50 / p99 ms (median over rounds)', '');
  lines.push(`| workload | ${cols.join(' | ')} |`, `| --- | ${cols.map(() => '---:').join(' | ')} |`);
  for (const row of latRows) {
    const a = cols.map((t) => agg(t, row.id));
    if (a.every((x) => x.p50 === null)) continue;
    lines.push(
      `| ${row.label} | ${a.map((x) => (x.p50 === null ? '–' : `${num(x.p50)} / ${num(x.p99)}`)).join(' | ')} |`,
    );
  }
  lines.push('');

  // Per-round loads and notes.
  const loads = records.filter((r) => typeof r.loadavg1 === 'number').map((r) => r.loadavg1);
  if (loads.length)
    lines.push(
      `Load average (1 min) during workloads: min ${num(Math.min(...loads))}, median ${num(median(loads))}, max ${num(Math.max(...loads))}.`,
      '',
    );
  const notes = [];
  const firstCold = cols
    .map((t) => [t, records.filter((r) => r.target === t && r.workload === 'list.first').map((r) => r.coldMs)])
    .filter(([, v]) => v.length);
  if (firstCold.length)
    notes.push(
      `First-page latency of the very first listing right after the fill (cold): ${firstCold.map(([t, v]) => `${t} ${v.map(num).join(', ')} ms`).join('; ')}.`,
    );
  if (cfg.bigListKeys)
    notes.push(
      `The ${fmtCount(cfg.bigListKeys)}-key fill and its first-page listing run in round 1 only (n = 1), for ${cfg.bigListTargets.join(', ')} (\`--big-list-all\` for every target).`,
    );
  const delivered = records.filter((r) => r.workload === 'logs.delivered');
  if (delivered.length)
    notes.push(
      `Access logging really ran on s3scribe+logging: log objects in the target bucket after a final flush, per round: ${delivered.map((r) => r.value).join(', ')}.`,
    );
  if (has('s3rver'))
    notes.push(
      's3rver runs with --openssl-legacy-provider: it encrypts ListObjectsV2 continuation tokens with DES, which Node 20 otherwise refuses (every truncated V2 listing would be an InternalError).',
    );
  if (has('moto'))
    notes.push(
      `moto runs as \`${process.env.S3SCRIBE_BENCH_MOTO}\` (its server mode): objects in memory, no signature checks, the data dir unused.`,
    );
  if (failures.length) {
    notes.push(`**Harness failures (${failures.length}):**`);
    for (const f of failures.slice(0, 30)) {
      notes.push(
        `- round ${f.round + 1}, ${f.target}, ${f.workload}: ${f.error ?? `${f.errors} errored request(s), e.g. ${f.errorSamples?.[0]}`}`,
      );
    }
  }
  if (notes.length)
    lines.push('Notes:', '', ...notes.map((n) => (n.startsWith('- ') || n.startsWith('**') ? n : `- ${n}`)), '');
  lines.push(`Raw records: \`${jsonlPath.replace(`${repoRoot}/`, '')}\``);
  return lines.join('\n');
}

/** The checked-out commit, and whether the work tree has changes (dist/ may lag behind both). */
function gitDescribe() {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8', timeout: 10_000 });
  if (head.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'server', 'storage', 'logging'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 10_000,
  });
  return `${head.stdout.trim()}${dirty.stdout.trim() ? ' + uncommitted changes in server/storage/logging' : ''}`;
}

/** Median wall time of `node -e 0` (ms): the floor under every "start to healthy". */
function nodeStartMs() {
  const ts = [];
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { timeout: 10_000 });
    ts.push(performance.now() - s);
  }
  return Math.round(median(ts));
}

// ---- main ----------------------------------------------------------------------------------------
async function main() {
  installCleanup();
  ensureBuilt();
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: watchdog: run exceeded ${cfg.watchdogMs / 1000} s, aborting\n`);
    process.exit(1); // the exit handler kills every server
  }, cfg.watchdogMs);
  watchdog.unref();
  const t0 = Date.now();
  const loadStart = loadavg()[0].toFixed(2);
  const nodeMs = nodeStartMs();
  const commit = gitDescribe();
  const distAtStart = statSync(s3scribeCli).mtimeMs;
  process.stderr.write(
    `bench: ${cfg.mode} mode, ${cfg.rounds} round(s), targets ${targets.join(', ')}; results -> ${jsonlPath}\n`,
  );
  for (let round = 0; round < cfg.rounds; round++) await runRound(round);
  const md = report({
    stamp,
    loadStart,
    loadEnd: loadavg()[0].toFixed(2),
    wallS: Math.round((Date.now() - t0) / 1000),
    distBuilt: statSync(s3scribeCli).mtime.toISOString(),
    commit,
    distChanged: statSync(s3scribeCli).mtimeMs !== distAtStart,
    nodeMs,
  });
  writeFileSync(mdPath, `${md}\n`);
  process.stdout.write(`${md}\n\nwritten: ${mdPath}\n`);
  clearTimeout(watchdog);
  if (failures.length) {
    process.stderr.write(`bench: ${failures.length} harness failure(s) (errored requests or dead servers); exit 1\n`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  process.stderr.write(`bench: ${err?.stack ?? err}\n`);
  process.exitCode = 1;
});
