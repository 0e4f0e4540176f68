#!/usr/bin/env node
// A multipart upload against plain PUTs of the same bytes on one server: 8 × 8 MiB, 4 in flight,
// alternating in every round. Splits the multipart time into Create, the parts and Complete, so it
// shows whether the parts themselves cost more than PUTs or the two extra requests do.
//   node bench/multipart-vs-put.mjs [--rounds 8] [--target s3scribe|ceiling]
import { randomFillSync } from 'node:crypto';
import { parseArgs } from 'node:util';
import { installCleanup, startTarget } from './servers.mjs';
import { completeUpload, createBucket, inFlight, RawClient, uploadParts } from './workloads.mjs';

const { values: opts } = parseArgs({
  options: { rounds: { type: 'string', default: '8' }, target: { type: 'string', default: 's3scribe' } },
});
const PARTS = 8;
installCleanup();
const target = await startTarget(opts.target);
const client = new RawClient(target, 4);
const part = randomFillSync(Buffer.alloc(8 * 1024 * 1024));
const times = { plain: [], multipart: [], create: [], parts: [], complete: [] };
const now = () => performance.now();
try {
  await createBucket(client, 'bench-mpu-put');
  for (let round = 0; round < Number(opts.rounds); round++) {
    const plain = async () => {
      const s = now();
      await inFlight(
        4,
        Array.from(
          { length: PARTS },
          (_, p) => () => client.send('PUT', `/bench-mpu-put/plain-${round}-${p}`, { body: part }),
        ),
      );
      times.plain.push(now() - s);
    };
    const multipart = async () => {
      const key = `/bench-mpu-put/multipart-${round}`;
      const s = now();
      // uploadParts times Create and the parts together; Create alone is timed on a second upload.
      const upload = await uploadParts(client, key, PARTS, part);
      const s2 = now();
      await completeUpload(client, key, upload);
      const s3 = now();
      times.multipart.push(s3 - s);
      times.complete.push(s3 - s2);
      const c0 = now();
      await client.send('POST', `${key}-create?uploads`);
      times.create.push(now() - c0);
      times.parts.push(s2 - s - times.create.at(-1));
    };
    if (opts.target === 'ceiling') await plain();
    else for (const run of round % 2 ? [multipart, plain] : [plain, multipart]) await run();
  }
} finally {
  await client.close();
  await target.stop();
}
const spread = (xs, d = 1) => {
  if (xs.length === 0) return '–';
  const s = [...xs].sort((a, b) => a - b);
  return `${s[s.length >> 1].toFixed(d)} (${s[0].toFixed(d)}–${s.at(-1).toFixed(d)})`;
};
console.log(`# ${opts.target}: ${PARTS} × 8 MiB, 4 in flight, ${opts.rounds} rounds; ms, median (min–max)\n`);
console.log('| plain PUTs | multipart | of which Create (separate) | parts | Complete |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
console.log(
  `| ${[times.plain, times.multipart, times.create, times.parts, times.complete].map((xs) => spread(xs)).join(' | ')} |`,
);
const ratio = times.multipart.map((m, i) => times.plain[i] / m);
if (ratio.length) console.log(`\nplain PUTs' time / multipart time, per round: ${spread(ratio, 2)}`);
