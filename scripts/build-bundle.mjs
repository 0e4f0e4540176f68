// Bundles the CLI (server/cli.ts and everything it imports, dependencies included) into
// dist/bin/cli.cjs, installs the launcher dist/bin/s3scribe.cjs (the package's `bin`), and writes
// V8's code cache for the bundle from one start of it: a start then loads one file and compiles
// little. `import { startServer } from 's3scribe'` keeps using the unbundled dist/server/.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bin');
const bundle = join(out, 'cli.cjs');
const launcher = join(out, 's3scribe.cjs');

/**
 * Modules the bundle's dependencies require at load time but the CLI reaches only on paths it
 * rarely or never takes: Fastify's HTTP/2, HTTPS and DNS (no `http2` or `https` option is ever
 * given; s3scribe makes its own TLS server), and pino's worker-thread transport (thread-stream,
 * which loads worker_threads; no transport is configured). Each becomes a proxy that loads the
 * real module on first use, so a start does not evaluate them (measured in bench/RESULTS.md).
 * node:assert is one of them: loading it sets up stderr for coloured messages (~9 ms), while
 * Fastify, find-my-way and sonic-boom only call `assert(condition, message)`, which does nothing
 * when the condition holds; the proxy loads the real assert only for a failing condition.
 * Keyed by the requiring file, so s3scribe's own imports are untouched.
 */
const LAZY = [
  { importer: /node_modules[\\/]fastify[\\/]lib[\\/]server\.js$/, modules: ['node:http2', 'node:https', 'node:dns'] },
  { importer: /node_modules[\\/]pino[\\/]lib[\\/]transport\.js$/, modules: ['thread-stream'] },
  {
    importer: /node_modules[\\/](fastify[\\/]lib[\\/]plugin-utils|find-my-way[\\/].*|sonic-boom[\\/]index)\.js$/,
    modules: ['node:assert', 'assert'],
  },
];
const ASSERTS = new Set(['node:assert', 'assert']);

const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    const names = new Set(LAZY.flatMap((l) => l.modules));
    build.onResolve({ filter: /^(node:)?[a-z0-9-]+$/ }, (args) => {
      if (!names.has(args.path) || args.pluginData?.real) return undefined;
      if (!LAZY.some((l) => l.importer.test(args.importer) && l.modules.includes(args.path))) return undefined;
      return { path: args.path, namespace: 'lazy', pluginData: { resolveDir: args.resolveDir } };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      resolveDir: args.pluginData.resolveDir,
      pluginData: { real: true },
      // A function target, so `new ThreadStream(...)` and calls work as well as property reads.
      contents: `let real;
const load = () => (real ??= require(${JSON.stringify(args.path)}));
module.exports = new Proxy(function lazy() {}, {
  get: (_, k) => load()[k],
  has: (_, k) => k in load(),
  apply: (_, self, a) => (${ASSERTS.has(args.path)} && a[0] ? undefined : Reflect.apply(load(), self, a)),
  construct: (_, a) => Reflect.construct(load(), a),
});`,
    }));
  },
};

/**
 * Left out of the bundle, loaded from node_modules if ever reached: nearly half the bundle's bytes,
 * and reading those bytes is most of what a start spends on the bundle. selfsigned (and its X.509
 * and ASN.1 libraries) makes a certificate only when HTTPS starts without one; Fastify's schema
 * compilers and light-my-request serve route schemas and inject(), which the CLI never uses.
 */
const RARELY_USED = [
  'selfsigned',
  '@fastify/ajv-compiler',
  '@fastify/fast-json-stringify-compiler',
  'light-my-request',
];

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'server', 'cli.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Less to read and to scan at start; names stay, so stack traces still say where.
  minifyWhitespace: true,
  minifySyntax: true,
  // dist/bin/ is as deep as dist/server/: paths made from import.meta.url (package.json, the
  // console's files) resolve as they do there.
  define: { 'import.meta.url': '__s3scribe_url' },
  banner: { js: "const __s3scribe_url = require('node:url').pathToFileURL(__filename).href;" },
  // Everything else bundled: code loaded later (import() of xml2js, prom-client…) sits in
  // functions that are only compiled when called. (A vm.Script's own import() would need
  // importModuleDynamically, which a script from a code cache does not get on Node 20.)
  // lmdb loads a native binary from its platform package: it stays a package, found at run time.
  external: ['lmdb', ...RARELY_USED],
  // import() of an external becomes require(): see above for why a bundle cannot import().
  supported: { 'dynamic-import': false },
  plugins: [lazyModules],
  // The dependencies' license comments go to cli.cjs.LEGAL.txt: the bundle stays ASCII, which the
  // launcher reads as latin1 (a UTF-8 read of the same bytes took 1.6 times as long).
  legalComments: 'external',
  charset: 'ascii',
  logLevel: 'warning',
});
const nonAscii = readFileSync(bundle).findIndex((b) => b > 0x7f);
if (nonAscii !== -1) throw new Error(`${bundle} has a non-ASCII byte at ${nonAscii}; the launcher reads it as latin1`);
copyFileSync(join(root, 'scripts', 'bundle-launcher.cjs'), launcher);

// The code cache: start the bundle, let it answer a few requests (their code is compiled then and
// lands in the cache too), then ask for the cache.
const dataDir = mkdtempSync(join(tmpdir(), 's3scribe-build-'));
let child;
try {
  child = spawn(process.execPath, [launcher, '--port', '0', '--data-dir', dataDir, '--log-level', 'silent'], {
    env: { ...process.env, S3SCRIBE_WRITE_CODE_CACHE: `${bundle}.cache` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (b) => {
      text += b;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`bundled server exited (${code}) before listening`)));
  });
  const send = (method, path, body) =>
    new Promise((resolve, reject) => {
      // Signatures are not verified here: a credential names the caller, whose bucket it is.
      const authorization =
        'AWS4-HMAC-SHA256 Credential=build/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';
      const req = request(`${url}${path}`, { method, headers: { authorization } }, (res) =>
        res.resume().on('end', () => resolve(res.statusCode)),
      );
      req.once('error', reject).end(body);
    });
  // Also a check of the bundle: each must answer as expected (storage and its index included).
  for (const [method, path, want, body] of [
    ['GET', '/_s3scribe/health', 200],
    ['GET', '/', 200],
    ['PUT', '/code-cache', 200],
    ['PUT', '/code-cache/k', 200, 'x'],
    ['GET', '/code-cache?list-type=2', 200],
    ['GET', '/code-cache/x', 404],
  ]) {
    const status = await send(method, path, body);
    if (status !== want) throw new Error(`bundled server answered ${method} ${path} with ${status}, not ${want}`);
  }
  child.kill('SIGUSR2');
  const code = await exited;
  if (code !== 0) throw new Error(`writing the code cache failed (exit ${code})`);
} finally {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`bundle: ${bundle} (+ code cache), command ${launcher}`);
