import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Client } from 'undici';
import { expect, test as base } from 'vitest';
import { startServer, type RunningServer } from '../../server/index.js';

// The SDK warns once per process that it will require Node 22; Node 20 is this project's floor.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Signature verification is off, but a request without credentials is anonymous (AccessDenied). */
export const SIGNED_AUTH =
  'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';

export interface RawOptions {
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
  /** Leave out the Authorization header. */
  anonymous?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  header(name: string): string | undefined;
}

/** A request sent as written: the path is not normalised, so `..` and `%2F` reach the server. */
export type RawRequest = (method: string, path: string, options?: RawOptions) => Promise<RawResponse>;

export function rawClient(url: string): { raw: RawRequest; close: () => Promise<void> } {
  const client = new Client(url);
  const raw: RawRequest = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (!options.anonymous && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      headers.authorization = SIGNED_AUTH;
    }
    const res = await client.request({ method: method as 'GET', path, headers, body: options.body });
    const body = Buffer.from(await res.body.arrayBuffer());
    const resHeaders = res.headers as RawResponse['headers'];
    return {
      status: res.statusCode,
      headers: resHeaders,
      body,
      text: body.toString('utf8'),
      header: (name) => {
        const v = resHeaders[name.toLowerCase()];
        return Array.isArray(v) ? v.join(', ') : v;
      },
    };
  };
  return { raw, close: () => client.close() };
}

/** A directory of its own under the OS temp dir; the server's data dir is `<root>/data`. */
export async function makeDataRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), 's3scribe-it-'));
}

export const launch = (dataDir: string): Promise<RunningServer> =>
  startServer({ port: 0, dataDir, logLevel: 'silent' });

export function s3ClientFor(server: RunningServer, extra: Partial<S3ClientConfig> = {}): S3Client {
  // One attempt: a retried error would hide the first response and slow the suite down.
  return new S3Client({ ...server.s3ClientConfig, maxAttempts: 1, ...extra });
}

let bucketCounter = 0;

/** A new, empty bucket with a name no other test uses. */
export async function freshBucket(s3: S3Client, prefix = 'it'): Promise<string> {
  const name = `${prefix}-${process.pid}-${++bucketCounter}-${randomBytes(3).toString('hex')}`;
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

export interface ServerFixtures {
  /** Parent of the server's data dir, owned by this file alone (traversal checks look here). */
  dataRoot: string;
  dataDir: string;
  server: RunningServer;
  s3: S3Client;
  raw: RawRequest;
}

/** One s3scribe per test file (temp data dir, removed afterwards) and a fresh bucket per test. */
export const test = base.extend<{
  $worker: Record<never, never>;
  $file: ServerFixtures;
  $test: { bucket: string };
}>({
  dataRoot: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads fixture dependencies from this destructuring
    async ({}, use) => {
      const root = await makeDataRoot();
      await use(root);
      await rm(root, { recursive: true, force: true });
    },
    { scope: 'file' },
  ],
  dataDir: [
    async ({ dataRoot }, use) => {
      await use(join(dataRoot, 'data'));
    },
    { scope: 'file' },
  ],
  server: [
    async ({ dataDir }, use) => {
      const server = await launch(dataDir);
      await use(server);
      await server.close();
    },
    { scope: 'file' },
  ],
  s3: [
    async ({ server }, use) => {
      const s3 = s3ClientFor(server);
      await use(s3);
      s3.destroy();
    },
    { scope: 'file' },
  ],
  raw: [
    async ({ server }, use) => {
      const { raw, close } = rawClient(server.url);
      await use(raw);
      await close();
    },
    { scope: 'file' },
  ],
  bucket: async ({ s3 }, use) => {
    await use(await freshBucket(s3));
  },
});

export { expect };

/** Awaits a rejected SDK call and checks the error's name and HTTP status. */
export async function expectS3Error(
  call: Promise<unknown>,
  name: string,
  status: number,
): Promise<Error & Record<string, unknown>> {
  const err = await call.then(
    () => {
      throw new Error(`expected ${name} (${status}), but the request succeeded`);
    },
    (e: unknown) => e as Error & Record<string, unknown>,
  );
  expect({
    name: err.name,
    status: (err.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode,
  }).toEqual({ name, status });
  return err;
}

/**
 * Awaits an error whose response has no body: any HEAD error, or a 304. Without a body the SDK has
 * no error code to name it by (it says `NotFound` for 404 and `Unknown` otherwise, against AWS as
 * here), so the status is what counts.
 */
export async function expectBodylessError(call: Promise<unknown>, status: number): Promise<void> {
  const err = await call.then(
    () => {
      throw new Error(`expected HTTP ${status}, but the request succeeded`);
    },
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
  );
  expect(err.$metadata?.httpStatusCode).toBe(status);
}

export const expectNotModified = (call: Promise<unknown>): Promise<void> => expectBodylessError(call, 304);

/** Text of the first `<tag>` element of an XML document (enough for S3's flat documents). */
export function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m?.[1];
}

/** Texts of every `<tag>` element, in document order. */
export function xmlTexts(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
}

/** Reads an SDK body stream completely. */
export async function bodyBytes(body: unknown): Promise<Buffer> {
  const b = body as { transformToByteArray?: () => Promise<Uint8Array> } | undefined;
  if (!b?.transformToByteArray) throw new Error('response has no body');
  return Buffer.from(await b.transformToByteArray());
}

export const bodyText = async (body: unknown): Promise<string> => (await bodyBytes(body)).toString('utf8');

export const MiB = 1024 * 1024;
