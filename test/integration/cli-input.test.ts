import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe } from 'vitest';
import { spawnCli, startCliServer, stopCliServer } from '../helpers/child-server.js';
import { expect, makeDataRoot, test } from '../helpers/server.js';

// Bad command-line input is a usage error: exit code 2 and one line on stderr that names the
// option, within a few seconds, instead of starting with a surprising value, crashing with exit 1,
// or dumping the whole help text. `node dist/server/cli.js` as a child process.

let root: string;
beforeAll(async () => {
  root = await makeDataRoot();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let dirCounter = 0;
const freshDataDir = (): string => join(root, `data-${++dirCounter}`);

interface Outcome {
  /** Exit code, or 'still running' if it was listening or alive after the wait. */
  code: number | null | 'still running';
  stderr: string;
}

/** Runs the CLI until it exits, listens (then it is killed), or `ms` pass. */
async function runCli(args: string[], env: NodeJS.ProcessEnv = {}, ms = 5000): Promise<Outcome> {
  const child = spawnCli(args, env);
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const exit = await child.exitWithin(50);
    if (exit) return { code: exit.code, stderr: child.stderr() };
    if (/listening on/.test(child.stdout())) break;
  }
  await child.kill9();
  return { code: 'still running', stderr: child.stderr() };
}

function expectUsageError(outcome: Outcome, names: RegExp): void {
  const lines = outcome.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(outcome.code, `exit code; stderr: ${outcome.stderr.slice(0, 300)}`).toBe(2);
  expect(lines.length, `stderr lines: ${JSON.stringify(lines.slice(0, 5))}`).toBeLessThanOrEqual(3);
  expect(outcome.stderr).toMatch(names);
}

describe('CLI input', () => {
  // Each case: the arguments (besides --port 0 --data-dir <fresh>), extra env, and what the
  // message must name.
  const cases: { name: string; args: string[]; env?: NodeJS.ProcessEnv; names: RegExp }[] = [
    // A bare number is read as milliseconds today: `5` meant as 5 s delivers every 5 ms.
    { name: '--log-flush-interval 5 (no unit)', args: ['--log-flush-interval', '5'], names: /log-flush-interval/ },
    { name: '--log-flush-interval 0s', args: ['--log-flush-interval', '0s'], names: /log-flush-interval/ },
    { name: "--identities '[1]'", args: ['--identities', '[1]'], names: /identities/ },
    { name: `--identities '[{"foo":1}]'`, args: ['--identities', '[{"foo":1}]'], names: /identities/ },
    {
      name: `--identities with accountId "abc"`,
      args: ['--identities', '[{"accessKeyId":"k","accountId":"abc"}]'],
      names: /identities|accountId/,
    },
    { name: '--region "not a region"', args: ['--region', 'not a region'], names: /region/ },
    { name: 'S3SCRIBE_EPHEMERAL=yes', args: [], env: { S3SCRIBE_EPHEMERAL: 'yes' }, names: /ephemeral/i },
    { name: '--port ""', args: ['--port', ''], names: /port/ },
    { name: '--log-level loud', args: ['--log-level', 'loud'], names: /log-level/ },
  ];

  for (const c of cases) {
    // CLI input defects (cli-input list in the brief): each value is a usage error.
    test(`CLI: ${c.name} is a usage error (exit 2, one line naming the option)`, async () => {
      const outcome = await runCli(['--port', '0', '--data-dir', freshDataDir(), ...c.args], c.env);
      expectUsageError(outcome, c.names);
    });
  }

  // CLI input: a data dir holding someone else's files must not be adopted (and written into).
  test('CLI: a non-empty --data-dir that is not an s3scribe data dir is a usage error and is left untouched', async () => {
    const dir = freshDataDir();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'notes.txt'), 'my notes\n');
    const outcome = await runCli(['--port', '0', '--data-dir', dir]);
    expectUsageError(outcome, /data-dir|data dir/i);
    expect(await readdir(dir)).toEqual(['notes.txt']);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('my notes\n');
  });

  // Control for the cases above: valid options still start a server that answers and stops cleanly.
  test('CLI: valid options start a server that answers health and exits 0 on SIGTERM', async () => {
    const child = await startCliServer([
      '--data-dir',
      freshDataDir(),
      '--log-flush-interval',
      '2s',
      '--region',
      'eu-west-1',
      '--identities',
      '[{"accessKeyId":"k","accountId":"111122223333"}]',
    ]);
    try {
      const res = await request(`${child.url}/_s3scribe/health`);
      expect(res.statusCode).toBe(200);
      await res.body.dump();
      expect(await stopCliServer(child)).toMatchObject({ code: 0, forced: false });
    } finally {
      await child.kill9();
    }
  });
});
