#!/usr/bin/env node
// How costs grow with data: objects per bucket, buckets, and access-log volume.
//   node bench/scale.mjs                          all three, s3scribe only, full sizes
//   node bench/scale.mjs --only keys --keys 10000,100000 --targets s3scribe,s3rver
//   node bench/scale.mjs --only keys --baseline-cli /path/to/other/dist/bin/s3scribe.cjs --baseline-label 0.2.0
// Workloads:
//   keys     one bucket filled with 0-byte objects under time-ordered prefixes (as log and data-lake
//            buckets are) up to each size in --keys; at each size: PUT rate of the fill, first and
//            middle ListObjectsV2 page, a delimiter listing, DELETE rate, server RSS, index bytes
//            per key; then a restart on the same data directory: start → healthy → first listing.
//   buckets  up to each count in --buckets: ListBuckets latency, restart → healthy → first ListBuckets.
//   logs     --log-requests requests (0-byte PUT and GET, c=64) through a logging bucket:
//            requests/s, records delivered per second, spool bytes and pending records over time,
//            RSS over time, delivery lag after the last request, and every record delivered
//            exactly once (the delivered log objects are read back and counted by request id).
// Writes bench/results/scale-<timestamp>.jsonl and .md; `node bench/plot.mjs FILE.jsonl` draws them.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeDataRoot, installCleanup, repoRoot, s3scribeCli, setDataRoot, startTarget } from './servers.mjs';
import { createBucket, LOG_BUCKET, RawClient, runOps } from './workloads.mjs';

const { values: opts } = parseArgs({
  options: {
    only: { type: 'string' },
    keys: { type: 'string', default: '10000,100000,1000000' },
    buckets: { type: 'string', default: '10,100,1000,10000' },
    'log-requests': { type: 'string', default: '1000000' },
    targets: { type: 'string', default: 's3scribe' },
    'baseline-cli': { type: 'string' },
    'baseline-label': { type: 'string', default: 'baseline' },
    'data-root': { type: 'string' },
    reps: { type: 'string', default: '7' },
    out: { type: 'string' },
  },
});
if (opts['data-root']) setDataRoot(opts['data-root']);
const numbers = (s) => s.split(',').map((x) => Number(x.replace(/_/g, '')));
const KEY_STEPS = numbers(opts.keys);
const BUCKET_STEPS = numbers(opts.buckets);
const LOG_REQUESTS = Number(opts['log-requests']);
const REPS = Number(opts.reps);
const only = new Set((opts.only ?? 'keys,buckets,logs').split(','));

