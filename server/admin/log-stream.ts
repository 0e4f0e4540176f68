import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { LiveTail, TailEvent, TailFilter } from '../../logging/index.js';
import { foreignOrigin } from './origin.js';

/** A subscriber further behind than this loses events (counted) rather than growing memory. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 15_000;
const STATUS_FILTER = /^\s*(\d{3}|\dxx)(\s*,\s*(\d{3}|\dxx))*\s*$/i;

/** The JSON an event carries: the delivered line, and its fields by name (time as ISO 8601). */
export function tailEventJson(event: TailEvent): string {
  const { record } = event;
  return JSON.stringify({
    line: event.line.trimEnd(),
    delivered: event.delivered,
    fields: { ...record, time: new Date(record.time).toISOString() },
  });
}

/**
 * `GET /_s3scribe/logs/stream`: Server-Sent Events, one `record` event per access-log record as
 * its request ends, filtered by `bucket`, `operation` (`REST.GET.*`) and `status` (`404`, `4xx`).
 * Read-only and without CORS headers, so no other site's page can read it; a page from another
 * origin is refused outright.
 */
export function logStreamRoute(app: FastifyInstance, tail: LiveTail): void {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', (done) => {
    for (const res of open) res.end();
    done();
  });
  app.get('/_s3scribe/logs/stream', (request, reply) => {
    const why = foreignOrigin(request);
    if (why) return reply.code(403).send({ error: why });
    const q = request.query as Record<string, string | undefined>;
    if (q.status !== undefined && !STATUS_FILTER.test(q.status))
      return reply.code(400).send({ error: `status filter ${JSON.stringify(q.status)}: use e.g. 404, 4xx or 403,5xx` });
    const filter: TailFilter = { bucket: q.bucket || undefined, operation: q.operation || undefined, status: q.status };
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`: s3scribe access-log tail ${JSON.stringify(filter)}\n\n`);
    open.add(res);
    const unsubscribe = tail.subscribe(filter, {
      write(event, droppedBefore) {
        if (res.writableLength > MAX_BUFFERED_BYTES || res.destroyed) return false;
        const dropped = droppedBefore ? `event: dropped\ndata: ${droppedBefore}\n\n` : '';
        res.write(`${dropped}event: record\ndata: ${tailEventJson(event)}\n\n`);
        return true;
      },
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    res.once('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
    });
  });
}
