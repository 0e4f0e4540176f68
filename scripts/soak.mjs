#!/usr/bin/env node
// Soak: 64 concurrent clients mixing PUT/GET/HEAD/LIST/DELETE/multipart (small objects,
// occasional 5 MiB parts) against one `node dist/server/cli.js` with access logging into a target
// bucket, for --seconds. Samples the server's RSS (/proc/<pid>/status VmRSS) and open descriptors
// (/proc/<pid>/fd); at the end flushes and checks that every acknowledged request's record was
// delivered exactly once and that no answer was a 5xx or unexpected. Logic: test/helpers/soak-run.ts.
//
//   npm run build && node scripts/soak.mjs [--seconds 300] [--clients 64] [--sample-seconds N] [--keep]
//
// Exits 1 on any error, on RSS growth (final > 1.5 × RSS at 20% of the run + 30 MiB) or on fd
// growth (final > start + 20); 2 on bad arguments.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runnerImport } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
let args;
try {
  ({ values: args } = parseArgs({
    options: {
      seconds: { type: 'string', default: '300' },
      clients: { type: 'string', default: '64' },
      'sample-seconds': { type: 'string' },
      'big-part-chance': { type: 'string', default: '0.1' },
      seed: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(
    'node scripts/soak.mjs [--seconds 300] [--clients 64] [--sample-seconds N] [--big-part-chance 0.1] [--seed N] [--keep]\n',
  );
  process.exit(0);
}
if (!existsSync(`${root}/dist/server/cli.js`)) {
  process.stderr.write('dist/server/cli.js is missing: run `npm run build` first\n');
  process.exit(2);
}
const seconds = Number(args.seconds);
const clients = Number(args.clients);
if (!(seconds > 0) || !Number.isInteger(clients) || clients < 1) {
  process.stderr.write('--seconds takes a positive number, --clients a positive integer\n');
  process.exit(2);
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { module: soak } = await runnerImport(`${root}/test/helpers/soak-run.ts`);
process.stdout.write(`soak: ${clients} clients for ${seconds} s\n`);
const result = await soak.runSoak({
  seconds,
  clients,
  sampleEveryMs: args['sample-seconds'] === undefined ? undefined : Number(args['sample-seconds']) * 1000,
  bigPartChance: Number(args['big-part-chance']),
  seed: args.seed === undefined ? undefined : Number(args.seed),
  keep: args.keep,
  log: (m) => process.stdout.write(`  ${m}\n`),
});
process.stdout.write(`\n${soak.soakTable(result)}\n`);
for (const e of result.errors.slice(0, 50)) process.stdout.write(`  ERROR: ${e}\n`);
if (result.errors.length > 50) process.stdout.write(`  … ${result.errors.length - 50} more errors\n`);
for (const g of result.growth) process.stdout.write(`  GROWTH: ${g}\n`);
if (!result.ok && args.keep) process.stdout.write(`data dir kept at ${result.dataDir}\n`);
process.stdout.write(`\n${result.ok ? 'soak passed' : 'soak FAILED'}\n`);
process.exit(result.ok ? 0 : 1);
