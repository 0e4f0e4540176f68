#!/usr/bin/env node
// A large streamed PUT and GET on s3scribe and the Fastify+fs ceiling side by side: both servers
// run at once and each round times one PUT and one GET on each, who goes first turning every round,
// so a busy moment of the machine lands on both. The full run times them minutes apart, and one
// stream on 2 cores moves by ±40 % from one run to the next.
// `--baseline` is the ceiling or another build's command (dist/bin/s3scribe.cjs of an older
// checkout); `--current-cli` runs another build than this one's on the s3scribe side. Ratios are
// s3scribe's figure over the baseline's, round by round: above 1 is faster for MiB/s, costlier for
// CPU and RSS.
//   node bench/big-ab.mjs [--rounds 8] [--mib 1024] [--baseline ceiling|PATH] [--current-cli PATH]
import { parseArgs } from 'node:util';
import { installCleanup, startTarget } from './servers.mjs';
import { createBucket, RawClient, RequestError, rssProbe, streamedBody } from './workloads.mjs';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '8' },
    mib: { type: 'string', default: '1024' },
    baseline: { type: 'string', default: 'ceiling' },
    'current-cli': { type: 'string' },
  },
});
const BUCKET = 'bench-big-ab';
const MiB = 1024 * 1024;
const size = Number(opts.mib) * MiB;
const chunk = Buffer.alloc(MiB, 7);
installCleanup();

const servers = [];
for (const [name, cli] of [
  ['s3scribe', opts['current-cli']],
  opts.baseline === 'ceiling' ? ['ceiling'] : ['baseline', opts.baseline],
]) {
  const target = await startTarget(name === 'baseline' ? 's3scribe' : name, { cli });
  const client = new RawClient(target, 1);
  await createBucket(client, BUCKET);
  servers.push({ name, target, client, put: [], get: [], putCpu: [], getCpu: [], putRss: [], getRss: [] });
}

/** MiB/s of `fn` on `server`, the server's CPU ms and its peak RSS MiB over it. */
const timed = async (server, fn) => {
  const probe = rssProbe(server.target.pid);
  const start = performance.now();
  await fn();
  const rate = size / MiB / ((performance.now() - start) / 1000);
  const { serverCpuMs, peakRssMiB } = probe.stop();
  return [rate, serverCpuMs, peakRssMiB];
};

try {
  for (let round = 0; round < Number(opts.rounds); round++) {
    const order = round % 2 ? [...servers].reverse() : servers;
    for (const s of order) {
      const [rate, cpu, rss] = await timed(s, () =>
        s.client.send('PUT', `/${BUCKET}/big`, {
          body: streamedBody(size, chunk),
          headers: { 'content-length': String(size) },
        }),
      );
      s.put.push(rate);
      s.putCpu.push(cpu);
      s.putRss.push(rss);
    }
    for (const s of [...order].reverse()) {
      const [rate, cpu, rss] = await timed(s, async () => {
        const r = await s.client.send('GET', `/${BUCKET}/big`);
        if (r.bytes !== size) throw new RequestError(`GET returned ${r.bytes} bytes, expected ${size}`);
      });
      s.get.push(rate);
      s.getCpu.push(cpu);
      s.getRss.push(rss);
    }
  }
} finally {
  for (const s of servers) {
    await s.client.send('DELETE', `/${BUCKET}/big`, { expect: [204, 404] }).catch(() => undefined);
    await s.client.close();
    await s.target.stop();
  }
}

const spread = (xs, d = 0) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[s.length >> 1].toFixed(d)} (${s[0].toFixed(d)}–${s.at(-1).toFixed(d)})`;
};
const [cur, base] = servers;
console.log(`# ${opts.mib} MiB streamed, ${cur.name} against ${base.name}, ${opts.rounds} rounds; median (min–max)\n`);
const row = (label, base, cur) =>
  `| ${label} | ${spread(base)} | ${spread(cur)} | ${spread(
    cur.map((x, i) => x / base[i]),
    2,
  )} |`;
console.log(`| | ${base.name} | ${cur.name} | ${cur.name}/${base.name} per round |`);
console.log('| --- | ---: | ---: | ---: |');
for (const kind of ['put', 'get']) {
  const label = kind.toUpperCase();
  console.log(row(`${label} MiB/s`, base[kind], cur[kind]));
  console.log(row(`${label} server CPU ms`, base[`${kind}Cpu`], cur[`${kind}Cpu`]));
  console.log(row(`${label} peak RSS MiB`, base[`${kind}Rss`], cur[`${kind}Rss`]));
}
