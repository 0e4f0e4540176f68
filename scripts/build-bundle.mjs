// Bundles the CLI (server/cli.ts and everything it imports, dependencies included) into
// dist/bin/cli.cjs, installs the launcher dist/bin/s3scribe.cjs (the package's `bin`), and writes
// V8's code cache for the bundle from one start of it: a start then loads one file and compiles
// little. `import { startServer } from 's3scribe'` keeps using the unbundled dist/server/.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bin');
const bundle = join(out, 'cli.cjs');
const launcher = join(out, 's3scribe.cjs');

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
  // Everything bundled: code loaded later (import() of xml2js, selfsigned, prom-client…) sits in
  // functions that are only compiled when called. (A vm.Script's own import() would need
  // importModuleDynamically, which a script from a code cache does not get on Node 20.)
  // lmdb loads a native binary from its platform package: it stays a package, found at run time.
  external: ['lmdb'],
  logLevel: 'warning',
});
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
