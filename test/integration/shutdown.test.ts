import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Client } from 'undici';
import { afterAll, describe, expect, test } from 'vitest';
import { startServer } from '../../server/index.js';
import { makeDataRoot, SIGNED_AUTH } from '../helpers/server.js';

const roots: string[] = [];
afterAll(async () => {
  for (const r of roots) await rm(r, { recursive: true, force: true });
});

describe('Shutdown', () => {
  // Defect: a request that arrived on a busy keep-alive connection while the server was closing got
  // Fastify's JSON 503, with no x-amz-request-id and no access-log record.
  test('Shutdown: a request queued on a busy keep-alive connection is still answered by S3, with its ids', async () => {
    const root = await makeDataRoot();
    roots.push(root);
    const server = await startServer({
      port: 0,
      dataDir: join(root, 'data'),
      logLevel: 'silent',
      initialBuckets: ['busy'],
    });
    const client = new Client(server.url, { pipelining: 2 });
    const headers = { authorization: SIGNED_AUTH };
    // The first request's body trickles in, keeping the connection busy while close() starts.
    let push: (chunk: string | null) => void = () => undefined;
    const slowBody = new Readable({ read() {} });
    push = (chunk) => slowBody.push(chunk);
    push('a');
    const first = client.request({
      method: 'PUT',
      path: '/busy/slow',
      headers: { ...headers, 'content-length': '2' },
      body: slowBody,
    });
    const second = client.request({ method: 'GET', path: '/busy/slow', headers });
    await new Promise((r) => setTimeout(r, 500));
    const closing = server.close();
    await new Promise((r) => setTimeout(r, 500));
    push('b');
    push(null);
    const a = await first;
    await a.body.text();
    expect(a.statusCode).toBe(200);
    const b = await second.catch((err: Error) => err);
    if (!(b instanceof Error)) {
      // Served as S3 serves it (the object, or S3's XML error), never Fastify's JSON 503.
      const text = await b.body.text();
      expect(b.statusCode).not.toBe(503);
      expect(b.headers['x-amz-request-id']).toMatch(/^[0-9A-F]{16}$/);
      expect(text === 'ab' || text.includes(`<RequestId>${b.headers['x-amz-request-id']}</RequestId>`)).toBe(true);
    }
    await closing;
    await client.close().catch(() => undefined);
  });
});
