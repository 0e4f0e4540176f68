#!/usr/bin/env node
// Where a server's CPU goes across all its threads and the kernel, which V8's profiler (main thread
// only) cannot show: `perf record` (Linux perf, `apt-get install linux-perf`) samples the server
// process while one 4 KiB workload runs, then `perf report` splits the samples by object (the
// kernel, node's own code and V8's builtins, JIT-compiled JavaScript, libc, LMDB's native module)
// and lists the top symbols. The server runs with --perf-basic-prof so JavaScript shows by name.
//   node bench/perf-by-object.mjs [--target s3scribe|ceiling] [--op DELETE|GET|PUT] [--n 40000] [--c 16]
//                                 [--top 30]
// Figures are ms of samples (999 Hz) and µs per request, with perf's own overhead in them: compare
// targets, not absolute values.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { installCleanup, repoRoot, startTarget } from './servers.mjs';
import { createBucket, prepareTarget, RawClient, runOps } from './workloads.mjs';

const { values: opts } = parseArgs({
  options: {
    target: { type: 'string', default: 's3scribe' },
    op: { type: 'string', default: 'DELETE' },
    n: { type: 'string', default: '40000' },
    c: { type: 'string', default: '16' },
    top: { type: 'string', default: '30' },
  },
});
const N = Number(opts.n);
const C = Number(opts.c);
const op = opts.op.toUpperCase();
if (spawnSync('perf', ['--version']).status !== 0) throw new Error('perf not found: apt-get install linux-perf');
installCleanup();
const out = mkdtempSync(join(tmpdir(), 's3scribe-perf-'));
const data = join(out, 'perf.data');
// --perf-basic-prof also starts V8's event log: into the temp dir, not the server's working directory.
const nodeFlags = ['--perf-basic-prof', '--no-logfile-per-isolate', `--logfile=${join(out, 'v8.log')}`];
const target =
  opts.target === 's3scribe'
    ? await startTarget('s3scribe', { cli: join(repoRoot, 'dist', 'server', 'cli.js'), nodeFlags })
    : await startTarget(opts.target, { nodeFlags });
const client = new RawClient(target, C);
let requests = 0;
try {
  await prepareTarget(target);
  await createBucket(client, 'perf-bucket');
  const body = Buffer.alloc(4096, 'x');
  const put = (i) => client.send('PUT', `/perf-bucket/k${i}`, { body });
  // DELETE and GET need the keys first; that part is not recorded.
  if (op !== 'PUT') await runOps({ concurrency: C, maxOps: N, maxMs: 120_000, op: put });
  const perf = spawn('perf', ['record', '-g', '-F', '999', '-p', String(target.pid), '-o', data], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const started = performance.now();
  const r = await runOps({
    concurrency: C,
    maxOps: N,
    maxMs: 120_000,
    op: (i) =>
      op === 'DELETE'
        ? client.send('DELETE', `/perf-bucket/k${i}`, { expect: [204] })
        : op === 'GET'
          ? client.send('GET', `/perf-bucket/k${i % 200}`)
          : put(i),
  });
  requests = r.ops;
  const seconds = (performance.now() - started) / 1000;
  perf.kill('SIGINT');
  await new Promise((resolve) => perf.once('exit', resolve));
  console.log(
    `# ${opts.target}, 4 KiB ${op} at c=${C}: ${requests} requests, ${Math.round(requests / seconds)}/s under perf\n`,
  );
} finally {
  await client.close();
  await target.stop();
}

const report = (sort) =>
  spawnSync('perf', ['report', '-i', data, '--no-children', '-n', '--sort', sort, '-g', 'none', '--stdio'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }).stdout;
// `-n` adds each row's sample count; at 999 Hz a sample stands for about 1 ms of CPU.
const rows = (text) =>
  text
    .split('\n')
    .map((l) => /^\s+[\d.]+%\s+(\d+)\s+(.*)$/.exec(l))
    .filter(Boolean)
    .map((m) => ({ ms: Number(m[1]) / 0.999, name: m[2].trim() }));
const perRequest = (ms, d) => ((ms * 1000) / requests).toFixed(d);
console.log('| object | ms | µs a request |\n| --- | ---: | ---: |');
for (const { ms, name } of rows(report('dso')))
  console.log(
    `| ${name.replace(/\[JIT\] tid \d+/, 'JIT-compiled JavaScript')} | ${ms.toFixed(0)} | ${perRequest(ms, 1)} |`,
  );
console.log('\n| symbol | ms | µs a request |\n| --- | ---: | ---: |');
for (const { ms, name } of rows(report('sym')).slice(0, Number(opts.top)))
  console.log(`| \`${name.replace(/\|/g, '\\|')}\` | ${ms.toFixed(0)} | ${perRequest(ms, 2)} |`);
rmSync(out, { recursive: true, force: true });
