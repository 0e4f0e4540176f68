#!/usr/bin/env node
// Does s3scribe slow down as its process ages? One long-lived s3scribe and one ceiling server,
// measured in alternating short bursts (4 KiB GET and PUT, c=16) for a number of rounds, with the
// server's RSS and CPU time per burst. A drift shows as s3scribe's ops/s (and its ratio to the
// ceiling, which absorbs machine noise) falling round after round while the ceiling holds.
//   node bench/drift.mjs [--rounds 20] [--ms 3000]
import { parseArgs } from 'node:util';
import { installCleanup, startTarget } from './servers.mjs';
import { RawClient, createBucket, rssProbe, runOps } from './workloads.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, ms: { type: 'string' } } });
const ROUNDS = Number(values.rounds ?? 20);
const MS = Number(values.ms ?? 3000);
const BODY = Buffer.alloc(4096, 'x');
installCleanup();

const targets = [];
for (const name of ['ceiling', 's3scribe']) {
  const t = await startTarget(name);
  const client = new RawClient(t, 16);
  await createBucket(client, 'drift');
  for (let i = 0; i < 200; i++) await client.send('PUT', `/drift/k${i}`, { body: BODY });
  targets.push({ name, t, client });
}

const burst = async ({ t, client }, kind) => {
  const probe = rssProbe(t.pid);
  const r = await runOps({
    concurrency: 16,
    maxOps: 1e9,
    maxMs: MS,
    op: (i) =>
      kind === 'get'
        ? client.send('GET', `/drift/k${i % 200}`)
        : client.send('PUT', `/drift/p${i % 2000}`, { body: BODY }),
  });
  const p = probe.stop();
  if (r.errors) throw new Error(`${t.name} ${kind}: ${r.errorSamples.join(' | ')}`);
  return { rate: (r.ops / r.elapsedMs) * 1000, rss: p.sampledMaxRssMiB, cpuPerOp: p.serverCpuMs / r.ops };
};

const rows = [];
console.log('round kind  ceiling ops/s  s3scribe ops/s  ratio  s3scribe RSS MiB  s3scribe CPU µs/op');
for (let round = 1; round <= ROUNDS; round++) {
  for (const kind of ['get', 'put']) {
    const order = round % 2 ? targets : [...targets].reverse();
    const out = {};
    for (const target of order) out[target.name] = await burst(target, kind);
    const ratio = out.s3scribe.rate / out.ceiling.rate;
    rows.push({ round, kind, ratio, ...out });
    console.log(
      `${String(round).padStart(5)} ${kind}   ${out.ceiling.rate.toFixed(0).padStart(12)}  ${out.s3scribe.rate.toFixed(0).padStart(14)}  ${ratio.toFixed(2).padStart(5)}  ${out.s3scribe.rss.toFixed(0).padStart(16)}  ${(out.s3scribe.cpuPerOp * 1000).toFixed(0).padStart(18)}`,
    );
  }
}
// First third against last third: a real drift moves both the ratio and the CPU per request.
for (const kind of ['get', 'put']) {
  const mine = rows.filter((r) => r.kind === kind);
  const third = Math.max(1, Math.floor(mine.length / 3));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const early = mine.slice(0, third);
  const late = mine.slice(-third);
  console.log(
    `${kind}: ratio first third ${median(early.map((r) => r.ratio)).toFixed(2)} → last third ${median(late.map((r) => r.ratio)).toFixed(2)}; ` +
      `s3scribe CPU/op ${(median(early.map((r) => r.s3scribe.cpuPerOp)) * 1000).toFixed(0)} → ${(median(late.map((r) => r.s3scribe.cpuPerOp)) * 1000).toFixed(0)} µs; ` +
      `RSS ${median(early.map((r) => r.s3scribe.rss)).toFixed(0)} → ${median(late.map((r) => r.s3scribe.rss)).toFixed(0)} MiB`,
  );
}
for (const { t, client } of targets) {
  await client.close();
  await t.stop();
}
