// Starts and stops the benchmark targets, each as its own child process on 127.0.0.1, port 0,
// with a fresh temporary data directory. Every child is tracked and killed when the harness
// exits, is interrupted, or fails.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..');
/** The package's command (`bin`): the bundled CLI (scripts/build-bundle.mjs). */
export const s3scribeCli = join(repoRoot, 'dist', 'bin', 's3scribe.cjs');

/** Column order of every report. */
export const TARGETS = ['ceiling', 's3scribe', 's3scribe+logging', 's3rver', 'moto'];

/**
 * moto's server mode, when S3SCRIBE_BENCH_MOTO names the command that starts it (for example
 * `python3 -m moto.server`; the harness adds `-H 127.0.0.1 -p PORT`). moto is not in this
 * project's dependencies: it installs from PyPI, which not every machine reaches.
 */
const motoCommand = process.env.S3SCRIBE_BENCH_MOTO?.trim().split(/\s+/);

/** What a run measures when no --targets is given: moto too when its command is set. */
export const DEFAULT_TARGETS = TARGETS.filter((t) => t !== 'moto' || motoCommand);

const START_TIMEOUT_MS = 20_000;

/**
 * Where the temp data directories go. Default: a directory on disk, as s3scribe is used: the OS
 * temp dir unless that is a tmpfs, else `bench/results/data/`. `--data-root /dev/shm` measures
 * on tmpfs instead (no disk latency: the servers' CPU cost alone).
 */
const FS_TYPES = new Map([
  [0x01021994, 'tmpfs'],
  [0xef53, 'ext2/3/4'],
  [0x58465342, 'xfs'],
  [0x9123683e, 'btrfs'],
  [0x794c7630, 'overlayfs'],
  [0x6969, 'nfs'],
  [0x2fc12fc1, 'zfs'],
]);
const fsTypeOf = (dir) => {
  try {
    const type = statfsSync(dir).type;
    return FS_TYPES.get(type) ?? `filesystem type 0x${type.toString(16)}`;
  } catch {
    return 'unknown filesystem';
  }
};
let dataRoot = defaultDataRoot();
function defaultDataRoot() {
  if (fsTypeOf(tmpdir()) !== 'tmpfs') return tmpdir();
  const dir = join(repoRoot, 'bench', 'results', 'data'); // git-ignored
  mkdirSync(dir, { recursive: true });
  return dir;
}
export function setDataRoot(dir) {
  dataRoot = dir;
}
export function getDataRoot() {
  return dataRoot;
}
/** "tmpfs, in memory" or "ext2/3/4, on disk": what the report header says of the data root. */
export function describeDataRoot() {
  const type = fsTypeOf(dataRoot);
  return type === 'tmpfs' ? 'tmpfs, in memory' : `${type}, on disk`;
}
/** true when the data root is a tmpfs (no write-back to wait for between targets). */
function onTmpfs() {
  return fsTypeOf(dataRoot) === 'tmpfs';
}
const STOP_TIMEOUT_MS = 15_000;

/**
 * Waits until the page cache has written out what any target wrote (sync(1)), so that a workload
 * does not pay for the write-back of the one before it. Without this, whoever ran right after the
 * ceiling's 8 × 8 MiB PUTs wrote while the kernel flushed them, in every round (the full run
 * rotates targets cyclically, so each always follows the same one).
 */
export function settleWriteBack() {
  if (!onTmpfs() && existsSync('/bin/sync')) spawnSync('/bin/sync', { timeout: 60_000 });
}

/** The SDK workloads sign with this secret (workloads.mjs). */
const BENCH_IDS = JSON.stringify([{ accessKeyId: 'bench', secretAccessKey: 'bench-secret' }]);

/** An s3scribe target: any free port, its own data dir, quiet, plus `extra` options. */
function s3scribeTarget(...extra) {
  return {
    args: (dir) => [s3scribeCli, '--port', '0', '--data-dir', dir, '--log-level', 'silent', ...extra],
    health: { path: '/_s3scribe/health', auth: false },
    accessKey: 'bench',
    kind: 's3',
  };
}

