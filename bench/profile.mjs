#!/usr/bin/env node
// CPU profiles of s3scribe under 4 KiB PUT, GET, HEAD, DELETE and ListObjectsV2 at c=16, access logging off and
// on: the server runs the unbundled dist/server/cli.js (so functions keep their files) with
// bench/profile-hook.cjs preloaded; the profiler runs only while one workload does.
//   node bench/profile.mjs [--seconds 5] [--ops PUT,GET,HEAD,DELETE,LIST] [--logging off,on]
//                          [--data-root DIR] [--top 12] [--out DIR]
// Prints the top self-time functions and areas per (workload, logging) and writes the
// .cpuprofile files (open them in Chrome DevTools) to --out (default bench/results/profiles-<time>/).
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { summarize } from './cpuprofile-top.mjs';
import { describeDataRoot, getDataRoot, repoRoot, setDataRoot, startTarget } from './servers.mjs';
import { createBucket, prepareTarget, RawClient, runOps } from './workloads.mjs';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    'data-root': { type: 'string' },
    top: { type: 'string', default: '12' },
    ops: { type: 'string', default: 'PUT,GET' },
    logging: { type: 'string', default: 'off,on' },
    out: { type: 'string' },
  },
});
if (opts['data-root']) setDataRoot(opts['data-root']);
const seconds = Number(opts.seconds);
const outDir =
  opts.out ?? join(repoRoot, 'bench', 'results', `profiles-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(outDir, { recursive: true });
const cli = join(repoRoot, 'dist', 'server', 'cli.js');
if (!existsSync(cli)) throw new Error('run npm run build first');
const BODY = Buffer.alloc(4096, 'x');

async function profiled(target, prefix, index, run) {
  target.child.kill('SIGUSR2');
  await sleep(200);
  const result = await run();
  target.child.kill('SIGUSR2');
  const file = `${prefix}-${index}.cpuprofile`;
  for (let i = 0; i < 100 && !existsSync(file); i++) await sleep(100);
  await sleep(200);
  return { result, profile: JSON.parse(await readFile(file, 'utf8')), file };
}

console.log(
  `# s3scribe CPU profiles, 4 KiB at c=16, ${seconds} s each; data under ${getDataRoot()} (${describeDataRoot()})\n`,
);
const ops = opts.ops.toUpperCase().split(',');
const targets = opts.logging.split(',').map((l) => (l === 'on' ? 's3scribe+logging' : 's3scribe'));
for (const name of targets) {
  const prefix = join(outDir, name.replace('+', '-'));
  const target = await startTarget(name, {
    cli,
    nodeFlags: ['-r', join(repoRoot, 'bench', 'profile-hook.cjs')],
    env: { S3SCRIBE_PROFILE_OUT: prefix },
  });
  try {
    await prepareTarget(target);
    const client = new RawClient(target, 16);
    await createBucket(client, 'bench-prof');
    const key = (i) => `/bench-prof/obj-${i}`;
    // Warm up (the JIT), then PUT keys for the reads and deletes, then each workload in turn.
    await runOps({ concurrency: 16, maxOps: 2000, maxMs: 2000, op: (i) => client.send('PUT', key(i), { body: BODY }) });
    const bound = { concurrency: 16, maxOps: 1e7, maxMs: seconds * 1000 };
    const profiles = [];
    let stored = 2000;
    let index = 0;
    for (const op of ops) {
      // A DELETE of a key that is not there is a different (cheaper) path: never run past the keys.
      const limit = op === 'DELETE' ? { ...bound, maxOps: stored } : bound;
      const body = op === 'PUT' ? { body: BODY } : op === 'DELETE' ? { expect: [204] } : {};
      // LIST: ListObjectsV2 pages of 1,000 from a different start each time.
      const send = (i) =>
        op === 'LIST'
          ? client.send('GET', `/bench-prof?list-type=2&start-after=obj-${i % stored}`)
          : client.send(op, key(op === 'PUT' ? i : i % stored), body);
      const run = await profiled(target, prefix, index++, () => runOps({ ...limit, op: send }));
      if (op === 'PUT') stored = Math.max(stored, run.result.ops);
      profiles.push([op, run]);
    }
    await client.close();
    for (const [op, { result, profile, file }] of profiles) {
      const s = summarize(profile, Number(opts.top));
      console.log(
        `## 4 KiB ${op} c=16, logging ${target.logging ? 'on' : 'off'}: ${Math.round(result.opsPerSec)} ops/s, sampled ${s.totalMs} ms (${file})\n`,
      );
      console.log('| self ms | % | function |\n| ---: | ---: | --- |');
      for (const f of s.functions) console.log(`| ${f.ms} | ${f.pct} | \`${f.name}\` |`);
      console.log('\n| self ms | % | area |\n| ---: | ---: | --- |');
      for (const f of s.areas) console.log(`| ${f.ms} | ${f.pct} | ${f.name} |`);
      console.log('');
    }
  } finally {
    await target.stop();
  }
}
process.exit(0);
