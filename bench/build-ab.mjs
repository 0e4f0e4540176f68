#!/usr/bin/env node
// One s3scribe build against another (a baseline: an older commit's dist/server/cli.js), in
// alternating short bursts on one machine: 4 KiB PUT, GET, HEAD and DELETE, and ListObjectsV2 pages
// of up to 1,000 keys, at one concurrency (--kinds to choose).
// Each round runs every kind on both servers, the order flipped every round; the per-round ratio
// absorbs machine noise, and the server CPU per request is the steadier figure.
// `--baseline-cli ceiling` runs the Fastify+fs ceiling (bench/ceiling-server.mjs) as the baseline: the
// CPU per request it spends is what s3scribe's is held to. `ceiling+index` is that ceiling with its
// listing in LMDB (one commit per write): the share of the gap an on-disk index explains
// (`--current-cli ceiling+index --baseline-cli ceiling` measures that share alone). `--logging-ab`
// compares this build with access logging on (current) against the same build with it off (baseline).
//   node bench/build-ab.mjs --baseline-cli ../base/dist/server/cli.js [--rounds 7] [--ms 2000] [--c 16]
//                           [--data-root /dev/shm] [--current-cli PATH|ceiling|ceiling+index] [--keys 2000]
//                           [--current-node-flags=--max-semi-space-size=32]
// `--current-node-flags` starts the current build's node with those flags (the same build on both
// sides, `--baseline-cli dist/server/cli.js --current-cli dist/server/cli.js`, measures the flags alone).
import { parseArgs } from 'node:util';
import { installCleanup, setDataRoot, startTarget } from './servers.mjs';
import { RawClient, createBucket, prepareTarget, rssProbe, runOps } from './workloads.mjs';

const { values } = parseArgs({
  options: {
    'baseline-cli': { type: 'string' },
    rounds: { type: 'string' },
    ms: { type: 'string' },
    c: { type: 'string' },
    kinds: { type: 'string' },
    logging: { type: 'boolean' },
    'logging-ab': { type: 'boolean' },
    'data-root': { type: 'string' },
    'current-cli': { type: 'string' },
    keys: { type: 'string' },
    'current-node-flags': { type: 'string' },
  },
});
// `--data-root /dev/shm`: no disk latency, so the CPU each build spends shows with less noise.
if (values['data-root']) setDataRoot(values['data-root']);
const loggingAb = values['logging-ab'] ?? false;
if (!values['baseline-cli'] && !loggingAb)
  throw new Error('--baseline-cli PATH (an older build, or ceiling) or --logging-ab is required');
const ROUNDS = Number(values.rounds ?? 7);
const MS = Number(values.ms ?? 2000);
const C = Number(values.c ?? 16);
const KEYS = Number(values.keys ?? 2000);
const KINDS = (values.kinds ?? 'PUT,GET,HEAD,DELETE,LIST').toUpperCase().split(',');
const BODY = Buffer.alloc(4096, 'x');
const name = values.logging ? 's3scribe+logging' : 's3scribe';
installCleanup();

const builds = [];
for (const [label, cli] of [
  ['baseline', values['baseline-cli']],
  ['current', values['current-cli']],
]) {
  const t = loggingAb
    ? await startTarget(label === 'baseline' ? 's3scribe' : 's3scribe+logging')
    : cli === 'ceiling' || cli === 'ceiling+index'
      ? await startTarget(cli)
      : await startTarget(name, {
          cli,
          nodeFlags: label === 'current' ? (values['current-node-flags']?.split(/\s+/).filter(Boolean) ?? []) : [],
        });
  await prepareTarget(t);
  const client = new RawClient(t, C);
  await createBucket(client, 'bench-ab');
  // 2,000 keys (--keys): GET and HEAD read the first 200, LIST pages through the first 1,000 on,
  // HEADSWEEP HEADs every key in turn (more keys than the metadata cache holds: each HEAD reads its file).
  await runOps({
    concurrency: C,
    maxOps: KEYS,
    maxMs: 60_000,
    op: (i) => client.send('PUT', `/bench-ab/k${i}`, { body: BODY }),
  });
  builds.push({ label, t, client, written: 0, swept: 0 });
}

// DELETE removes what this round's PUT burst wrote, so every DELETE finds its key.
const burst = async (build, kind, round) => {
  const { t, client } = build;
  const probe = rssProbe(t.pid);
  const written = `/bench-ab/r${round}-`;
  const op = {
    PUT: (i) => client.send('PUT', `${written}${i}`, { body: BODY }),
    GET: (i) => client.send('GET', `/bench-ab/k${i % 200}`),
    HEAD: (i) => client.send('HEAD', `/bench-ab/k${i % 200}`),
    // Goes on where the last burst stopped, so the sweep never meets a key it read recently.
    HEADSWEEP: () => client.send('HEAD', `/bench-ab/k${build.swept++ % KEYS}`),
    DELETE: (i) => client.send('DELETE', `${written}${i}`, { expect: [204] }),
    LIST: (i) => client.send('GET', `/bench-ab?list-type=2&start-after=k${i % 1000}`),
  }[kind];
  const maxOps = kind === 'DELETE' ? build.written : 1e9;
  const r = await runOps({ concurrency: C, maxOps, maxMs: MS, op });
  const p = probe.stop();
  if (r.errors) throw new Error(`${build.label} ${kind}: ${r.errorSamples.join(' | ')}`);
  if (kind === 'PUT') build.written = r.ops;
  return { rate: (r.ops / r.elapsedMs) * 1000, cpuPerOp: (p.serverCpuMs / r.ops) * 1000, rss: p.sampledMaxRssMiB };
};

const rows = [];
for (let round = 1; round <= ROUNDS; round++) {
  const order = round % 2 ? builds : [...builds].reverse();
  for (const kind of KINDS) {
    const out = {};
    for (const build of order) out[build.label] = await burst(build, kind, round);
    rows.push({ round, kind, ...out });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs, d = 2) => `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;
console.log(
  `# ${loggingAb ? 'logging on / off' : 'current build / baseline'}, ${loggingAb ? 's3scribe' : name}, 4 KiB at c=${C}, ${ROUNDS} rounds of ${MS} ms bursts; median (min–max) per round\n`,
);
console.log('| kind | ops/s baseline | ops/s current | ratio | CPU µs/op baseline | CPU µs/op current | CPU ratio |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const kind of KINDS) {
  const mine = rows.filter((r) => r.kind === kind);
  const col = (label, key) => mine.map((r) => r[label][key]);
  const ratio = mine.map((r) => r.current.rate / r.baseline.rate);
  const cpuRatio = mine.map((r) => r.current.cpuPerOp / r.baseline.cpuPerOp);
  console.log(
    `| ${kind} | ${spread(col('baseline', 'rate'), 0)} | ${spread(col('current', 'rate'), 0)} | ${spread(ratio)} | ` +
      `${spread(col('baseline', 'cpuPerOp'), 0)} | ${spread(col('current', 'cpuPerOp'), 0)} | ${spread(cpuRatio)} |`,
  );
}
const peak = (label) => Math.max(...rows.map((r) => r[label].rss ?? 0));
console.log(
  `\nserver RSS, highest sampled: baseline ${peak('baseline').toFixed(0)} MiB, current ${peak('current').toFixed(0)} MiB`,
);
for (const { t, client } of builds) {
  await client.close();
  await t.stop();
}