/** How each target is launched and probed. */
const DEFS = {
  ceiling: {
    args: (dir) => [join(here, 'ceiling-server.mjs'), '--port', '0', '--data-dir', dir],
    health: { path: '/', auth: false },
    accessKey: 'bench',
    kind: 'ceiling',
  },
  // The ceiling with its listing in LMDB, as on-disk indexes must keep it (bench/build-ab.mjs).
  'ceiling+index': {
    args: (dir) => [join(here, 'ceiling-server.mjs'), '--port', '0', '--data-dir', dir, '--index', 'lmdb'],
    health: { path: '/', auth: false },
    accessKey: 'bench',
    kind: 'ceiling',
  },
  s3scribe: s3scribeTarget(),
  's3scribe+logging': { ...s3scribeTarget('--log-flush-interval', '5s'), logging: true },
  // The signature A/B (bench/signatures-ab.mjs): one identity with a secret; verification off and on.
  's3scribe+identity': s3scribeTarget('--identities', BENCH_IDS),
  's3scribe+sigv4': s3scribeTarget('--identities', BENCH_IDS, '--verify-signatures'),
  s3rver: {
    // s3rver encrypts ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL 3 only
    // offers through the legacy provider; without it every truncated V2 listing is an InternalError.
    nodeFlags: ['--openssl-legacy-provider'],
    args: (dir) => [join(here, 's3rver-server.mjs'), '--port', '0', '--data-dir', dir],
    // s3rver has no health route; ListBuckets (signed) stands in.
    health: { path: '/', auth: true },
    // s3rver knows only its built-in key.
    accessKey: 'S3RVER',
    kind: 's3',
  },
  // Keeps every object in memory (bodies over 16 MiB spill to temp files) and checks no signature
  // by default: the data dir is not used.
  moto: {
    command: () => {
      if (!motoCommand) throw new Error('moto: set S3SCRIBE_BENCH_MOTO to the command that starts moto.server');
      return motoCommand;
    },
    args: (_dir, port) => ['-H', '127.0.0.1', '-p', String(port)],
    // Its port is chosen here: it does not print a usable URL when given port 0.
    pickPort: true,
    health: { path: '/', auth: true },
    accessKey: 'bench',
    kind: 's3',
  },
};

/** A TCP port on 127.0.0.1 that was free a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function authHeader(accessKey) {
  return `AWS4-HMAC-SHA256 Credential=${accessKey}/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00`;
}

let amzDateCache = { second: 0, value: '' };
/** x-amz-date for "now" (s3rver rejects requests without one), recomputed once a second. */
export function amzDate() {
  const second = Math.floor(Date.now() / 1000);
  if (second !== amzDateCache.second) {
    amzDateCache = {
      second,
      value: new Date(second * 1000)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, ''),
    };
  }
  return amzDateCache.value;
}

// ---- child tracking and cleanup ----------------------------------------------------------------
const live = new Set(); // of Target
let cleanupInstalled = false;

function killAllSync() {
  for (const t of live) {
    try {
      t.child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
    try {
      rmSync(t.dataDir, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
  live.clear();
}

/** Kill every child on exit, Ctrl-C, SIGTERM and uncaught errors. Idempotent. */
export function installCleanup() {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', killAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      process.stderr.write(`\nbench: ${sig}, stopping ${live.size} server(s)\n`);
      killAllSync();
      process.exit(130);
    });
  }
  process.on('uncaughtException', (err) => {
    process.stderr.write(`bench: uncaught ${err?.stack ?? err}\n`);
    killAllSync();
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`bench: unhandled rejection ${err?.stack ?? err}\n`);
    killAllSync();
    process.exit(1);
  });
}

export class ServerDied extends Error {}

/**
 * Start one target. Resolves once it answered its first healthy response.
 * @returns {Promise<Target>}
 */
