#!/usr/bin/env node
// A versioned bucket against an unversioned one on the same server: 4 KiB PUT (overwrites of 500
// keys, so the versioned bucket keeps every old version) and GET at c=16, buckets alternating.
//   node bench/versioning-ab.mjs [--rounds 5] [--ops 3000]
import { randomFillSync } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startTarget } from './servers.mjs';
import { RawClient, runOps } from './workloads.mjs';

const { values: opts } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, ops: { type: 'string', default: '3000' } },
});
const ROUNDS = Number(opts.rounds);
const OPS = Number(opts.ops);
const KEYS = 500;
const body = randomFillSync(Buffer.alloc(4096));

const target = await startTarget('s3scribe');
const c = new RawClient(target, 16);
const buckets = { unversioned: 'ab-plain', versioned: 'ab-versioned' };
const results = { unversioned: { put: [], get: [] }, versioned: { put: [], get: [] } };
try {
  for (const name of Object.values(buckets)) await c.send('PUT', `/${name}`);
  await c.send('PUT', `/${buckets.versioned}?versioning`, {
    body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>',
  });
  const order = Object.keys(buckets);
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 ? [...order].reverse() : order) {
      const bucket = buckets[kind];
      const put = await runOps({
        concurrency: 16,
        maxOps: OPS,
        maxMs: 60_000,
        op: (i) => c.send('PUT', `/${bucket}/k-${i % KEYS}`, { body }),
      });
      const get = await runOps({
        concurrency: 16,
        maxOps: OPS,
        maxMs: 60_000,
        op: (i) => c.send('GET', `/${bucket}/k-${i % KEYS}`),
      });
      if (put.errors || get.errors) throw new Error([...put.errorSamples, ...get.errorSamples].join('; '));
      results[kind].put.push(put.opsPerSec);
      results[kind].get.push(get.opsPerSec);
    }
  }
} finally {
  await c.close();
  await target.stop();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `${Math.round(median(xs))} (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;
for (const op of ['put', 'get']) {
  const ratios = results.versioned[op].map((v, i) => v / results.unversioned[op][i]);
  process.stdout.write(
    `4 KiB ${op.toUpperCase()} c=16: unversioned ${fmt(results.unversioned[op])}, versioned ${fmt(results.versioned[op])} ops/s;` +
      ` versioned/unversioned per round ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})\n`,
  );
}
