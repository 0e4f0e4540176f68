#!/usr/bin/env node
// A large streamed PUT and GET on s3scribe and the Fastify+fs ceiling side by side: both servers
// run at once and each round times one PUT and one GET on each, who goes first turning every round,
// so a busy moment of the machine lands on both; the second half of the rounds runs on a fresh pair. The full run times them minutes apart, and one
// stream on 2 cores moves by ±40 % from one run to the next.
// `--baseline` is the ceiling or another build's command (dist/bin/s3scribe.cjs of an older
// checkout); `--current-cli` runs another build than this one's on the s3scribe side. Ratios are
// s3scribe's figure over the baseline's, round by round: above 1 is faster for MiB/s, costlier for
// CPU and RSS.
// `--multipart` uploads the object as 8 MiB parts (so the GET reads across part files); it needs
// an s3scribe build on both sides.
//   node bench/big-ab.mjs [--rounds 8] [--mib 1024] [--baseline ceiling|PATH] [--current-cli PATH]
//                         [--multipart]
import { parseArgs } from 'node:util';
import { installCleanup, startTarget } from './servers.mjs';
import {
  completeUpload,
  createBucket,
  RawClient,
  RequestError,
  rssProbe,
  streamedBody,
  uploadParts,
} from './workloads.mjs';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '8' },
    mib: { type: 'string', default: '1024' },
    baseline: { type: 'string', default: 'ceiling' },
    'current-cli': { type: 'string' },
    multipart: { type: 'boolean', default: false },
  },
});
if (opts.multipart && opts.baseline === 'ceiling')
  throw new Error('--multipart needs --baseline PATH (the ceiling has no multipart)');
const BUCKET = 'bench-big-ab';
const MiB = 1024 * 1024;
const size = Number(opts.mib) * MiB;
const chunk = Buffer.alloc(MiB, 7);
installCleanup();

const sides = [
  { name: 's3scribe', kind: 's3scribe', cli: opts['current-cli'] },
  opts.baseline === 'ceiling'
    ? { name: 'ceiling', kind: 'ceiling' }
    : { name: 'baseline', kind: 's3scribe', cli: opts.baseline },
].map((side) => ({ ...side, put: [], get: [], putCpu: [], getCpu: [], putRss: [], getRss: [] }));

/** Starts both sides' servers, `first` first. */
const startPair = async (first) => {
  const pair = [];
  for (const side of first === 0 ? sides : [...sides].reverse()) {
    const target = await startTarget(side.kind, { cli: side.cli });
    const client = new RawClient(target, 1);
    await createBucket(client, BUCKET);
    pair.push({ side, target, client });
  }
  return pair;
};

const PART = 8 * MiB;
const putPlain = (client) =>
  client.send('PUT', `/${BUCKET}/big`, {
    body: streamedBody(size, chunk),
    headers: { 'content-length': String(size) },
  });
const putMultipart = async (client) => {
  const key = `/${BUCKET}/big`;
  await completeUpload(client, key, await uploadParts(client, key, Math.ceil(size / PART), Buffer.alloc(PART, 7)));
};

/** MiB/s of `fn` on `target`, the server's CPU ms and its peak RSS MiB over it. */
const timed = async (target, fn) => {
  const probe = rssProbe(target.pid);
  const start = performance.now();
  await fn();
  const rate = size / MiB / ((performance.now() - start) / 1000);
  const { serverCpuMs, peakRssMiB } = probe.stop();
  return [rate, serverCpuMs, peakRssMiB];
};

/** One round: a PUT on each server, then a GET on each, who goes first turning with the round. */
const runRound = async (pair, round) => {
  const order = round % 2 ? [...pair].reverse() : pair;
  for (const { side, client, target } of order) {
    const [rate, cpu, rss] = await timed(target, () => (opts.multipart ? putMultipart(client) : putPlain(client)));
    side.put.push(rate);
    side.putCpu.push(cpu);
    side.putRss.push(rss);
  }
  for (const { side, client, target } of [...order].reverse()) {
    const [rate, cpu, rss] = await timed(target, async () => {
      const r = await client.send('GET', `/${BUCKET}/big`);
      if (r.bytes !== size) throw new RequestError(`GET returned ${r.bytes} bytes, expected ${size}`);
    });
    side.get.push(rate);
    side.getCpu.push(cpu);
    side.getRss.push(rss);
  }
};

// Two processes of one build can differ by a fifth in CPU per byte for as long as they live, and
// which server started first has favoured it by as much: half the rounds run on a pair started one
// way round, the other half on a fresh pair started the other way.
const rounds = Number(opts.rounds);
for (const first of [0, 1]) {
  const pair = await startPair(first);
  try {
    const from = first === 0 ? 0 : Math.ceil(rounds / 2);
    const to = first === 0 ? Math.ceil(rounds / 2) : rounds;
    for (let round = from; round < to; round++) await runRound(pair, round);
  } finally {
    for (const { client, target } of pair) {
      await client.send('DELETE', `/${BUCKET}/big`, { expect: [204, 404] }).catch(() => undefined);
      await client.close();
      await target.stop();
    }
  }
}

const spread = (xs, d = 0) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[s.length >> 1].toFixed(d)} (${s[0].toFixed(d)}–${s.at(-1).toFixed(d)})`;
};
const [cur, base] = sides;
console.log(`# ${opts.mib} MiB streamed, ${cur.name} against ${base.name}, ${opts.rounds} rounds; median (min–max)\n`);
const row = (label, base, cur) =>
  `| ${label} | ${spread(base)} | ${spread(cur)} | ${spread(
    cur.map((x, i) => x / base[i]),
    2,
  )} |`;
console.log(`| | ${base.name} | ${cur.name} | ${cur.name}/${base.name} per round |`);
console.log('| --- | ---: | ---: | ---: |');
for (const kind of ['put', 'get']) {
  const label = kind.toUpperCase();
  console.log(row(`${label} MiB/s`, base[kind], cur[kind]));
  console.log(row(`${label} server CPU ms`, base[`${kind}Cpu`], cur[`${kind}Cpu`]));
  console.log(row(`${label} peak RSS MiB`, base[`${kind}Rss`], cur[`${kind}Rss`]));
}
