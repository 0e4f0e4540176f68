// The workloads. Each one runs against a started Target (servers.mjs), is bounded in operation
// count AND wall time, and returns a result record that carries the server's peak RSS and the
// machine's 1-minute load average.
import { randomFillSync } from 'node:crypto';
import http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Readable } from 'node:stream';
import { Pool } from 'undici';
import { amzDate, authHeader } from './servers.mjs';

const KiB = 1024;
const MiB = 1024 * KiB;
const now = () => performance.now();

// ---- server process stats ------------------------------------------------------------------------
function procStatus(pid) {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return '';
  }
}
function statusKiB(text, field) {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}
/** utime + stime of pid, in ms. */
function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ = 100 on Linux
  } catch {
    return NaN;
  }
}

/**
 * Resets the peak-RSS counter of pid (echo 5 > clear_refs), samples VmRSS every 100 ms, and on
 * stop() reports max(VmHWM, sampled VmRSS) in MiB together with the server's CPU time.
 */
export function rssProbe(pid) {
  let hwmReset = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    hwmReset = false; // VmHWM then covers the whole process life; the samples still bound the workload
  }
  let sampledMax = statusKiB(procStatus(pid), 'VmRSS') || 0;
  const timer = setInterval(() => {
    const rss = statusKiB(procStatus(pid), 'VmRSS');
    if (rss > sampledMax) sampledMax = rss;
  }, 100);
  timer.unref();
  const cpu0 = cpuMs(pid);
  return {
    stop() {
      clearInterval(timer);
      const status = procStatus(pid);
      const rss = statusKiB(status, 'VmRSS');
      if (rss > sampledMax) sampledMax = rss;
      const hwm = statusKiB(status, 'VmHWM');
      const peak = Math.max(Number.isNaN(hwm) ? 0 : hwm, sampledMax);
      return {
        peakRssMiB: round(peak / 1024, 1),
        vmHwmMiB: round(hwm / 1024, 1),
        sampledMaxRssMiB: round(sampledMax / 1024, 1),
        hwmReset,
        serverCpuMs: cpuMs(pid) - cpu0,
        loadavg1: round(loadavg()[0], 2),
      };
    },
  };
}

const round = (x, d) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);

// ---- HTTP client ---------------------------------------------------------------------------------
export class RequestError extends Error {}

/**
 * Raw keep-alive S3 client on one undici Pool (connections = concurrency). HEAD requests go through
 * a keep-alive node:http agent instead: undici closes the connection after every HEAD (it guards
 * against servers that send a body anyway), so through the pool each HEAD would pay for a new
 * connection, which the SDKs (node:http, keep-alive) never do.
 */
