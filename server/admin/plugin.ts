import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LiveTail } from '../../logging/index.js';
import { consoleRoute } from './console-route.js';
import { logStreamRoute } from './log-stream.js';
import { foreignOrigin } from './origin.js';

export interface AdminPluginOptions {
  version: string;
  /** False: only health answers; every other /_s3scribe/ path is 404. */
  enabled: boolean;
  flushLogs: () => Promise<{ records: number; objects: number }>;
  reset: () => Promise<void>;
  /** Runs the lifecycle rules of every bucket now. */
  runLifecycle: () => Promise<object>;
  /** The access-log records as they are made (GET /_s3scribe/logs/stream). */
  tail: LiveTail;
  /** Prometheus text exposition (GET /_s3scribe/metrics). */
  metrics: () => Promise<{ contentType: string; body: string }>;
}

/** The header every state-changing admin request must carry (a web page cannot add it without a preflight). */
export const ADMIN_HEADER = 'x-s3scribe-admin';

/**
 * Any web page the developer opens can send simple requests to localhost. A request that names a
 * foreign origin, comes from a cross-site fetch, or lacks the admin header is refused, and no
 * preflight is ever granted, so a page can neither reset nor flush.
 */
function refusal(request: FastifyRequest): string | undefined {
  const foreign = foreignOrigin(request);
  if (foreign) return foreign;
  if (request.headers[ADMIN_HEADER] === undefined) return `the ${ADMIN_HEADER} header is required`;
  return undefined;
}

function guarded(handler: () => Promise<object>) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<object> => {
    const why = refusal(request);
    if (why) return reply.code(403).send({ error: why });
    return handler();
  };
}

/** s3scribe's own endpoints under /_s3scribe/ (JSON, not S3). */
export async function adminPlugin(app: FastifyInstance, opts: AdminPluginOptions): Promise<void> {
  // JSON answers end with a newline, so `curl` leaves the shell prompt on its own line.
  app.addHook('onSend', async (_request, reply, payload) =>
    typeof payload === 'string' && String(reply.getHeader('content-type')).startsWith('application/json')
      ? `${payload}\n`
      : payload,
  );
  app.get('/_s3scribe/health', async () => ({ status: 'ok', version: opts.version }));
  if (!opts.enabled) {
    app.all('/_s3scribe/*', async (_request, reply) => reply.code(404).send({ error: 'admin endpoints are off' }));
    return;
  }
  app.post(
    '/_s3scribe/logs/flush',
    guarded(async () => ({ flushed: await opts.flushLogs() })),
  );
  app.post(
    '/_s3scribe/reset',
    guarded(async () => {
      await opts.reset();
      return { reset: true };
    }),
  );
  app.post(
    '/_s3scribe/lifecycle/run',
    guarded(async () => ({ lifecycle: await opts.runLifecycle() })),
  );
  logStreamRoute(app, opts.tail);
  consoleRoute(app);
  app.get('/_s3scribe/metrics', async (request, reply) => {
    const why = foreignOrigin(request);
    if (why) return reply.code(403).send({ error: why });
    const { contentType, body } = await opts.metrics();
    return reply.type(contentType).send(body);
  });
  // Preflights are never granted: no Access-Control-Allow-* header, ever.
  app.options('/_s3scribe/*', async (_request, reply) => reply.code(403).send({ error: 'preflight refused' }));
}
