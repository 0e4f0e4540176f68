#!/usr/bin/env node
// A multipart upload against plain PUTs of the same bytes: 8 × 8 MiB, 4 in flight, alternating in
// every round. Splits the multipart time into Create, the parts and Complete, so it shows whether
// the parts themselves cost more than PUTs or the two extra requests do. With --against-ceiling the
// Fastify+fs ceiling runs beside s3scribe and its 8 plain PUTs join the rotation: the multipart
// target is held to those.
//   node bench/multipart-vs-put.mjs [--rounds 8] [--target s3scribe|ceiling] [--against-ceiling]
import { randomFillSync } from 'node:crypto';
import { parseArgs } from 'node:util';
import { installCleanup, settleWriteBack, startTarget } from './servers.mjs';
import { completeUpload, createBucket, inFlight, RawClient, rssProbe, uploadParts } from './workloads.mjs';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '8' },
    target: { type: 'string', default: 's3scribe' },
    'against-ceiling': { type: 'boolean', default: false },
  },
});
const PARTS = 8;
const BUCKET = 'bench-mpu-put';
installCleanup();
const part = randomFillSync(Buffer.alloc(8 * 1024 * 1024));
const times = { ceiling: [], plain: [], multipart: [], create: [], parts: [], complete: [] };
const cpu = { ceiling: [], plain: [], multipart: [] };
const now = () => performance.now();

const open = async (name) => {
  const target = await startTarget(name);
  const client = new RawClient(target, 4);
  await createBucket(client, BUCKET);
  return { target, client };
};
const main = await open(opts.target);
const ceiling = opts['against-ceiling'] ? await open('ceiling') : undefined;

/** Times `fn` on `server` and records the wall time and the server's CPU under `label`. */
const timed = async (label, server, fn) => {
  settleWriteBack();
  const probe = rssProbe(server.target.pid);
  const s = now();
  await fn();
  times[label].push(now() - s);
  cpu[label].push(probe.stop().serverCpuMs);
};
const plainPuts = (server, prefix) => () =>
  inFlight(
    4,
    Array.from(
      { length: PARTS },
      (_, p) => () => server.client.send('PUT', `/${BUCKET}/${prefix}-${p}`, { body: part }),
    ),
  );

try {
  for (let round = 0; round < Number(opts.rounds); round++) {
    const plain = () => timed('plain', main, plainPuts(main, `plain-${round}`));
    const againstCeiling = () => timed('ceiling', ceiling, plainPuts(ceiling, `plain-${round}`));
    const multipart = () =>
      timed('multipart', main, async () => {
        const key = `/${BUCKET}/multipart-${round}`;
        const s = now();
        // uploadParts times Create and the parts together; Create alone is timed on a second upload.
        const upload = await uploadParts(main.client, key, PARTS, part);
        const s2 = now();
        await completeUpload(main.client, key, upload);
        times.complete.push(now() - s2);
        const c0 = now();
        await main.client.send('POST', `${key}-create?uploads`);
        times.create.push(now() - c0);
        times.parts.push(s2 - s - times.create.at(-1));
      });
    const runs = opts.target === 'ceiling' ? [plain] : [plain, multipart, ...(ceiling ? [againstCeiling] : [])];
    // Who goes first turns every round, so a trend in the machine's load favours none; the order
    // runs backwards every other round, so none always follows the same one.
    const order = runs.map((_, i) => runs[(i + round) % runs.length]);
    if (round % 2) order.reverse();
    for (const run of order) await run();
  }
} finally {
  for (const server of [main, ceiling]) {
    if (!server) continue;
    await server.client.close();
    await server.target.stop();
  }
}
const spread = (xs, d = 1) => {
  if (xs.length === 0) return '–';
  const s = [...xs].sort((a, b) => a - b);
  return `${s[s.length >> 1].toFixed(d)} (${s[0].toFixed(d)}–${s.at(-1).toFixed(d)})`;
};
console.log(`# ${opts.target}: ${PARTS} × 8 MiB, 4 in flight, ${opts.rounds} rounds; ms, median (min–max)\n`);
console.log(
  `| ${ceiling ? "ceiling's plain PUTs | " : ''}plain PUTs | multipart | of which Create (separate) | parts | Complete |`,
);
console.log(`| ${ceiling ? '---: | ' : ''}---: | ---: | ---: | ---: | ---: |`);
const columns = [...(ceiling ? [times.ceiling] : []), times.plain, times.multipart, times.create, times.parts];
console.log(`| ${[...columns, times.complete].map((xs) => spread(xs)).join(' | ')} |`);
const perRound = (a, b) => spread(a.map((x, i) => x / b[i]).filter(Number.isFinite), 2);
if (times.multipart.length)
  console.log(`\nplain PUTs' time / multipart time, per round: ${perRound(times.plain, times.multipart)}`);
if (ceiling) {
  console.log(
    `ceiling's plain PUTs' time / s3scribe's multipart time, per round: ${perRound(times.ceiling, times.multipart)}`,
  );
  console.log(
    `ceiling's plain PUTs' time / s3scribe's plain PUTs' time, per round: ${perRound(times.ceiling, times.plain)}`,
  );
  console.log(
    `server CPU ms, median (min–max): ceiling's plain PUTs ${spread(cpu.ceiling, 0)}, s3scribe's plain PUTs ${spread(cpu.plain, 0)}, multipart ${spread(cpu.multipart, 0)}`,
  );
}
