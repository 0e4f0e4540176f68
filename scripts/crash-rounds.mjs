#!/usr/bin/env node
// Crash rounds: each scenario of test/helpers/crash-scenarios.ts run N times against a real
// `node dist/server/cli.js` that is killed with SIGKILL and restarted on the same data dir; the
// invariants (old-or-new whole objects, no leaked temp/upload files, every access-log record of
// an acknowledged request delivered exactly once) are checked after every restart.
//
//   npm run build && node scripts/crash-rounds.mjs [--rounds 20] [--scenario a,b] [--seed N] [--keep]
//                                                   [--big-mib 64] [--delivery-requests 1500] [--list]
//
// Exits 1 on any violation (each is printed with its round), 2 on bad arguments.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runnerImport } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
let args;
try {
  ({ values: args } = parseArgs({
    options: {
      rounds: { type: 'string', default: '20' },
      scenario: { type: 'string' },
      seed: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'big-mib': { type: 'string', default: '64' },
      'delivery-requests': { type: 'string', default: '1500' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(
    'node scripts/crash-rounds.mjs [--rounds 20] [--scenario name,name] [--seed N] [--keep] [--big-mib 64] [--delivery-requests 1500] [--list]\n',
  );
  process.exit(0);
}
if (!existsSync(`${root}/dist/server/cli.js`)) {
  process.stderr.write('dist/server/cli.js is missing: run `npm run build` first\n');
  process.exit(2);
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { module: crash } = await runnerImport(`${root}/test/helpers/crash-scenarios.ts`);
const all = crash.SCENARIOS;
if (args.list) {
  for (const s of all) process.stdout.write(`${s.name.padEnd(20)} ${s.summary}\n`);
  process.exit(0);
}
const wanted = args.scenario ? args.scenario.split(',').map((s) => s.trim()) : all.map((s) => s.name);
const unknown = wanted.filter((n) => !all.some((s) => s.name === n));
if (unknown.length) {
  process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}; --list shows them\n`);
  process.exit(2);
}
const rounds = Number(args.rounds);
const seed = args.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(args.seed);
if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(seed)) {
  process.stderr.write('--rounds and --seed take integers\n');
  process.exit(2);
}
process.stdout.write(`crash rounds: ${rounds} per scenario, seed ${seed}\n`);

const summary = [];
const started = performance.now();
for (const name of wanted) {
  const sc = all.find((s) => s.name === name);
  process.stdout.write(`\n== ${sc.name}: ${sc.summary}\n`);
  const t0 = performance.now();
  let reports = [];
  let crashed;
  try {
    reports = await crash.runScenario(sc, {
      rounds,
      seed,
      keep: args.keep,
      bigSize: Number(args['big-mib']) * 1024 * 1024,
      deliveryRequests: Number(args['delivery-requests']),
      log: (m) => {
        if (m.includes('data dir kept')) process.stdout.write(`   ${m}\n`);
      },
      onRound: (r) => {
        process.stdout.write(
          `  #${String(r.round).padStart(2)} ${r.ok ? 'ok  ' : 'FAIL'} ${(r.ms / 1000).toFixed(1).padStart(5)} s  ${r.detail}` +
            `  [records: ${r.required} required, in-flight ${r.optionalDelivered} delivered / ${r.optionalAbsent} not]\n`,
        );
        for (const n of r.notes) process.stdout.write(`        note: ${n}\n`);
        for (const v of r.violations) process.stdout.write(`        VIOLATION: ${v}\n`);
      },
    });
  } catch (err) {
    crashed = err;
    process.stdout.write(`  harness error: ${err?.stack ?? err}\n`);
  }
  const failed = reports.filter((r) => !r.ok);
  summary.push({
    name: sc.name,
    rounds: reports.length,
    failed: failed.length + (crashed ? 1 : 0),
    violations: failed.reduce((n, r) => n + r.violations.length, 0) + (crashed ? 1 : 0),
    required: reports.at(-1)?.required ?? 0,
    seconds: (performance.now() - t0) / 1000,
  });
}

process.stdout.write('\nscenario              rounds  failed  violations  acked records¹   time\n');
for (const s of summary)
  process.stdout.write(
    `${s.name.padEnd(20)}  ${String(s.rounds).padStart(6)}  ${String(s.failed).padStart(6)}  ${String(s.violations).padStart(10)}  ${String(s.required).padStart(15)}  ${s.seconds.toFixed(0).padStart(4)} s\n`,
  );
const bad = summary.filter((s) => s.failed > 0);
process.stdout.write('¹ acknowledged requests whose record was checked for exactly-once delivery, all rounds\n');
process.stdout.write(
  `\n${bad.length === 0 ? 'all invariants held' : `violations in: ${bad.map((s) => s.name).join(', ')}`} (seed ${seed}, ${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
);
process.exit(bad.length === 0 ? 0 : 1);
