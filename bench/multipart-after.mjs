#!/usr/bin/env node
// The full run's multipart workload (8 × 8 MiB, 4 in flight; the ceiling makes 8 plain PUTs) on
// s3scribe and the ceiling, fresh and then after each workload the full run makes before it (4 KiB
// requests, SDK requests, list pages, the 1 GiB object): whether the state an earlier workload
// leaves in a server slows its multipart uploads.
// `--late`: no multipart upload before the other workloads, as in the full run, where the first
// one comes after them.
// A target may carry node flags after a colon, `s3scribe:--heap-growing-percent=300`, so one build
// with and without a flag runs interleaved (flags separated by spaces, in one argument).
//   node bench/multipart-after.mjs [--targets s3scribe,ceiling] [--reps 4] [--late]
import { parseArgs } from 'node:util';
import { installCleanup, settleWriteBack, startTarget } from './servers.mjs';
import { bigObject, listPages, multipart, prepareTarget, sdkSmall, smallObjects, warmup } from './workloads.mjs';

const { values: opts } = parseArgs({
  options: {
    targets: { type: 'string', default: 's3scribe,ceiling' },
    reps: { type: 'string', default: '4' },
    late: { type: 'boolean', default: false },
  },
});
const MiB = 1024 * 1024;
// The full run's counts (bench/run.mjs, full mode).
const cfg = {
  ...{ mpuParts: 8, mpuPartBytes: 8 * MiB, mpuReps: Number(opts.reps), mpuMs: 20_000, bigBytes: 1024 * MiB },
  ...{ warmupOps: 2000, smallOps: 20_000, smallMs: 700, sdkOps: 10_000, sdkMs: 700 },
  ...{ listKeys: 10_000, fillMs: 60_000, listPages: 300, listMs: 1200 },
};
installCleanup();
const servers = [];
for (const entry of opts.targets.split(',')) {
  const [base, flags] = entry.split(/:(.*)/s);
  const target = await startTarget(base, { nodeFlags: flags ? flags.split(' ') : [] });
  const name = entry;
  await prepareTarget(target);
  servers.push({ name, target });
}
console.log(
  '| after | target | MiB/s (median of reps) | server CPU ms | peak RSS MiB |\n| --- | --- | ---: | ---: | ---: |',
);
const measure = async (after) => {
  for (const { name, target } of servers) {
    settleWriteBack();
    const [r] = await multipart(target, cfg);
    console.log(`| ${after} | ${name} | ${r.value} | ${r.serverCpuMs} | ${r.peakRssMiB} |`);
  }
};
const each = async (fn) => {
  for (const { target } of servers) await fn(target);
};
try {
  if (!opts.late) {
    await measure('nothing');
    await measure('nothing, again');
  }
  await each(async (t) => {
    await warmup(t, cfg);
    for (const c of [1, 16, 64]) await smallObjects(t, cfg, c);
  });
  await measure('4 KiB requests');
  await each((t) => sdkSmall(t, cfg));
  await measure('SDK requests');
  await each((t) => listPages(t, cfg));
  await measure('list pages');
  await each((t) => bigObject(t, cfg));
  await measure('the 1 GiB object');
} finally {
  for (const { target } of servers) await target.stop();
}
