#!/usr/bin/env node
// Draws one SVG line chart per metric of a scale run: size on a log axis, one line per target.
//   node bench/plot.mjs bench/results/scale-….jsonl [more.jsonl …] [--out bench/plots]
// Several files are merged (a run per target, say); a later file's point replaces an earlier one.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts, positionals: files } = parseArgs({
  options: { out: { type: 'string', default: join(import.meta.dirname, 'plots') } },
  allowPositionals: true,
});
if (files.length === 0) throw new Error('usage: node bench/plot.mjs RUN.jsonl [RUN.jsonl …] [--out DIR]');

const points = new Map();
for (const file of files)
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    if (r.workload && Number.isFinite(r.value) && Number.isFinite(r.size))
      points.set(`${r.workload}|${r.target}|${r.size}`, r);
  }

const TITLES = {
  'put0.c64': 'PUT rate while filling (0 B, c=64)',
  'list.first': 'ListObjectsV2 first page (1,000 keys)',
  'list.middle': 'ListObjectsV2 page from the middle (start-after)',
  'list.delimiter': 'ListObjectsV2 with delimiter (hours of a day)',
  'list.delimiter.top': 'ListObjectsV2 with delimiter (days)',
  'del.c64': 'DELETE rate (c=64)',
  rss: 'server RSS after the workload',
  'rss.fill.peak': 'server RSS, peak during the fill',
  'index.bytesPerKey': 'index bytes on disk per key',
  'restart.healthy': 'restart → first healthy answer',
  'restart.firstList': 'first listing after a restart',
  'restart.firstListBuckets': 'first ListBuckets after a restart',
  'restart.rss': 'RSS after restart and first listing',
  listBuckets: 'ListBuckets',
  'createBucket.c16': 'CreateBucket rate (c=16)',
};
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const W = 560;
const H = 320;
const M = { l: 70, r: 130, t: 36, b: 44 };
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
const fmt = (v) =>
  v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : Number.isInteger(v) ? String(v) : v.toPrecision(3);

function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v);
}

mkdirSync(opts.out, { recursive: true });
const byWorkload = new Map();
for (const r of points.values()) byWorkload.set(r.workload, [...(byWorkload.get(r.workload) ?? []), r]);
for (const [workload, rows] of byWorkload) {
  const sizes = [...new Set(rows.map((r) => r.size))].sort((a, b) => a - b);
  if (sizes.length < 2) continue;
  const targets = [...new Set(rows.map((r) => r.target))];
  const top = niceMax(Math.max(...rows.map((r) => r.max ?? r.value)));
  const lx = (s) =>
    M.l +
    ((Math.log10(s) - Math.log10(sizes[0])) / (Math.log10(sizes.at(-1)) - Math.log10(sizes[0]))) * (W - M.l - M.r);
  const ly = (v) => H - M.b - (v / top) * (H - M.t - M.b);
  const title = `${TITLES[workload] ?? workload} (${rows[0].unit})`;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<title>${esc(title)}: ${esc(targets.join(', '))}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${M.l}" y="20" font-size="13" font-weight="bold">${esc(title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4;
    svg.push(
      `<line x1="${M.l}" x2="${W - M.r}" y1="${ly(v)}" y2="${ly(v)}" stroke="#ddd"/>`,
      `<text x="${M.l - 6}" y="${ly(v) + 4}" text-anchor="end">${fmt(v)}</text>`,
    );
  }
  for (const s of sizes) svg.push(`<text x="${lx(s)}" y="${H - M.b + 16}" text-anchor="middle">${fmt(s)}</text>`);
  svg.push(`<text x="${(M.l + W - M.r) / 2}" y="${H - 8}" text-anchor="middle">size (log scale)</text>`);
  targets.forEach((t, i) => {
    const color = COLORS[i % COLORS.length];
    const mine = rows.filter((r) => r.target === t).sort((a, b) => a.size - b.size);
    svg.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${mine.map((r) => `${lx(r.size)},${ly(r.value)}`).join(' ')}"/>`,
    );
    for (const r of mine) {
      if (r.min !== undefined && r.max !== undefined && r.unit !== 'MiB')
        svg.push(`<line x1="${lx(r.size)}" x2="${lx(r.size)}" y1="${ly(r.min)}" y2="${ly(r.max)}" stroke="${color}"/>`);
      svg.push(`<circle cx="${lx(r.size)}" cy="${ly(r.value)}" r="3" fill="${color}"/>`);
    }
    svg.push(
      `<rect x="${W - M.r + 12}" y="${M.t + i * 18}" width="12" height="3" fill="${color}"/>`,
      `<text x="${W - M.r + 30}" y="${M.t + i * 18 + 5}">${esc(t)}</text>`,
    );
  });
  svg.push('</svg>');
  writeFileSync(join(opts.out, `${workload}.svg`), `${svg.join('\n')}\n`);
}
process.stdout.write(`plots in ${opts.out}\n`);
