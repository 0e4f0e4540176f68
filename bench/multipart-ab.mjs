#!/usr/bin/env node
// CompleteMultipartUpload alone (8 and 32 parts of 8 MiB, 3 each per round) for two builds of the
// s3scribe command, alternating per round; data dirs on disk unless DATA_ROOT is given.
//   node bench/multipart-ab.mjs OLD_CLI NEW_CLI [ROUNDS] [DATA_ROOT]
import { setDataRoot, startTarget } from './servers.mjs';
import { multipartCompletion } from './workloads.mjs';
const [oldCli, newCli, rounds = '3', root] = process.argv.slice(2);
if (root) setDataRoot(root);
const cfg = { mpuPartBytes: 8 * 1024 * 1024, mpuCompleteParts: [8, 32], mpuCompleteReps: 3 };
const out = {};
for (let r = 0; r < Number(rounds); r++) {
  for (const [label, cli] of r % 2
    ? [
        ['new', newCli],
        ['old', oldCli],
      ]
    : [
        ['old', oldCli],
        ['new', newCli],
      ]) {
    const t = await startTarget('s3scribe', { cli });
    for (const rec of await multipartCompletion(t, cfg)) {
      const name = `${label} ${rec.workload}`;
      out[name] = [...(out[name] ?? []), ...rec.timesMs];
    }
    await t.stop();
  }
}
for (const [k, v] of Object.entries(out)) {
  const s = [...v].sort((a, b) => a - b);
  console.log(k, 'median', s[Math.floor(s.length / 2)], 'min', s[0], 'max', s.at(-1), 'n', s.length);
}
process.exit(0);
