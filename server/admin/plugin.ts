import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface AdminPluginOptions {
  version: string;
  /** False: only health answers; every other /_s3scribe/ path is 404. */
  enabled: boolean;
  flushLogs: () => Promise<{ records: number; objects: number }>;
  reset: () => Promise<void>;
  /** Runs the lifecycle rules of every bucket now. */
  runLifecycle: () => Promise<object>;
}

/** The header every state-changing admin request must carry (a web page cannot add it without a preflight). */
export const ADMIN_HEADER = 'x-s3scribe-admin';

/**
 * Any web page the developer opens can send simple requests to localhost. A request that names a
 * foreign origin, comes from a cross-site fetch, or lacks the admin header is refused, and no
 * preflight is ever granted, so a page can neither reset nor flush.
 */
function refusal(request: FastifyRequest): string | undefined {
  const { origin, host } = request.headers;
  if (origin !== undefined) {
    let sameHost = false;
    try {
      sameHost = new URL(origin).host === host;
    } catch {
      // `null` and other opaque origins are foreign.
    }
    if (!sameHost) return `cross-origin request from ${origin} refused`;
  }
  if (request.headers['sec-fetch-site'] === 'cross-site') return 'cross-site request refused';
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
  // Preflights are never granted: no Access-Control-Allow-* header, ever.
  app.options('/_s3scribe/*', async (_request, reply) => reply.code(403).send({ error: 'preflight refused' }));
}
