import { connect } from 'node:net';
import { rm } from 'node:fs/promises';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningServer, startServer } from '../../server/index.js';
import { parseAccessLogLine } from '../helpers/access-log-parser.js';
import {
  enableLogging,
  readLogObjects,
  recordingClient,
  raw,
  tempDir,
  uniqueBucket,
  waitFor,
} from '../helpers/access-logs.js';
import { spawnCli } from '../helpers/child-server.js';

interface TailRecord {
  line: string;
  delivered: boolean;
  fields: { bucket: string; operation: string; httpStatus?: number; requestId: string; key?: string };
}

/** An open SSE subscription that collects `record` events as they arrive. */
async function subscribe(
  url: string,
  query = '',
): Promise<{ events: TailRecord[]; dropped: number[]; close: () => void }> {
  const controller = new AbortController();
  const res = await fetch(`${url}/_s3scribe/logs/stream${query}`, { signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: TailRecord[] = [];
  const dropped: number[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (block.startsWith('event: record') && data) events.push(JSON.parse(data) as TailRecord);
          if (block.startsWith('event: dropped') && data) dropped.push(Number(data));
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return { events, dropped, close: () => controller.abort() };
}

describe('Live access-log tail and metrics', () => {
  let root: string;
  let server: RunningServer;
  let client: ReturnType<typeof recordingClient>;
  let s3: S3Client;
  let bucket: string;
  let logs: string;

  beforeAll(async () => {
    root = await tempDir('s3scribe-tail-');
    server = await startServer({ port: 0, dataDir: root, logLevel: 'silent', flushInterval: 600_000 });
    client = recordingClient(server);
    s3 = client.s3;
    bucket = uniqueBucket('tail');
    logs = uniqueBucket('tail-logs');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new CreateBucketCommand({ Bucket: logs }));
    await enableLogging(s3, bucket, logs, 'l/');
  });

  afterAll(async () => {
    s3?.destroy();
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  test('a record is on the stream by the time its response is in: the very line that is delivered', async () => {
    const tail = await subscribe(server.url, `?bucket=${bucket}`);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a b.txt', Body: 'x' }));
    const requestId = client.last().requestId;
    const event = await waitFor(
      async () => tail.events.find((e) => e.fields.requestId === requestId),
      10_000,
      'the record on the stream',
    );
    tail.close();
    expect(event.delivered).toBe(true);
    expect(event.fields).toMatchObject({ bucket, operation: 'REST.PUT.OBJECT', httpStatus: 200, key: 'a b.txt' });
    expect(parseAccessLogLine(event.line).requestId).toBe(requestId);
    await server.flushLogs();
    const delivered = (await readLogObjects(s3, logs, 'l/')).flatMap((o) => o.text.trimEnd().split('\n'));
    expect(delivered).toContain(event.line);
  });

  test('filters: operation prefix and status class; a bucket without logging shows records marked undelivered', async () => {
    const quiet = uniqueBucket('quiet');
    await s3.send(new CreateBucketCommand({ Bucket: quiet }));
    const errors = await subscribe(server.url, `?bucket=${quiet}&status=4xx`);
    const puts = await subscribe(server.url, `?bucket=${quiet}&operation=REST.PUT.*`);
    await s3.send(new PutObjectCommand({ Bucket: quiet, Key: 'k', Body: 'v' }));
    await s3.send(new GetObjectCommand({ Bucket: quiet, Key: 'missing' })).catch(() => undefined);
    const missingId = client.last().requestId;
    await waitFor(
      async () => errors.events.find((e) => e.fields.requestId === missingId),
      10_000,
      'the record on the stream',
    );
    await waitFor(async () => (puts.events.length ? true : undefined), 10_000, 'the record on the stream');
    errors.close();
    puts.close();
    expect(errors.events.map((e) => e.fields.httpStatus)).toEqual([404]);
    expect(errors.events[0]!.delivered).toBe(false);
    expect(puts.events.every((e) => e.fields.operation.startsWith('REST.PUT.'))).toBe(true);
  });

  test('a subscriber that stops reading loses events (counted), requests are not held up', async () => {
    // A raw socket that sends the request and then never reads: its buffers fill up.
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /_s3scribe/logs/stream?bucket=${bucket} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    socket.pause();
    // Large records (an 8 KiB User-Agent appears in the line and in the fields): a few MiB fill
    // the socket's buffers and then the subscriber's bounded one.
    const headers = { 'user-agent': `probe/${'u'.repeat(8192)}` };
    for (let i = 0; i < 20; i++)
      await Promise.all(Array.from({ length: 50 }, () => raw(server.url, 'HEAD', `/${bucket}`, { headers })));
    const metrics = await (await fetch(`${server.url}/_s3scribe/metrics`)).text();
    socket.destroy();
    const dropped = Number(/^s3scribe_live_tail_dropped_total (\d+)/m.exec(metrics)?.[1]);
    expect(dropped).toBeGreaterThan(0);
  });

  test('metrics: Prometheus text with requests by operation and status, latency, bytes, pipeline and bucket gauges', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'metered', Body: 'abcdef' }));
    const res = await fetch(`${server.url}/_s3scribe/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^s3scribe_requests_total\{operation="REST\.PUT\.OBJECT",status="200"\} \d+$/m);
    expect(text).toMatch(/^s3scribe_request_duration_seconds_bucket\{operation="REST\.PUT\.OBJECT",le="\+Inf"\} \d+$/m);
    expect(text).toMatch(/^s3scribe_received_bytes_total \d+$/m);
    expect(text).toMatch(/^s3scribe_access_log_records_pending [1-9]\d*$/m);
    expect(text).toMatch(new RegExp(`^s3scribe_bucket_objects\\{bucket="${bucket}"\\} [1-9]\\d*$`, 'm'));
    expect(text).toMatch(/^# TYPE s3scribe_process_cpu_user_seconds_total counter$/m);
    const before = Number(/^s3scribe_access_log_records_delivered_total (\d+)$/m.exec(text)![1]);
    await server.flushLogs();
    const after = await (await fetch(`${server.url}/_s3scribe/metrics`)).text();
    expect(Number(/^s3scribe_access_log_records_delivered_total (\d+)$/m.exec(after)![1])).toBeGreaterThan(before);
    expect(after).toMatch(/^s3scribe_access_log_records_pending 0$/m);
  });

  test('a page of another origin can neither stream nor scrape; a bad status filter is a 400', async () => {
    const foreign = { headers: { origin: 'http://evil.example' } };
    expect((await fetch(`${server.url}/_s3scribe/logs/stream`, foreign)).status).toBe(403);
    expect((await fetch(`${server.url}/_s3scribe/metrics`, foreign)).status).toBe(403);
    const bad = await fetch(`${server.url}/_s3scribe/logs/stream?status=abc`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringContaining('4xx') });
  });

  test('s3scribe tail --json prints each record of its bucket as JSON; a bad endpoint exits 1 with one line', async () => {
    const child = spawnCli(['tail', '--endpoint', server.url, '--bucket', bucket, '--json']);
    try {
      await waitFor(async () => (child.stderr().includes('following') ? true : undefined), 15_000, 'the tail command');
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'from-cli', Body: 'v' }));
      const id = client.last().requestId;
      const line = await waitFor(
        async () =>
          child
            .stdout()
            .split('\n')
            .find((l) => l.includes(id)),
        15_000,
        'the record printed by the tail command',
      );
      expect(JSON.parse(line)).toMatchObject({ delivered: true, fields: { key: 'from-cli', requestId: id } });
    } finally {
      child.proc.kill('SIGTERM');
      await child.exited;
    }
    const bad = spawnCli(['tail', '--endpoint', 'http://127.0.0.1:1']);
    expect((await bad.exited).code).toBe(1);
    expect(bad.stderr()).toMatch(/^s3scribe tail: cannot reach http:\/\/127\.0\.0\.1:1/);
  });
});