export async function startTarget(name, { nodeFlags = [], env = {}, cli, dataDir: reuse } = {}) {
  const def = DEFS[name];
  if (!def) throw new Error(`unknown target ${name}`);
  installCleanup();
  // `dataDir`: start on a directory a stopped target left (a restart), instead of a new one.
  const dataDir = reuse ?? mkdtempSync(join(dataRoot, `s3bench-${name.replace(/\W/g, '_')}-`));
  const port = def.pickPort ? await freePort() : 0;
  const [command, ...commandArgs] = def.command
    ? def.command()
    : [process.execPath, ...(def.nodeFlags ?? []), ...nodeFlags];
  const t0 = performance.now();
  const child = spawn(
    command,
    [...commandArgs, ...def.args(dataDir, port).map((a) => (a === s3scribeCli && cli ? cli : a))],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production', ...env },
    },
  );
  const target = new Target(name, def, child, dataDir);
  live.add(target);

  const url = await new Promise((resolve, reject) => {
    if (port) {
      resolve(`http://127.0.0.1:${port}`);
      return;
    }
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`${name}: no URL on stdout after ${START_TIMEOUT_MS} ms; stderr: ${target.stderrTail()}`)),
      START_TIMEOUT_MS,
    );
    const onData = (buf) => {
      out += buf.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      } else if (out.length > 64 * 1024) out = out.slice(-4096);
    };
    child.stdout.on('data', onData);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(
        new ServerDied(`${name} exited during start (code ${code}, signal ${sig}); stderr: ${target.stderrTail()}`),
      );
    });
  }).catch(async (err) => {
    await target.stop();
    throw err;
  });
  target.url = url;

  // Poll until the first healthy answer (bounded in count and time).
  const deadline = performance.now() + START_TIMEOUT_MS;
  let lastErr;
  for (let attempt = 0; attempt < 4000 && performance.now() < deadline; attempt++) {
    if (target.exit) break;
    try {
      const headers = def.health.auth
        ? {
            authorization: authHeader(def.accessKey),
            'x-amz-date': amzDate(),
            'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
          }
        : {};
      const res = await request(url + def.health.path, { headers, headersTimeout: 2000, bodyTimeout: 2000 });
      await res.body.dump();
      if (res.statusCode === 200) {
        target.startToHealthyMs = performance.now() - t0;
        break;
      }
      lastErr = new Error(`health answered ${res.statusCode}`);
    } catch (err) {
      lastErr = err;
    }
    await sleep(5);
  }
  if (target.startToHealthyMs === undefined) {
    await target.stop();
    throw new Error(
      `${name}: not healthy within ${START_TIMEOUT_MS} ms (${lastErr?.message}); stderr: ${target.stderrTail()}`,
    );
  }
  return target;
}

export class Target {
  constructor(name, def, child, dataDir) {
    this.name = name;
    this.kind = def.kind;
    this.logging = Boolean(def.logging);
    this.accessKey = def.accessKey;
    this.child = child;
    this.pid = child.pid;
    this.dataDir = dataDir;
    this.url = undefined;
    this.startToHealthyMs = undefined;
    this.exit = null; // { code, signal } once the process ended
    this.stopping = false;
    this._stderr = '';
    child.stderr.on('data', (buf) => {
      this._stderr = (this._stderr + buf.toString()).slice(-8192);
    });
    // Keep draining stdout so the child never blocks on a full pipe.
    child.stdout.on('data', () => {});
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  stderrTail() {
    return this._stderr.trim().slice(-2000) || '(empty)';
  }

  /** Throws ServerDied when the process ended without being asked to. */
  assertAlive() {
    if (this.exit && !this.stopping) {
      throw new ServerDied(
        `${this.name} (pid ${this.pid}) died: code ${this.exit.code}, signal ${this.exit.signal}; stderr: ${this.stderrTail()}`,
      );
    }
  }

  /**
   * SIGTERM, wait (s3scribe delivers pending access logs), SIGKILL if needed, remove the data dir
   * (`keepData`: leave it, for a restart on it).
   */
  async stop({ keepData = false } = {}) {
    const unexpected = this.exit && !this.stopping ? this.exit : null;
    this.stopping = true;
    if (!this.exit) {
      this.child.kill('SIGTERM');
      const timedOut = await Promise.race([
        this.exited.then(() => false),
        sleep(STOP_TIMEOUT_MS, undefined, { ref: false }).then(() => true),
      ]);
      if (timedOut) {
        this.child.kill('SIGKILL');
        await Promise.race([this.exited, sleep(5000, undefined, { ref: false })]);
      }
    }
    live.delete(this);
    if (keepData) return unexpected;
    await rm(this.dataDir, { recursive: true, force: true, maxRetries: 3 });
    // Write-back of the GiB just written must not slow down the next target.
    settleWriteBack();
    return unexpected;
  }
}
