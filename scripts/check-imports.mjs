#!/usr/bin/env node
// The arrows between s3scribe's parts, checked on every lint: a wrong-way import or a cycle
// (type-only imports included) fails. See docs/ARCHITECTURE.md for the picture.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..');
const PARTS = ['server', 'logging', 'storage', 'errors', 'common', 'testcontainers'];

/** [importer prefix, imported prefix, why] — an import matching both is refused. */
const FORBIDDEN = [
  ['storage/', 'server/', 'storage knows nothing of HTTP'],
  ['storage/', 'logging/', 'storage sits below logging'],
  ['logging/', 'server/', 'logging takes plain values (LoggedRequest), not server types'],
  ['errors/', '', 'errors/ is a leaf'],
  ['common/', '', 'common/ is a leaf'],
  ['server/kit/', 'server/s3/', 'the handler kit does not reach into the dispatcher'],
  ['server/kit/', 'server/operations/', 'the handler kit serves operations, not the other way round'],
  ['server/operations/', 'server/s3/', 'operations get everything through S3Request and the kit'],
];

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) yield path;
  }
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
const graph = new Map();
for (const part of PARTS) {
  for (const file of sources(join(ROOT, part))) {
    const from = relative(ROOT, file);
    const targets = [];
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      targets.push(normalize(join(dirname(from), spec)).replace(/\.js$/, '.ts'));
    }
    graph.set(from, targets);
  }
}

const problems = [];
for (const [from, targets] of graph) {
  for (const to of targets) {
    for (const [a, b, why] of FORBIDDEN) {
      const leaf = b === '' && !to.startsWith(from.split('/')[0] + '/');
      if (from.startsWith(a) && (leaf || (b !== '' && to.startsWith(b)))) problems.push(`${from} → ${to}: ${why}`);
    }
    if (from.startsWith('server/') && to.startsWith('logging/') && to !== 'logging/index.ts')
      problems.push(`${from} → ${to}: the server uses logging/ through logging/index.ts only`);
    if (from.startsWith('server/operations/') && to.startsWith('server/operations/'))
      problems.push(`${from} → ${to}: operations don't import operations (shared code goes in server/kit/)`);
  }
}

// Cycles: depth-first search, reporting each back edge's loop once.
const state = new Map();
const stack = [];
function visit(node) {
  state.set(node, 'open');
  stack.push(node);
  for (const next of graph.get(node) ?? []) {
    if (!graph.has(next)) continue;
    if (state.get(next) === 'open') problems.push(`cycle: ${[...stack.slice(stack.indexOf(next)), next].join(' → ')}`);
    else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(node, 'done');
}
for (const node of graph.keys()) if (!state.has(node)) visit(node);

if (problems.length > 0) {
  console.error(`check-imports: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`check-imports: ${graph.size} files, arrows and cycles OK`);
