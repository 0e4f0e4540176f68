#!/usr/bin/env node
// What signature verification costs: the SDK's 4 KiB PutObject and GetObject (c=16, real SigV4
// signatures with a signed payload hash, as the SDK sends over HTTP) against two s3scribe servers
// with the same identity, verification off and on, side by side in alternating order.
//   node bench/signatures-ab.mjs [--rounds N] [--ops N]
// Prints per-round ops/s and the on/off ratio (median and spread); no pass/fail.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { installCleanup, startTarget } from './servers.mjs';
import { rssProbe, runOps } from './workloads.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, ops: { type: 'string' } } });
const ROUNDS = Number(values.rounds ?? 5);
const OPS = Number(values.ops ?? 3000);
const BODY = Buffer.alloc(4096, 'x');
const { S3Client, PutObjectCommand, GetObjectCommand, CreateBucketCommand } = await import('@aws-sdk/client-s3');
const { NodeHttpHandler } = await import('@smithy/node-http-handler');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
installCleanup();

const clientFor = (url) =>
  new S3Client({
    endpoint: url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench-secret' },
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 16 }) }),
    maxAttempts: 1,
  });

const names = ['s3scribe+identity', 's3scribe+sigv4'];
const targets = [];
for (const name of names) {
  const t = await startTarget(name);
  const s3 = clientFor(t.url);
  await s3.send(new CreateBucketCommand({ Bucket: 'sig-ab' }));
  targets.push({ name, t, s3 });
}

async function measure({ s3, t }, kind) {
  const op =
    kind === 'put'
      ? (i) => s3.send(new PutObjectCommand({ Bucket: 'sig-ab', Key: `k${i % 500}`, Body: BODY }))
      : async (i) => {
          const out = await s3.send(new GetObjectCommand({ Bucket: 'sig-ab', Key: `k${i % 500}` }));
          await out.Body.transformToByteArray();
        };
  const probe = rssProbe(t.pid);
  const r = await runOps({ concurrency: 16, maxOps: OPS, maxMs: 60_000, op });
  const p = probe.stop();
  if (r.errors) throw new Error(`${kind}: ${r.errors} errors: ${r.errorSamples.join(' | ')}`);
  return { rate: (r.ops / r.elapsedMs) * 1000, cpuPerOp: (p.serverCpuMs / r.ops) * 1000 };
}

// Warm-up (JIT, sockets, the first objects), not counted.
for (const target of targets) for (const kind of ['put', 'get']) await measure(target, kind);

// The SDK client is often the bottleneck (it signs every request too), so the server's CPU per
// request says more about verification's own cost than requests per second do.
const results = { put: [], get: [] };
const cpuResults = { put: [], get: [] };
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 ? [...targets].reverse() : targets;
  for (const kind of ['put', 'get']) {
    const m = {};
    for (const target of order) m[target.name] = await measure(target, kind);
    const off = m['s3scribe+identity'];
    const on = m['s3scribe+sigv4'];
    results[kind].push(on.rate / off.rate);
    cpuResults[kind].push(on.cpuPerOp / off.cpuPerOp);
    console.log(
      `round ${round + 1} ${kind}: off ${off.rate.toFixed(0)} ops/s ${off.cpuPerOp.toFixed(0)} µs CPU/op, on ${on.rate.toFixed(0)} ops/s ${on.cpuPerOp.toFixed(0)} µs CPU/op, ratio ${(on.rate / off.rate).toFixed(3)}`,
    );
  }
}
const summary = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return `${sorted[Math.floor(sorted.length / 2)].toFixed(3)} (median of ${sorted.length}; min ${sorted[0].toFixed(3)}, max ${sorted.at(-1).toFixed(3)})`;
};
for (const kind of ['put', 'get']) {
  console.log(
    `${kind}: verification on / off = ${summary(results[kind])}; server CPU per request on / off = ${summary(cpuResults[kind])}`,
  );
}
for (const { t, s3 } of targets) {
  s3.destroy();
  await t.stop();
}