/** Target label → how to start it. The baseline is another build of s3scribe, started the same way. */
const TARGET_DEFS = {
  s3scribe: { name: 's3scribe' },
  s3rver: { name: 's3rver' },
  [opts['baseline-label']]: { name: 's3scribe', cli: opts['baseline-cli'] },
};
const targets = opts.targets.split(',').filter(Boolean);
if (opts['baseline-cli'] && !targets.includes(opts['baseline-label'])) targets.push(opts['baseline-label']);
for (const t of targets) if (!TARGET_DEFS[t]) throw new Error(`unknown target ${t}`);

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = opts.out ?? join(repoRoot, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const jsonl = join(outDir, `scale-${stamp}.jsonl`);
const md = join(outDir, `scale-${stamp}.md`);
const now = () => performance.now();
const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => ({ min: round(Math.min(...xs), 2), max: round(Math.max(...xs), 2) });

function record(r) {
  const line = { ...r, loadavg1: round(loadavg()[0], 2), at: new Date().toISOString() };
  appendFileSync(jsonl, `${JSON.stringify(line)}\n`);
  process.stdout.write(
    `  ${r.target.padEnd(10)} ${r.workload.padEnd(22)} ${String(r.size).padStart(9)}  ${r.value ?? '-'} ${r.unit}` +
      `${r.min !== undefined ? ` (${r.min}–${r.max})` : ''}${r.note ? `  ${r.note}` : ''}\n`,
  );
}

/** VmRSS and its anonymous / file-backed parts, MiB. */
function memory(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (f) => round(Number(new RegExp(`^${f}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]) / 1024);
  return { rss: field('VmRSS'), anon: field('RssAnon'), file: field('RssFile') };
}

function duBytes(path) {
  const r = spawnSync('du', ['-sb', path], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.split('\t')[0]) : null;
}

const start = (label, dataDir) => startTarget(TARGET_DEFS[label].name, { cli: TARGET_DEFS[label].cli, dataDir });

/** Stops a target keeping its data and starts it again on that directory; records start → healthy. */
async function restart(label, target, client, connections, base) {
  await client.close();
  await target.stop({ keepData: true });
  const next = await start(label, target.dataDir);
  record({ ...base, workload: 'restart.healthy', value: round(next.startToHealthyMs), unit: 'ms' });
  return { target: next, client: new RawClient(next, connections) };
}

/** Median and spread of `reps` timings of `fn`; the first (cold) one is reported on its own too. */
async function timed(fn, reps = REPS) {
  const ms = [];
  for (let i = 0; i < reps; i++) {
    const t = now();
    await fn(i);
    ms.push(now() - t);
  }
  return { value: round(median(ms), 2), ...spread(ms), cold: round(ms[0], 2) };
}

async function listPage(client, bucket, query) {
  const r = await client.send('GET', `/${bucket}?list-type=2&${query}`, { keepText: true });
  if (!r.text.includes('<ListBucketResult')) throw new Error(`listing ${query}: ${r.text.slice(0, 200)}`);
  return r.text;
}

// ---- objects per bucket ------------------------------------------------------------------------

/** Time-ordered keys under day and hour prefixes: 2,000 objects an hour, 48,000 a day. */
const keyOf = (i) => {
  const hour = Math.floor(i / 2000);
  const day = String(1 + Math.floor(hour / 24)).padStart(3, '0');
  return `logs/day=${day}/hour=${String(hour % 24).padStart(2, '0')}/part-${String(i).padStart(8, '0')}.json`;
};

async function keysWorkload(label) {
  let target = await start(label);
  let c = new RawClient(target, 64);
  const bucket = 'scale-keys';
  const dataDir = target.dataDir;
  try {
    await c.send('PUT', `/${bucket}`);
    let stored = 0;
    for (const size of KEY_STEPS) {
      const base = { target: label, size };
      // The fill to this size.
      const rssPeak = { v: 0 };
      const sampler = setInterval(() => (rssPeak.v = Math.max(rssPeak.v, memory(target.pid).rss)), 500);
      const from = stored;
      const fill = await runOps({
        concurrency: 64,
        maxOps: size - from,
        maxMs: 60 * 60_000,
        op: (i) => c.send('PUT', `/${bucket}/${keyOf(from + i)}`, { body: '' }),
      });
      clearInterval(sampler);
      if (fill.errors) throw new Error(`fill: ${fill.errorSamples.join('; ')}`);
      stored = size;
      record({
        ...base,
        workload: 'put0.c64',
        value: round(fill.opsPerSec),
        unit: 'ops/s',
        p99: fill.p99Ms,
        note: `${fill.ops} PUTs`,
      });
      record({ ...base, workload: 'rss.fill.peak', value: rssPeak.v, unit: 'MiB' });
      // Listings.
      const first = await timed(() => listPage(c, bucket, 'max-keys=1000'));
      record({ ...base, workload: 'list.first', unit: 'ms', ...first });
      const middle = await timed(() =>
        listPage(c, bucket, `max-keys=1000&start-after=${encodeURIComponent(keyOf(Math.floor(size / 2)))}`),
      );
      record({ ...base, workload: 'list.middle', unit: 'ms', ...middle });
      const hourPrefix = encodeURIComponent(keyOf(Math.floor(size / 2)).split('/hour=')[0]);
      const delimited = await timed(async () => {
        const text = await listPage(c, bucket, `prefix=${hourPrefix}%2F&delimiter=%2F`);
        if (!text.includes('<CommonPrefixes>')) throw new Error('delimiter listing without common prefixes');
      });
      record({ ...base, workload: 'list.delimiter', unit: 'ms', ...delimited, note: 'hours of one day' });
      const days = await timed(() => listPage(c, bucket, 'prefix=logs%2F&delimiter=%2F'));
      record({ ...base, workload: 'list.delimiter.top', unit: 'ms', ...days, note: 'days' });
      // DELETE rate: 5,000 extra keys, put then deleted.
      await runOps({
        concurrency: 64,
        maxOps: 5000,
        maxMs: 120_000,
        op: (i) => c.send('PUT', `/${bucket}/tmp/d-${i}`, { body: '' }),
      });
      const del = await runOps({
        concurrency: 64,
        maxOps: 5000,
        maxMs: 120_000,
        op: (i) => c.send('DELETE', `/${bucket}/tmp/d-${i}`, { expect: [204] }),
      });
      record({ ...base, workload: 'del.c64', value: round(del.opsPerSec), unit: 'ops/s', p99: del.p99Ms });
      const mem = memory(target.pid);
      record({
        ...base,
        workload: 'rss',
        value: mem.rss,
        unit: 'MiB',
        anon: mem.anon,
        file: mem.file,
        note: `anon ${mem.anon}, file ${mem.file}`,
      });
      const indexBytes = duBytes(join(dataDir, 'index'));
      if (indexBytes !== null)
        record({ ...base, workload: 'index.bytesPerKey', value: round(indexBytes / size), unit: 'B' });
      ({ target, client: c } = await restart(label, target, c, 64, base));
      const t = now();
      await listPage(c, bucket, 'max-keys=1000');
      record({ ...base, workload: 'restart.firstList', value: round(now() - t, 2), unit: 'ms' });
      const after = memory(target.pid);
      record({ ...base, workload: 'restart.rss', value: after.rss, unit: 'MiB', anon: after.anon, file: after.file });
    }
  } finally {
    await c.close();
    await target.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- buckets -----------------------------------------------------------------------------------

async function bucketsWorkload(label) {
  let target = await start(label);
  const dataDir = target.dataDir;
  let c = new RawClient(target, 16);
  try {
    let made = 0;
    for (const size of BUCKET_STEPS) {
      const base = { target: label, size };
      const from = made;
      const create = await runOps({
        concurrency: 16,
        maxOps: size - from,
        maxMs: 30 * 60_000,
        op: (i) => c.send('PUT', `/scale-b-${String(from + i).padStart(6, '0')}`),
      });
      if (create.errors) throw new Error(`create: ${create.errorSamples.join('; ')}`);
      made = size;
      record({ ...base, workload: 'createBucket.c16', value: round(create.opsPerSec), unit: 'ops/s' });
      const list = await timed(async () => {
        const r = await c.send('GET', '/', { keepText: true });
        const n = r.text.split('<Bucket>').length - 1;
        if (n < size) throw new Error(`ListBuckets shows ${n} of ${size}`);
      });
      record({ ...base, workload: 'listBuckets', unit: 'ms', ...list });
      ({ target, client: c } = await restart(label, target, c, 16, base));
      const t = now();
      await c.send('GET', '/', { keepText: true });
      record({ ...base, workload: 'restart.firstListBuckets', value: round(now() - t, 2), unit: 'ms' });
      record({ ...base, workload: 'restart.rss', value: memory(target.pid).rss, unit: 'MiB' });
    }
  } finally {
    await c.close();
    await target.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- access-log volume -------------------------------------------------------------------------

async function metrics(c) {
  const r = await c.send('GET', '/_s3scribe/metrics', { keepText: true });
  const value = (name) => {
    let sum = 0;
    for (const m of r.text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'))) sum += Number(m[1]);
    return sum;
  };
  return {
    captured: value('s3scribe_access_log_records_captured_total'),
    delivered: value('s3scribe_access_log_records_delivered_total'),
    pending: value('s3scribe_access_log_records_pending'),
    spoolBytes: value('s3scribe_access_log_spool_bytes'),
    objects: value('s3scribe_access_log_objects_delivered_total'),
  };
}

async function logsWorkload(label) {
  if (label === 's3rver') return; // writes no access logs
  const target = await startTarget('s3scribe+logging', { cli: TARGET_DEFS[label].cli });
  const c = new RawClient(target, 64);
  const bucket = 'scale-logged';
  const size = LOG_REQUESTS;
  try {
    await c.send('PUT', `/${LOG_BUCKET}`);
    await createBucket(c, bucket);
    const before = await metrics(c);
    const samples = [];
    const t0 = now();
    const sampler = setInterval(async () => {
      const m = await metrics(c).catch(() => undefined);
      if (m) samples.push({ s: round((now() - t0) / 1000, 1), ...m, ...memory(target.pid) });
    }, 2000);
    // Requests carry their index in the key, so every record can be matched to one request.
    const run = await runOps({
      concurrency: 64,
      maxOps: size,
      maxMs: 60 * 60_000,
      op: (i) =>
        i % 2 === 0
          ? c.send('PUT', `/${bucket}/r-${i}`, { body: '' })
          : c.send('GET', `/${bucket}/r-${i - 1}`, { expect: [200, 404] }),
    });
    const sent = now();
    if (run.errors) throw new Error(`requests: ${run.errorSamples.join('; ')}`);
    // Delivery lag: from the last answer until every captured record is delivered (flush every 5 s).
    let m = await metrics(c);
    while (m.delivered - before.delivered < run.ops && now() - sent < 120_000) {
      await new Promise((r) => setTimeout(r, 200));
      m = await metrics(c);
    }
    const lagMs = now() - sent;
    clearInterval(sampler);
    const base = { target: label, size };
    record({
      ...base,
      workload: 'logged.requests',
      value: round(run.opsPerSec),
      unit: 'req/s',
      note: `${run.ops} requests`,
    });
    record({
      ...base,
      workload: 'logged.deliveredRate',
      value: round(((m.delivered - before.delivered) / (sent - t0)) * 1000),
      unit: 'records/s',
    });
    record({
      ...base,
      workload: 'logged.lag',
      value: round(lagMs),
      unit: 'ms',
      note: 'last answer → all delivered (flush interval 5 s)',
    });
    record({
      ...base,
      workload: 'logged.spoolPeak',
      value: round(Math.max(...samples.map((s) => s.spoolBytes)) / 2 ** 20, 2),
      unit: 'MiB',
    });
    record({
      ...base,
      workload: 'logged.pendingPeak',
      value: Math.max(...samples.map((s) => s.pending)),
      unit: 'records',
    });
    const rss = samples.map((s) => s.rss);
    record({
      ...base,
      workload: 'logged.rss',
      value: rss.at(-1),
      unit: 'MiB',
      min: Math.min(...rss),
      max: Math.max(...rss),
      samples,
    });
    // Exactly once: read every delivered log object back and count each request's record.
    const seen = new Map();
    let token;
    let lines = 0;
    do {
      const page = await c.send(
        'GET',
        `/${LOG_BUCKET}?list-type=2&prefix=logs%2F${bucket}%2F${token ? `&continuation-token=${encodeURIComponent(token)}` : ''}`,
        { keepText: true },
      );
      const keys = [...page.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((x) => x[1]);
      for (let i = 0; i < keys.length; i += 16)
        await Promise.all(
          keys.slice(i, i + 16).map(async (key) => {
            const body = await c.send('GET', `/${LOG_BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`, {
              keepText: true,
            });
            for (const line of body.text.split('\n')) {
              if (!line) continue;
              lines++;
              const m = / (REST\.\w+\.OBJECT) (r-\d+) /.exec(line);
              if (m) {
                const id = `${m[1]} ${m[2]}`;
                seen.set(id, (seen.get(id) ?? 0) + 1);
              }
            }
          }),
        );
      token = /<NextContinuationToken>([^<]*)</.exec(page.text)?.[1];
    } while (token);
    let missing = 0;
    let twice = 0;
    for (let i = 0; i < run.ops; i++) {
      const id = i % 2 === 0 ? `REST.PUT.OBJECT r-${i}` : `REST.GET.OBJECT r-${i - 1}`;
      const n = seen.get(id) ?? 0;
      if (n === 0) missing++;
      if (n > 1) twice++;
    }
    record({
      ...base,
      workload: 'logged.exactlyOnce',
      value: missing === 0 && twice === 0 ? 1 : 0,
      unit: 'bool',
      note: `${lines} lines, ${missing} missing, ${twice} more than once, ${m.objects - before.objects} log objects`,
    });
  } finally {
    await c.close();
    await target.stop();
  }
}

// ---- run ---------------------------------------------------------------------------------------
installCleanup();
const header = [
  `scale run ${stamp}: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  `data: ${describeDataRoot()}; cli ${s3scribeCli}${opts['baseline-cli'] ? `; ${opts['baseline-label']}: ${opts['baseline-cli']}` : ''}`,
];
process.stdout.write(`${header.join('\n')}\n`);
appendFileSync(jsonl, `${JSON.stringify({ header })}\n`);
for (const label of targets) {
  if (only.has('keys')) {
    process.stdout.write(`\n== ${label}: objects per bucket ${KEY_STEPS.join(' → ')}\n`);
    await keysWorkload(label);
  }
  if (only.has('buckets')) {
    process.stdout.write(`\n== ${label}: buckets ${BUCKET_STEPS.join(' → ')}\n`);
    await bucketsWorkload(label);
  }
  if (only.has('logs')) {
    process.stdout.write(`\n== ${label}: ${LOG_REQUESTS} requests through a logging bucket\n`);
    await logsWorkload(label);
  }
}

// The report: one table per workload, sizes as columns.
const rows = readFileSync(jsonl, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .filter((r) => r.workload);
const out = [`# ${header[0]}`, '', header[1], ''];
for (const workload of [...new Set(rows.map((r) => r.workload))]) {
  const these = rows.filter((r) => r.workload === workload);
  const sizes = [...new Set(these.map((r) => r.size))].sort((a, b) => a - b);
  out.push(
    `### ${workload} (${these[0].unit})`,
    '',
    `| target | ${sizes.map((s) => s.toLocaleString('en-US')).join(' | ')} |`,
    `|---|${sizes.map(() => '---:').join('|')}|`,
  );
  for (const t of [...new Set(these.map((r) => r.target))]) {
    const cell = (s) => {
      const r = these.find((x) => x.target === t && x.size === s);
      return r ? `${r.value}${r.min !== undefined && r.unit !== 'MiB' ? ` (${r.min}–${r.max})` : ''}` : '';
    };
    out.push(`| ${t} | ${sizes.map(cell).join(' | ')} |`);
  }
  out.push('');
}
writeFileSync(md, `${out.join('\n')}\n`);
process.stdout.write(`\n${jsonl}\n${md}\n`);
