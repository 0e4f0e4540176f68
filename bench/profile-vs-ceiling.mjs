#!/usr/bin/env node
// Where s3scribe's CPU per request goes against the Fastify+fs ceiling's, by kind of work, from
// V8 CPU profiles of both servers under the same 4 KiB workload (bench/profile-hook.cjs, started
// and stopped by signal around the measured requests only). Each round PUTs N keys on each target
// and then runs one operation over them, profiled; targets alternate, the order flips every round.
// Samples are sorted into kinds of work by the innermost frame that says what it is (a native call
// counts toward whoever called it: lmdb's commit toward the listing index), and each kind is given
// in µs per request, median (min–max) over rounds. The profiles cover the main thread; the last row
// is the process's CPU per request from /proc, every thread included (libuv's pool, the batch worker).
//   node bench/profile-vs-ceiling.mjs [--ops DELETE,PUT,GET,HEAD] [--c 16] [--n 20000] [--rounds 3]
//                                     [--data-root DIR] [--out DIR]
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { describeDataRoot, getDataRoot, installCleanup, repoRoot, setDataRoot, startTarget } from './servers.mjs';
import { createBucket, prepareTarget, RawClient, rssProbe, runOps } from './workloads.mjs';

const { values: opts } = parseArgs({
  options: {
    ops: { type: 'string', default: 'DELETE,PUT,GET,HEAD' },
    c: { type: 'string', default: '16' },
    n: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    'data-root': { type: 'string' },
    out: { type: 'string' },
    // `ceiling+index`: the ceiling with its listing in LMDB (bench/ceiling-server.mjs --index lmdb).
    baseline: { type: 'string', default: 'ceiling' },
  },
});
if (opts['data-root']) setDataRoot(opts['data-root']);
installCleanup();
const C = Number(opts.c);
const N = Number(opts.n);
const ROUNDS = Number(opts.rounds);
const OPS = opts.ops.toUpperCase().split(',');
const BODY = Buffer.alloc(4096, 'x');
const outDir = opts.out ?? join(repoRoot, 'bench', 'results', `profile-vs-ceiling-${Date.now()}`);
mkdirSync(outDir, { recursive: true });
const cli = join(repoRoot, 'dist', 'server', 'cli.js');
if (!existsSync(cli)) throw new Error('run npm run build first');

/** Kinds of work, tried on each frame from the innermost out; the first that matches names the sample. */
const KINDS = [
  [
    'listing index (LMDB)',
    (url) => /node_modules\/(lmdb|ordered-binary|msgpackr)\/|storage\/fs\/(index-store|key-index)\./.test(url),
  ],
  [
    'file-system calls',
    (url, fn) => url.startsWith('node:internal/fs') || url === 'node:fs' || (!url && FS_CALLS.has(fn)),
  ],
  ['socket writes', (url, fn) => !url && /^write(Latin1|Utf8|Buffer|v)String$|^writev$|^writeBuffer$/.test(fn)],
  [
    'Node HTTP, streams, events',
    (url) => /^node:(_http|net|internal\/(streams|stream_base|http)|events|internal\/process)/.test(url),
  ],
  [
    'Fastify and its router',
    (url) => /node_modules\/(fastify|find-my-way|avvio|light-my-request|@fastify)\//.test(url),
  ],
  [
    "the server's own code",
    (url) => /\/dist\/|ceiling-server\.mjs/.test(url) || /node_modules\/(pino|prom-client)\//.test(url),
  ],
  ['garbage collection', (_u, fn) => fn === '(garbage collector)'],
  ['V8 and libuv (program)', (_u, fn) => fn === '(program)'],
  ['idle (waiting)', (_u, fn) => fn === '(idle)'],
];
const FS_CALLS = new Set([
  'unlink',
  'open',
  'close',
  'rename',
  'read',
  'writeBuffer',
  'writeFileUtf8',
  'fstat',
  'stat',
  'lstat',
  'mkdir',
]);

/** µs per request by kind of work in one profile. */
function kindsOf(profile, requests) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const kindOfNode = new Map();
  const kindOf = (id) => {
    if (kindOfNode.has(id)) return kindOfNode.get(id);
    let kind = 'other';
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { url, functionName } = byId.get(at).callFrame;
      const match = KINDS.find(([, test]) => test(url.replace(/^file:\/\//, ''), functionName));
      if (match) {
        kind = match[0];
        break;
      }
    }
    kindOfNode.set(id, kind);
    return kind;
  };
  const out = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const kind = kindOf(profile.samples[i]);
    out.set(kind, (out.get(kind) ?? 0) + (profile.timeDeltas[i] ?? 0) / requests);
  }
  return out;
}

