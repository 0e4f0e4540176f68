import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningServer, startServer } from '../../server/index.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'docs', 'screenshots');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(`test/browser: ${CHROMIUM} is absent (apt-get install chromium); browser tests skipped`);

let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  // The console as `npm run build` makes it, fresh from console/src.
  execFileSync(process.execPath, [join(ROOT, 'console', 'build.mjs')], { stdio: 'ignore' });
  dataDir = await mkdtemp(join(tmpdir(), 's3scribe-console-'));
  // Signatures checked: the console's own SigV4 signing must be right. A long flush interval:
  // only "Deliver now" delivers.
  server = await startServer({
    port: 0,
    dataDir,
    verifySignatures: true,
    identities: [{ accessKeyId: 'test', secretAccessKey: 'test' }],
    logFlushIntervalMs: 600_000,
  });
});

afterAll(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('console route', () => {
  test('GET /_s3scribe/ serves the page; hashed assets are cached for a year; no CORS headers', async () => {
    const page = await fetch(`${server.url}/_s3scribe/`, { headers: { origin: 'https://evil.example' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect([...page.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const html = await page.text();
    const js = /src="assets\/([\w.-]+\.js)"/.exec(html)?.[1];
    const css = /href="assets\/([\w.-]+\.css)"/.exec(html)?.[1];
    expect(js && css).toBeTruthy();
    const script = await fetch(`${server.url}/_s3scribe/assets/${js}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-encoding')).toBe('gzip');
    const style = await fetch(`${server.url}/_s3scribe/assets/${css}`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${server.url}/_s3scribe/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/_s3scribe/assets/..%2Fpackage.json`)).status).toBe(404);
    const head = await fetch(`${server.url}/_s3scribe/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const bare = await fetch(`${server.url}/_s3scribe`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/_s3scribe/');
  });

  test('--admin off turns the console off', async () => {
    const off = await startServer({ port: 0, ephemeral: true, admin: false });
    try {
      expect((await fetch(`${off.url}/_s3scribe/`)).status).toBe(404);
      expect((await fetch(`${off.url}/_s3scribe/assets/main.js`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe.skipIf(!haveChromium)('web console in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => browser?.close());

  // The screenshots in docs/ are rewritten only when asked (S3SCRIBE_SCREENSHOTS=1), so a test run
  // leaves the checkout as it found it.
  const shot = async (page: Page, name: string) => {
    if (process.env.S3SCRIBE_SCREENSHOTS === '1')
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };

  test('create a bucket, log it, upload, see the record live, deliver it and read it back', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const console = `${server.url.replace('127.0.0.1', 'localhost')}/_s3scribe/`;

    // Buckets: create the source and the log target.
    await page.goto(console);
    for (const name of ['app', 'app-logs']) {
      await page.fill('input[name=bucket]', name);
      await page.click('button:has-text("Create bucket")');
      await page.waitForSelector(`tr[data-bucket="${name}"]`);
    }
    await shot(page, 'buckets');

    // Logging: app → s3://app-logs/logs/, partitioned by event time.
    await page.click('tr[data-bucket="app"] >> text=Settings');
    await expect.poll(() => page.textContent('[data-testid=logging-status]')).toBe('Off');
    await page.selectOption('select[name=targetBucket]', 'app-logs');
    await page.fill('input[name=targetPrefix]', 'logs/');
    await page.selectOption('select[name=format]', 'EventTime');
    await page.click('button:has-text("Save logging")');
    await expect
      .poll(() => page.textContent('[data-testid=logging-status]'))
      .toBe('On: s3://app-logs/logs/ (PartitionedPrefix, EventTime)');
    await page.waitForSelector('text=Versioning');
    await shot(page, 'bucket-settings');

    // The live tail, open in a second tab while the first uploads.
    const logs = await context.newPage();
    logs.on('pageerror', (err) => errors.push(err.message));
    await logs.goto(`${console}#/logs`);
    await logs.waitForSelector('[data-testid=tail-state]:has-text("live")');

    await page.goto(`${console}#/b/app`);
    await page.setInputFiles('input[name=upload]', {
      name: 'hello.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello from the console\n'),
    });
    await page.waitForSelector('tr[data-key="hello.txt"]');
    // Over 8 MiB: multipart.
    await page.setInputFiles('input[name=upload]', {
      name: 'big.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(9 * 1024 * 1024, 7),
    });
    await page.waitForSelector('tr[data-key="big.bin"]');
    await expect.poll(() => page.textContent('tr[data-key="big.bin"] td.num')).toBe('9.0 MiB');
    await shot(page, 'objects');
    // Download: a presigned GET (query-string SigV4) the browser saves.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('tr[data-key="hello.txt"] button:has-text("Download")'),
    ]);
    expect(download.suggestedFilename()).toBe('hello.txt');
    expect(await readFile(await download.path(), 'utf8')).toBe('hello from the console\n');

    // Object metadata: HEAD with checksums, and its versions.
    await page.click('tr[data-key="hello.txt"] a');
    await page.waitForSelector('table.kv th:has-text("etag")');
    await page.waitForSelector('table.kv th:has-text("content-type")');
    await page.waitForSelector('table.kv th:has-text("x-amz-checksum-sha256")');
    await shot(page, 'object');

    // The upload's record arrives in the tail; expand it into its fields.
    const put = logs.locator('tr.record', { hasText: 'REST.PUT.OBJECT' }).filter({ hasText: 'hello.txt' });
    await put.waitFor();
    await put.click();
    const line = (await logs.locator('tr.fields pre.line').textContent()) ?? '';
    expect(line).toMatch(/ app \[.*\] .* REST\.PUT\.OBJECT hello\.txt "PUT \/app\/hello\.txt HTTP\/1\.1" 200 /);
    await logs.waitForSelector('tr.fields th:has-text("requestId")');
    await expect.poll(() => logs.locator('tr.record', { hasText: 'REST.POST.UPLOAD' }).count()).toBeGreaterThan(0);

    // Deliver now, then open the delivered log object and find the same line.
    await logs.click('button:has-text("Deliver now")');
    await logs.waitForSelector('text=/Delivered [1-9]\\d* record/');
    const object = logs.locator('.target', { hasText: 's3://app-logs/logs/' }).locator('ul.log-objects button').first();
    await object.waitFor();
    expect(await object.textContent()).toMatch(
      /^logs\/\d{12}\/us-east-1\/app\/\d{4}\/\d{2}\/\d{2}\/\d{4}-\d{2}-\d{2}-/,
    );
    await object.click();
    await expect.poll(() => logs.textContent('[data-testid=log-viewer] pre')).toContain(line);
    await shot(logs, 'access-logs');

    expect(errors).toEqual([]);
    await context.close();
  });
});
