#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof, bench/profile.mjs): top self time by function and
// by package / source directory.   node bench/cpuprofile-top.mjs FILE [N]
import { readFileSync } from 'node:fs';

export function summarize(profile, limit = 15) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const d = profile.timeDeltas[i] ?? 0;
    total += d;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + d);
  }
  const fns = new Map();
  const areas = new Map();
  const add = (m, k, t) => m.set(k, (m.get(k) ?? 0) + t);
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const where = url
      .replace(/^file:\/\//, '')
      .replace(/^.*node_modules\//, '')
      .replace(/^.*\/(dist|bench)\//, '$1/');
    add(fns, `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim(), t);
    add(areas, areaOf(url, functionName), t);
  }
  const top = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([k, t]) => ({ name: k, ms: Math.round(t / 100) / 10, pct: Math.round((1000 * t) / total) / 10 }));
  return { totalMs: Math.round(total / 1000), functions: top(fns), areas: top(areas) };
}

/** node internals, a package, or the s3scribe directory a function lives in (unbundled dist/). */
function areaOf(url, fn) {
  if (!url) return fn.startsWith('(') ? fn : `(native) ${fn}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[url.includes('internal') ? 1 : 0]}`;
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const dist = /\/dist\/([^/]+\/[^/]+)\//.exec(url) ?? /\/dist\/([^/]+)\//.exec(url);
  return dist ? dist[1] : url;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = summarize(JSON.parse(readFileSync(process.argv[2], 'utf8')), Number(process.argv[3] ?? 15));
  console.log(`sampled ${s.totalMs} ms`);
  for (const f of s.functions) console.log(`${String(f.ms).padStart(8)} ms ${String(f.pct).padStart(5)} %  ${f.name}`);
  console.log('-- by area');
  for (const f of s.areas) console.log(`${String(f.ms).padStart(8)} ms ${String(f.pct).padStart(5)} %  ${f.name}`);
}