async function profiled(target, prefix, run) {
  target.child.kill('SIGUSR2');
  await sleep(200);
  const probe = rssProbe(target.pid);
  const result = await run();
  const cpuMs = probe.stop().serverCpuMs;
  target.child.kill('SIGUSR2');
  const file = `${prefix}-${target.profiles++}.cpuprofile`;
  for (let i = 0; i < 100 && !existsSync(file); i++) await sleep(100);
  await sleep(300);
  return { result, cpuMs, profile: JSON.parse(readFileSync(file, 'utf8')), file };
}

const targets = [];
const BASELINE = opts.baseline;
for (const name of ['s3scribe', BASELINE]) {
  const prefix = join(outDir, name);
  const t = await startTarget(name, {
    ...(name === 's3scribe' ? { cli } : {}),
    nodeFlags: ['-r', join(repoRoot, 'bench', 'profile-hook.cjs')],
    env: { S3SCRIBE_PROFILE_OUT: prefix },
  });
  await prepareTarget(t);
  t.profiles = 0;
  t.prefix = prefix;
  t.client = new RawClient(t, C);
  await createBucket(t.client, 'bench-pvc');
  targets.push(t);
}

const key = (i) => `/bench-pvc/k-${i}`;
/** results[op][target] = [Map(kind -> µs per request), …] over rounds, plus ops/s */
const results = {};
console.log(`# CPU per 4 KiB request by kind of work, s3scribe against ${BASELINE}, c=${C}, ${N} requests a round,`);
console.log(`# ${ROUNDS} rounds; data under ${getDataRoot()} (${describeDataRoot()}); profiles in ${outDir}\n`);
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? targets : [...targets].reverse();
  for (const op of OPS) {
    for (const t of order) {
      const bound = { concurrency: C, maxOps: N, maxMs: 120_000 };
      await runOps({ ...bound, op: (i) => t.client.send('PUT', key(i), { body: BODY }) });
      const send =
        op === 'PUT'
          ? (i) => t.client.send('PUT', key(i), { body: BODY })
          : op === 'DELETE'
            ? (i) => t.client.send('DELETE', key(i), { expect: [204] })
            : (i) => t.client.send(op, key(i));
      const { result, cpuMs, profile } = await profiled(t, t.prefix, () => runOps({ ...bound, op: send }));
      results[op] ??= {};
      results[op][t.name] ??= { kinds: [], rates: [], cpu: [] };
      const entry = results[op][t.name];
      entry.kinds.push(kindsOf(profile, result.ops));
      entry.rates.push(result.opsPerSec);
      entry.cpu.push((cpuMs * 1000) / result.ops);
    }
  }
}
for (const t of targets) {
  await t.client.close();
  await t.stop();
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs) => `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
for (const op of OPS) {
  const s = results[op].s3scribe;
  const c = results[op][BASELINE];
  const kinds = [...KINDS.map(([k]) => k), 'other'];
  const of = (entry, kind) => entry.kinds.map((m) => m.get(kind) ?? 0);
  const busy = (entry) =>
    entry.kinds.map((m) => [...m].reduce((sum, [k, v]) => (k.startsWith('idle') ? sum : sum + v), 0));
  console.log(
    `## ${op}: s3scribe ${Math.round(median(s.rates))} ops/s, ${BASELINE} ${Math.round(median(c.rates))} ops/s (ratio ${(median(s.rates) / median(c.rates)).toFixed(2)})\n`,
  );
  console.log(`| kind of work | s3scribe µs | ${BASELINE} µs | difference |\n| --- | ---: | ---: | ---: |`);
  for (const kind of kinds) {
    const a = of(s, kind);
    const b = of(c, kind);
    if (median(a) < 0.05 && median(b) < 0.05) continue;
    console.log(`| ${kind} | ${spread(a)} | ${spread(b)} | ${(median(a) - median(b)).toFixed(1)} |`);
  }
  console.log(
    `| **main thread busy (all but idle)** | ${spread(busy(s))} | ${spread(busy(c))} | ${(median(busy(s)) - median(busy(c))).toFixed(1)} |`,
  );
  // The profiles see the main thread only; the process's CPU (/proc) counts every thread, the
  // batch worker's and libuv's pool included.
  console.log(
    `| **process CPU, all threads** | ${spread(s.cpu)} | ${spread(c.cpu)} | ${(median(s.cpu) - median(c.cpu)).toFixed(1)} |\n`,
  );
}
process.exit(0);
