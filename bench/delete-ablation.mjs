#!/usr/bin/env node
// Where a 4 KiB DELETE's cost goes, by taking work away: s3scribe as built, the same build with the
// listing index left out of DeleteObject (a copy of dist/ under dist/ablation-noindex/ whose
// deleteObject skips the row removal, the key's mark and their commit; for measurement only: its
// listings go stale), the Fastify+fs ceiling, and the ceiling with its listing in LMDB. Each round
// PUTs N keys on every target and then DELETEs them, targets in turn (the order flips every round);
// the table gives the server's CPU per DELETE and DELETEs per second, median (min–max) over rounds.
//   node bench/delete-ablation.mjs [--rounds 8] [--ops 6000] [--c 16] [--data-root /dev/shm]
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { installCleanup, repoRoot, setDataRoot, startTarget } from './servers.mjs';
import { RawClient, createBucket, prepareTarget, rssProbe, runOps } from './workloads.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '8' },
    ops: { type: 'string', default: '6000' },
    c: { type: 'string', default: '16' },
    'data-root': { type: 'string' },
  },
});
if (values['data-root']) setDataRoot(values['data-root']);
const ROUNDS = Number(values.rounds);
const N = Number(values.ops);
const C = Number(values.c);
const BODY = Buffer.alloc(4096, 'x');
installCleanup();

/** A copy of dist/ (inside it, so node_modules resolve) whose DeleteObject leaves the index alone. */
function noIndexBuild() {
  const dist = join(repoRoot, 'dist');
  const copy = join(dist, 'ablation-noindex');
  rmSync(copy, { recursive: true, force: true });
  for (const entry of readdirSync(dist)) {
    if (entry.startsWith('bin') || entry.startsWith('ablation')) continue;
    cpSync(join(dist, entry), join(copy, entry), { recursive: true });
  }
  const file = join(copy, 'storage', 'fs', 'fs-storage.js');
  const source = readFileSync(file, 'utf8');
  const patched = source
    .replace(/const row = [^;\n]*removeMarked[^;\n]*;/, 'const row = undefined;')
    .replace(/else if \(!index && existed\)\s*this\.noteChange\(state, \(i\) => i\.remove\(key\)\);/, ';');
  const changes = [source !== patched, !/removeMarked|i\.remove\(key\)/.test(patched.split('writeDeleteMarker')[0])];
  if (changes.includes(false)) throw new Error(`${file}: deleteObject no longer looks as this script expects`);
  writeFileSync(file, patched);
  return { cli: join(copy, 'server', 'cli.js'), remove: () => rmSync(copy, { recursive: true, force: true }) };
}

const ablated = noIndexBuild();
const targets = [];
try {
  for (const [label, start] of [
    ['s3scribe', () => startTarget('s3scribe', { cli: join(repoRoot, 'dist', 'server', 'cli.js') })],
    ['s3scribe, no index in DELETE', () => startTarget('s3scribe', { cli: ablated.cli })],
    ['ceiling+index', () => startTarget('ceiling+index')],
    ['ceiling', () => startTarget('ceiling')],
  ]) {
    const t = await start();
    await prepareTarget(t);
    const client = new RawClient(t, C);
    await createBucket(client, 'ablation');
    targets.push({ label, t, client, cpu: [], rate: [] });
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const x of round % 2 ? [...targets].reverse() : targets) {
      const put = await runOps({
        concurrency: C,
        maxOps: N,
        maxMs: 120_000,
        op: (i) => x.client.send('PUT', `/ablation/r${round}-${i}`, { body: BODY }),
      });
      const probe = rssProbe(x.t.pid);
      const del = await runOps({
        concurrency: C,
        maxOps: put.ops,
        maxMs: 120_000,
        op: (i) => x.client.send('DELETE', `/ablation/r${round}-${i}`, { expect: [204] }),
      });
      const p = probe.stop();
      if (put.errors || del.errors)
        throw new Error(`${x.label}: ${[...put.errorSamples, ...del.errorSamples].join(' | ')}`);
      x.cpu.push((p.serverCpuMs / del.ops) * 1000);
      x.rate.push((del.ops / del.elapsedMs) * 1000);
    }
  }
} finally {
  for (const x of targets) {
    await x.client.close();
    await x.t.stop();
  }
  ablated.remove();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
console.log(`# 4 KiB DELETE at c=${C}, ${ROUNDS} rounds of ${N} keys; median (min–max) over rounds\n`);
console.log('| target | server CPU per DELETE (µs) | DELETEs per second |');
console.log('| --- | ---: | ---: |');
for (const x of targets) console.log(`| ${x.label} | ${spread(x.cpu)} | ${spread(x.rate)} |`);
process.exit(0);
