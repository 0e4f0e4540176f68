import { type ChildProcess, spawn } from 'node:child_process';
import { S3Client } from '@aws-sdk/client-s3';
import { fileURLToPath } from 'node:url';

/**
 * s3scribe as a separate process (`node dist/server/cli.js`), for what an in-process server cannot
 * show: a real `kill -9`, a restart on the same data dir, signals, and CLI exit codes.
 * Run `npm run build` first so dist/ exists.
 */
export const CLI = fileURLToPath(new URL('../../dist/server/cli.js', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** Exit, or undefined if it is still running after `ms`. */
  exitWithin(ms: number): Promise<Exit | undefined>;
  /** SIGKILL unless it already exited. */
  kill9(): Promise<Exit>;
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const proc = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<Exit>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  let done: Exit | undefined;
  void exited.then((e) => (done = e));
  const exitWithin = async (ms: number): Promise<Exit | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      exited,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms))),
    ]);
    clearTimeout(timer);
    return r;
  };
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    exitWithin,
    kill9: async () => {
      if (done) return done;
      proc.kill('SIGKILL');
      return exited;
    },
  };
}

export interface ChildServer extends Child {
  url: string;
}

/**
 * Starts the CLI and waits for its "listening on URL" line. Rejects (with the process's output) if
 * it exits first or does not listen within `timeoutMs`.
 */
export async function startCliServer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 15_000,
): Promise<ChildServer> {
  const child = spawnCli(['--port', '0', '--log-level', 'silent', ...args], env);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = /listening on (\S+)/.exec(child.stdout());
    if (m) return { ...child, url: m[1]! };
    const exit = await child.exitWithin(25);
    if (exit) {
      throw new Error(
        `s3scribe exited (code ${exit.code}, signal ${exit.signal}) before listening; stderr: ${child.stderr().trim()}`,
      );
    }
    if (Date.now() > deadline) {
      await child.kill9();
      throw new Error(`s3scribe did not listen within ${timeoutMs} ms; stderr: ${child.stderr().trim()}`);
    }
  }
}

/** SIGTERM, then SIGKILL if it has not exited within `ms`; returns how it ended. */
export async function stopCliServer(child: Child, ms = 10_000): Promise<Exit & { forced: boolean }> {
  child.proc.kill('SIGTERM');
  const exit = await child.exitWithin(ms);
  if (exit) return { ...exit, forced: false };
  return { ...(await child.kill9()), forced: true };
}

/** An SDK client for a server started with `startCliServer` (one attempt, so errors show as sent). */
export const s3ClientForUrl = (url: string): S3Client =>
  new S3Client({
    endpoint: url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 's3scribe', secretAccessKey: 's3scribe' },
    maxAttempts: 1,
  });
