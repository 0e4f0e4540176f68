#!/usr/bin/env node
// DeleteObjects of 1,000 keys (0-byte objects PUT just before, at c=16) for two builds of the
// s3scribe command, alternating per round: milliseconds per DeleteObjects request.
//   node bench/multi-delete-ab.mjs OLD_CLI NEW_CLI [ROUNDS] [DATA_ROOT]
import { createHash } from 'node:crypto';
import { installCleanup, setDataRoot, startTarget } from './servers.mjs';
import { RawClient, createBucket, prepareTarget, runOps } from './workloads.mjs';

const [oldCli, newCli, rounds = '7', root] = process.argv.slice(2);
if (!oldCli || !newCli) throw new Error('usage: node bench/multi-delete-ab.mjs OLD_CLI NEW_CLI [ROUNDS] [DATA_ROOT]');
if (root) setDataRoot(root);
installCleanup();
const KEYS = 1000;

const builds = [];
for (const [label, cli] of [
  ['old', oldCli],
  ['new', newCli],
]) {
  const t = await startTarget('s3scribe', { cli });
  await prepareTarget(t);
  const client = new RawClient(t, 16);
  await createBucket(client, 'multi-delete');
  builds.push({ label, cli, t, client, ms: [] });
}
for (let r = 0; r < Number(rounds); r++) {
  for (const b of r % 2 ? [...builds].reverse() : builds) {
    const key = (i) => `r${r}/k${String(i).padStart(4, '0')}`;
    await runOps({
      concurrency: 16,
      maxOps: KEYS,
      maxMs: 120_000,
      op: (i) => b.client.send('PUT', `/multi-delete/${key(i)}`, { body: Buffer.alloc(0) }),
    });
    const body = `<Delete>${Array.from({ length: KEYS }, (_, i) => `<Object><Key>${key(i)}</Key></Object>`).join('')}</Delete>`;
    const md5 = createHash('md5').update(body).digest('base64');
    const start = performance.now();
    const res = await b.client.send('POST', '/multi-delete?delete', {
      body,
      headers: { 'content-type': 'application/xml', 'content-md5': md5 },
      keepText: true,
    });
    b.ms.push(performance.now() - start);
    const deleted = res.text.match(/<Deleted>/g)?.length ?? 0;
    if (deleted !== KEYS) throw new Error(`${b.label}: ${deleted} of ${KEYS} keys reported deleted`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const b of builds) {
  await b.client.close();
  await b.t.stop();
  const ms = b.ms.map((v) => v.toFixed(0)).join(', ');
  console.log(
    `${b.label} (${b.cli}): DeleteObjects of ${KEYS} keys, median ${median(b.ms).toFixed(0)} ms (rounds: ${ms})`,
  );
}
process.exit(0);
