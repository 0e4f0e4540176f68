#!/usr/bin/env node
// Start → first healthy response of s3scribe command files, alternating, N starts each; prints
// wall-time and server-CPU medians.   node bench/start-ab.mjs N dist/bin/s3scribe.cjs dist/server/cli.js ...
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'undici';
const n = Number(process.argv[2]);
const scripts = process.argv.slice(3);
const res = Object.fromEntries(scripts.map((s) => [s, []]));
const cpu = Object.fromEntries(scripts.map((s) => [s, []]));
async function once(script) {
  const dir = mkdtempSync('/tmp/s3start-');
  const t0 = performance.now();
  const child = spawn(process.execPath, [script, '--port', '0', '--data-dir', dir, '--log-level', 'silent'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
  });
  for (;;) {
    try {
      const r = await request(`${url}/_s3scribe/health`);
      await r.body.dump();
      if (r.statusCode === 200) break;
    } catch {}
  }
  const ms = performance.now() - t0;
  const st = (await import('node:fs')).readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  cpu[script].push((Number(st[11]) + Number(st[12])) * 10);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
  return ms;
}
for (let i = 0; i < n; i++) for (const s of scripts) res[s].push(Math.round(await once(s)));
for (const [k, v] of Object.entries(cpu)) {
  const s = [...v].sort((a, b) => a - b);
  console.log(k, 'cpu ms median', s[Math.floor(s.length / 2)], 'min', s[0]);
}
for (const [k, v] of Object.entries(res)) {
  const s = [...v].sort((a, b) => a - b);
  console.log(k, 'median', s[Math.floor(s.length / 2)], 'min', s[0], 'all', v.join(' '));
}