export class RawClient {
  constructor(target, connections) {
    this.target = target;
    this.pool = new Pool(target.url, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
    this.headAgent = new http.Agent({ keepAlive: true, maxSockets: connections });
    this.auth = authHeader(target.accessKey);
  }

  head(path, headers) {
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${this.target.url}${path}`,
        { method: 'HEAD', agent: this.headAgent, headers },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ statusCode: res.statusCode, headers: res.headers, body: [] }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  headers(extra) {
    return { authorization: this.auth, 'x-amz-date': amzDate(), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...extra };
  }

  /** One request; the body is always consumed. Returns { status, headers, bytes, text? }. */
  async send(method, path, { body, headers, expect = [200], keepText = false } = {}) {
    const res =
      method === 'HEAD'
        ? await this.head(path, this.headers(headers))
        : await this.pool.request({ method, path, body, headers: this.headers(headers) });
    let bytes = 0;
    const chunks = keepText || !expect.includes(res.statusCode) ? [] : null;
    for await (const chunk of res.body) {
      bytes += chunk.length;
      if (chunks) chunks.push(chunk);
    }
    const text = chunks ? Buffer.concat(chunks).toString('utf8') : undefined;
    if (!expect.includes(res.statusCode)) {
      throw new RequestError(
        `${method} ${path} -> ${res.statusCode} ${(text ?? '').replace(/\s+/g, ' ').slice(0, 300)}`,
      );
    }
    return { status: res.statusCode, headers: res.headers, bytes, text };
  }

  close() {
    this.headAgent.destroy();
    return this.pool.destroy();
  }
}

/**
 * Runs op(i) for i = 0, 1, ... from `concurrency` workers until maxOps were started or maxMs
 * passed. Collects per-op latency; stops early after 50 errors.
 */
export async function runOps({ concurrency, maxOps, maxMs, op }) {
  const lat = new Float64Array(maxOps);
  let next = 0;
  let done = 0;
  let errors = 0;
  const errorSamples = [];
  const t0 = now();
  const deadline = t0 + maxMs;
  async function worker() {
    while (next < maxOps && now() < deadline) {
      const i = next++;
      const s = now();
      try {
        await op(i);
        lat[done++] = now() - s;
      } catch (err) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(String(err?.message ?? err).slice(0, 400));
        if (errors >= 50) next = maxOps;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = now() - t0;
  const sorted = lat.subarray(0, done).sort();
  const pct = (p) => (done ? sorted[Math.min(done - 1, Math.floor(p * done))] : null);
  return {
    ops: done,
    errors,
    errorSamples,
    elapsedMs: round(elapsedMs, 1),
    opsPerSec: done ? (done / elapsedMs) * 1000 : null,
    p50Ms: round(pct(0.5), 3),
    p99Ms: round(pct(0.99), 3),
    maxMs: round(done ? sorted[done - 1] : null, 3),
  };
}

/** A body of `total` bytes that reuses one buffer: never holds more than `chunk` in memory. */
export function streamedBody(total, chunk) {
  function* gen() {
    let left = total;
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      yield n === chunk.length ? chunk : chunk.subarray(0, n);
    }
  }
  return Readable.from(gen(), { objectMode: false });
}

const BODY_4K = randomFillSync(Buffer.alloc(4 * KiB));
const pad = (i) => String(i).padStart(7, '0');

// ---- bucket setup --------------------------------------------------------------------------------
export const LOG_BUCKET = 'bench-logs';

/** Creates a bucket; on the logging target, also turns access logging on for it. */
export async function createBucket(client, bucket) {
  await client.send('PUT', `/${bucket}`);
  if (client.target.logging) {
    const body =
      '<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LoggingEnabled>' +
      `<TargetBucket>${LOG_BUCKET}</TargetBucket><TargetPrefix>logs/${bucket}/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`;
    await client.send('PUT', `/${bucket}?logging`, { body, headers: { 'content-type': 'application/xml' } });
  }
}

export async function prepareTarget(target) {
  const client = new RawClient(target, 1);
  try {
    if (target.logging) await client.send('PUT', `/${LOG_BUCKET}`);
  } finally {
    await client.close();
  }
}

// ---- workloads -------------------------------------------------------------------------------------
// Each workload function returns an array of result records:
//   { workload, value, unit, ...details }; run.mjs adds target/round/etc.

/** Wraps a measurement with the RSS/CPU/load probe. */
async function probed(target, fn) {
  const probe = rssProbe(target.pid);
  try {
    const result = await fn();
    return { ...result, ...probe.stop() };
  } catch (err) {
    probe.stop();
    throw err;
  }
}

function opsResult(workload, r, extra = {}) {
  return {
    workload,
    value: r.opsPerSec === null ? null : round(r.opsPerSec, 1),
    unit: 'ops/s',
    ops: r.ops,
    errors: r.errors,
    errorSamples: r.errorSamples,
    elapsedMs: r.elapsedMs,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    maxLatencyMs: r.maxMs,
    ...extra,
  };
}

/** Untimed: JIT and connection warm-up. */
export async function warmup(target, cfg) {
  const client = new RawClient(target, 16);
  try {
    await createBucket(client, 'bench-warm');
    const n = cfg.warmupOps;
    await runOps({
      concurrency: 16,
      maxOps: n,
      maxMs: 5000,
      op: (i) => client.send('PUT', `/bench-warm/w${i}`, { body: BODY_4K }),
    });
    await runOps({ concurrency: 16, maxOps: n, maxMs: 5000, op: (i) => client.send('GET', `/bench-warm/w${i}`) });
    // Every kind the small-object workloads measure: otherwise the first HEAD and DELETE cells
    // (c=1) time the JIT compiling those paths, which costs a server with more code more.
    await runOps({ concurrency: 16, maxOps: n, maxMs: 5000, op: (i) => client.send('HEAD', `/bench-warm/w${i}`) });
    await runOps({
      concurrency: 16,
      maxOps: n,
      maxMs: 5000,
      op: (i) => client.send('DELETE', `/bench-warm/w${i}`, { expect: [204] }),
    });
  } finally {
    await client.close();
  }
}

/** 4 KiB PUT, GET, HEAD, DELETE at one concurrency. */
export async function smallObjects(target, cfg, concurrency) {
  const client = new RawClient(target, concurrency);
  const bucket = `bench-c${concurrency}`;
  const out = [];
  try {
    await createBucket(client, bucket);
    // Flat keys: s3rver's DELETE removes emptied key "directories" and races with concurrent
    // DELETEs of sibling keys (500 InternalError); keys without "/" measure its normal path.
    const key = (i) => `/${bucket}/obj-${pad(i)}`;
    const bound = { concurrency, maxOps: cfg.smallOps, maxMs: cfg.smallMs };

    const put = await probed(target, async () =>
      opsResult(
        `put4k.c${concurrency}`,
        await runOps({ ...bound, op: (i) => client.send('PUT', key(i), { body: BODY_4K }) }),
      ),
    );
    out.push(put);
    const stored = put.ops; // keys 0..stored-1 exist (all PUTs before the first failure succeeded or were counted)
    if (!stored) return out;

    out.push(
      await probed(target, async () =>
        opsResult(
          `get4k.c${concurrency}`,
          await runOps({
            ...bound,
            op: async (i) => {
              const r = await client.send('GET', key(i % stored));
              if (r.bytes !== BODY_4K.length)
                throw new RequestError(`GET ${key(i % stored)} returned ${r.bytes} bytes, expected ${BODY_4K.length}`);
            },
          }),
        ),
      ),
    );
    out.push(
      await probed(target, async () =>
        opsResult(
          `head4k.c${concurrency}`,
          await runOps({ ...bound, op: (i) => client.send('HEAD', key(i % stored)) }),
        ),
      ),
    );
    out.push(
      await probed(target, async () =>
        opsResult(
          `del4k.c${concurrency}`,
          await runOps({ ...bound, maxOps: stored, op: (i) => client.send('DELETE', key(i), { expect: [204] }) }),
        ),
      ),
    );
  } finally {
    await client.close();
  }
  return out;
}

/** PUTs `count` 0-byte objects at concurrency 64 (bounded by maxMs). */
async function fill(target, client, bucket, count, maxMs, workload) {
  return probed(target, async () => {
    const r = await runOps({
      concurrency: 64,
      maxOps: count,
      maxMs,
      op: (i) => client.send('PUT', `/${bucket}/k-${pad(i)}`, { body: '' }),
    });
    return opsResult(workload, r, { keysStored: r.ops, keysWanted: count });
  });
}

const unxml = (s) =>
  s.replace(
    /&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-fA-F]+));/g,
    (_, name, dec, hex) =>
      ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] ??
      String.fromCodePoint(dec ? Number(dec) : parseInt(hex, 16)),
  );

/** One ListObjectsV2 page. */
async function listPage(client, bucket, token) {
  const q = `list-type=2&max-keys=1000${token ? `&continuation-token=${encodeURIComponent(token)}` : ''}`;
  const r = await client.send('GET', `/${bucket}?${q}`, { keepText: true });
  const text = r.text;
  if (text.includes('<Error>'))
    throw new RequestError(`GET /${bucket}?${q} -> 200 with error body ${text.slice(0, 300)}`);
  let keys = 0;
  for (let at = text.indexOf('<Key>'); at !== -1; at = text.indexOf('<Key>', at + 5)) keys++;
  const next = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(text);
  const truncated = /<IsTruncated>true<\/IsTruncated>/.test(text);
  if (truncated && !next) throw new RequestError(`GET /${bucket}?${q}: truncated page without NextContinuationToken`);
  return { keys, next: truncated ? unxml(next[1]) : null };
}

/**
 * ListObjectsV2 over a bucket of cfg.listKeys 0-byte objects: full walks of pages of 1,000,
 * repeated until cfg.listPages pages or cfg.listMs passed. Checks that every walk sees every key.
 */
export async function listPages(target, cfg) {
  const client = new RawClient(target, 64);
  const bucket = 'bench-list';
  const out = [];
  try {
    await createBucket(client, bucket);
    const filled = await fill(target, client, bucket, cfg.listKeys, cfg.fillMs, `fill0.c64`);
    out.push(filled);
    const want = filled.keysStored;
    out.push(
      await probed(target, async () => {
        const lat = [];
        let walks = 0;
        let errors = 0;
        const errorSamples = [];
        const t0 = now();
        const deadline = t0 + cfg.listMs;
        let token = null;
        let seen = 0;
        while (lat.length < cfg.listPages && now() < deadline) {
          const s = now();
          let page;
          try {
            page = await listPage(client, bucket, token);
          } catch (err) {
            errors++;
            errorSamples.push(String(err.message).slice(0, 400));
            break;
          }
          lat.push(now() - s);
          seen += page.keys;
          token = page.next;
          if (!token) {
            walks++;
            if (seen !== want) {
              errors++;
              errorSamples.push(`a full listing returned ${seen} keys, ${want} were stored`);
              break;
            }
            seen = 0;
          }
        }
        const elapsed = now() - t0;
        lat.sort((a, b) => a - b);
        return {
          workload: 'list.pages',
          value: lat.length ? round((lat.length / elapsed) * 1000, 1) : null,
          unit: 'pages/s',
          pages: lat.length,
          fullWalks: walks,
          keys: want,
          bucket,
          errors,
          errorSamples,
          p50Ms: round(lat[Math.floor(lat.length / 2)], 3),
          p99Ms: round(lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))], 3),
        };
      }),
    );
  } finally {
    await client.close();
  }
  return out;
}

/**
 * First ListObjectsV2 page (no continuation token) of a bucket of cfg.bigListKeys 0-byte keys.
 * value = median of cfg.firstPageReps requests; the very first one is reported as coldMs.
 */
export async function firstPage(target, cfg, reuse) {
  const client = new RawClient(target, 64);
  // Quick mode lists the bucket listPages() filled (reuse = { bucket, keys }) instead of a second one.
  const bucket = reuse ? reuse.bucket : 'bench-list-big';
  const out = [];
  try {
    let filled;
    if (reuse) {
      filled = { keysStored: reuse.keys };
    } else {
      await createBucket(client, bucket);
      filled = await fill(target, client, bucket, cfg.bigListKeys, cfg.bigFillMs, 'fill0big.c64');
      out.push(filled);
    }
    out.push(
      await probed(target, async () => {
        const lat = [];
        const errorSamples = [];
        let errors = 0;
        const deadline = now() + 30_000;
        for (let i = 0; i < cfg.firstPageReps && now() < deadline; i++) {
          const s = now();
          try {
            const page = await listPage(client, bucket, null);
            if (page.keys !== Math.min(1000, filled.keysStored))
              throw new RequestError(`first page has ${page.keys} keys`);
          } catch (err) {
            errors++;
            errorSamples.push(String(err.message).slice(0, 400));
            break;
          }
          lat.push(now() - s);
        }
        const coldMs = lat[0];
        lat.sort((a, b) => a - b);
        return {
          workload: 'list.first',
          value: lat.length ? round(lat[Math.floor(lat.length / 2)], 2) : null,
          unit: 'ms',
          coldMs: round(coldMs, 2),
          minMs: round(lat[0], 2),
          reps: lat.length,
          keys: filled.keysStored,
          errors,
          errorSamples,
        };
      }),
    );
  } finally {
    await client.close();
  }
  return out;
}

/** Streamed PUT then GET of cfg.bigBytes; the body is one reused 1 MiB buffer. */
export async function bigObject(target, cfg) {
  const client = new RawClient(target, 1);
  const bucket = 'bench-big';
  const chunk = randomFillSync(Buffer.alloc(MiB));
  const size = cfg.bigBytes;
  const mib = size / MiB;
  const out = [];
  try {
    await createBucket(client, bucket);
    out.push(
      await probed(target, async () => {
        const s = now();
        await client.send('PUT', `/${bucket}/big`, {
          body: streamedBody(size, chunk),
          headers: { 'content-length': String(size) },
        });
        const ms = now() - s;
        return {
          workload: 'big.put',
          value: round(mib / (ms / 1000), 1),
          unit: 'MiB/s',
          bytes: size,
          elapsedMs: round(ms, 1),
          errors: 0,
        };
      }),
    );
    out.push(
      await probed(target, async () => {
        const s = now();
        const r = await client.send('GET', `/${bucket}/big`);
        const ms = now() - s;
        if (r.bytes !== size) throw new RequestError(`GET /${bucket}/big returned ${r.bytes} bytes, expected ${size}`);
        return {
          workload: 'big.get',
          value: round(mib / (ms / 1000), 1),
          unit: 'MiB/s',
          bytes: size,
          elapsedMs: round(ms, 1),
          errors: 0,
        };
      }),
    );
    await client.send('DELETE', `/${bucket}/big`, { expect: [204] });
  } finally {
    await client.close();
  }
  return out;
}

/** Runs fns (each returns a promise) with at most `limit` in flight. */
export async function inFlight(limit, fns) {
  const results = new Array(fns.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, fns.length) }, async () => {
      while (next < fns.length) {
        const i = next++;
        results[i] = await fns[i]();
      }
    }),
  );
  return results;
}

/**
 * Multipart upload of cfg.mpuParts × cfg.mpuPartBytes with 4 parts in flight (Create, UploadPart,
 * Complete). The ceiling has no multipart API: it gets the same bytes as plain PUTs of the same
 * size, 4 in flight. Repeated cfg.mpuReps times (bounded by cfg.mpuMs); value = median MiB/s.
 */
export async function multipart(target, cfg) {
  const client = new RawClient(target, 4);
  const bucket = 'bench-mpu';
  const part = randomFillSync(Buffer.alloc(cfg.mpuPartBytes));
  const total = cfg.mpuParts * cfg.mpuPartBytes;
  try {
    await createBucket(client, bucket);
    return [
      await probed(target, async () => {
        const rates = [];
        const deadline = now() + cfg.mpuMs;
        for (let rep = 0; rep < cfg.mpuReps && now() < deadline; rep++) {
          const key = `/${bucket}/mpu-${rep}`;
          const s = now();
          if (target.kind === 'ceiling') {
            await inFlight(
              4,
              Array.from(
                { length: cfg.mpuParts },
                (_, p) => () => client.send('PUT', `${key}-part${p + 1}`, { body: part }),
              ),
            );
          } else {
            await completeUpload(client, key, await uploadParts(client, key, cfg.mpuParts, part));
          }
          rates.push(total / MiB / ((now() - s) / 1000));
        }
        rates.sort((a, b) => a - b);
        return {
          workload: 'mpu',
          value: rates.length ? round(rates[Math.floor(rates.length / 2)], 1) : null,
          unit: 'MiB/s',
          reps: rates.length,
          bytesPerRep: total,
          parts: cfg.mpuParts,
          partBytes: cfg.mpuPartBytes,
          mode: target.kind === 'ceiling' ? 'plain PUTs' : 'multipart',
          errors: 0,
        };
      }),
    ];
  } finally {
    await client.close();
  }
}

/** CreateMultipartUpload + UploadPart × `parts` (4 in flight); answers what Complete needs. */
export async function uploadParts(client, key, parts, part) {
  const created = await client.send('POST', `${key}?uploads`, { keepText: true });
  const m = /<UploadId>([^<]+)<\/UploadId>/.exec(created.text);
  if (!m) throw new RequestError(`CreateMultipartUpload: no UploadId in ${created.text.slice(0, 300)}`);
  const uploadId = encodeURIComponent(unxml(m[1]));
  const etags = await inFlight(
    4,
    Array.from({ length: parts }, (_, p) => async () => {
      const r = await client.send('PUT', `${key}?partNumber=${p + 1}&uploadId=${uploadId}`, { body: part });
      if (!r.headers.etag) throw new RequestError(`UploadPart ${p + 1}: no ETag`);
      return r.headers.etag;
    }),
  );
  return { uploadId, etags };
}

export async function completeUpload(client, key, { uploadId, etags }) {
  const xmlBody =
    '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    etags.map((etag, p) => `<Part><PartNumber>${p + 1}</PartNumber><ETag>${etag}</ETag></Part>`).join('') +
    '</CompleteMultipartUpload>';
  const done = await client.send('POST', `${key}?uploadId=${uploadId}`, {
    body: xmlBody,
    keepText: true,
    headers: { 'content-type': 'application/xml' },
  });
  if (done.text.includes('<Error>'))
    throw new RequestError(`CompleteMultipartUpload -> 200 with error ${done.text.slice(0, 300)}`);
}

/**
 * CompleteMultipartUpload alone, timed, for uploads of each of `cfg.mpuCompleteParts` part counts
 * of `cfg.mpuPartBytes` (median of `cfg.mpuCompleteReps`): does completion grow with the object?
 * The ceiling has no multipart API and gets no row.
 */
export async function multipartCompletion(target, cfg) {
  if (target.kind === 'ceiling') return [];
  const client = new RawClient(target, 4);
  const bucket = 'bench-mpu-complete';
  const part = randomFillSync(Buffer.alloc(cfg.mpuPartBytes));
  const results = [];
  try {
    await createBucket(client, bucket);
    for (const parts of cfg.mpuCompleteParts) {
      results.push(
        await probed(target, async () => {
          const times = [];
          for (let rep = 0; rep < cfg.mpuCompleteReps; rep++) {
            const key = `/${bucket}/complete-${parts}-${rep}`;
            const upload = await uploadParts(client, key, parts, part);
            const s = now();
            await completeUpload(client, key, upload);
            times.push(now() - s);
            await client.send('DELETE', key, { expect: [204] });
          }
          times.sort((a, b) => a - b);
          return {
            workload: `mpuComplete.${parts}`,
            value: round(times[Math.floor(times.length / 2)], 1),
            unit: 'ms',
            reps: times.length,
            timesMs: times.map((t) => round(t, 1)),
            parts,
            partBytes: cfg.mpuPartBytes,
            errors: 0,
          };
        }),
      );
    }
    return results;
  } finally {
    await client.close();
  }
}

/** @aws-sdk/client-s3 PutObject / GetObject of 4 KiB at concurrency 16. */
export async function sdkSmall(target, cfg) {
  const { S3Client, PutObjectCommand, GetObjectCommand } = await import('@aws-sdk/client-s3');
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  const concurrency = 16;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const s3 = new S3Client({
    endpoint: target.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: target.accessKey, secretAccessKey: 'bench-secret' },
    requestHandler: new NodeHttpHandler({ httpAgent: agent }),
    maxAttempts: 1, // a failed request is an error, not a hidden retry
  });
  const raw = new RawClient(target, 1);
  const bucket = 'bench-sdk';
  const out = [];
  try {
    await createBucket(raw, bucket);
    const bound = { concurrency, maxOps: cfg.sdkOps, maxMs: cfg.sdkMs };
    const Key = (i) => `obj-${pad(i)}`;
    const put = await probed(target, async () =>
      opsResult(
        'sdk.put4k.c16',
        await runOps({
          ...bound,
          op: (i) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: Key(i), Body: BODY_4K })),
        }),
      ),
    );
    out.push(put);
    const stored = put.ops;
    if (stored) {
      out.push(
        await probed(target, async () =>
          opsResult(
            'sdk.get4k.c16',
            await runOps({
              ...bound,
              op: async (i) => {
                const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: Key(i % stored) }));
                const bytes = await res.Body.transformToByteArray();
                if (bytes.length !== BODY_4K.length)
                  throw new RequestError(`SDK GetObject returned ${bytes.length} bytes`);
              },
            }),
          ),
        ),
      );
    }
  } finally {
    s3.destroy();
    agent.destroy();
    await raw.close();
  }
  return out;
}

/**
 * Logging target only: flushes pending access-log records and counts the log objects in the
 * target bucket, so the report shows the logging path really ran (not timed, not in the table).
 */
export async function logDelivery(target) {
  const client = new RawClient(target, 1);
  try {
    const flushed = await client.send('POST', '/_s3scribe/logs/flush', {
      keepText: true,
      headers: { 'x-s3scribe-admin': '1' },
    });
    let objects = 0;
    let token = null;
    for (let page = 0; page < 200; page++) {
      const r = await listPage(client, LOG_BUCKET, token);
      objects += r.keys;
      token = r.next;
      if (!token) break;
    }
    return [
      {
        workload: 'logs.delivered',
        value: objects,
        unit: 'objects',
        flushResponse: flushed.text.slice(0, 200),
        errors: 0,
      },
    ];
  } finally {
    await client.close();
  }
}
