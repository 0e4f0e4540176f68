import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { S3Error } from '../errors/s3-error.js';
import type { IdSource } from './ids.js';
import { adminPlugin, type AdminPluginOptions } from './admin/plugin.js';
import { RequestContext } from './kit/context.js';
import type { Services } from './kit/handler.js';
import type { InFlight } from './s3/in-flight.js';
import { s3Plugin } from './s3/plugin.js';
import { errorDocument, sendError } from './s3/send.js';

export interface AppParts {
  /** Made before the app, so start-up (spool replay) can report through it too. */
  logger: FastifyBaseLogger;
  ids: IdSource;
  services: Services;
  admin: Omit<AdminPluginOptions, 'storage'>;
  onComplete: (ctx: RequestContext) => void;
  /** See `S3PluginOptions.whenRecorded`. */
  whenRecorded: (then?: () => void) => void;
  /** See `S3PluginOptions.inFlight`. */
  inFlight: InFlight;
}

const NO_SCHEMA_COMPILERS = {
  buildValidator: () => () => () => true,
  buildSerializer: () => () => (data: unknown) => JSON.stringify(data),
};

/** The Fastify application: admin routes beside the S3 scope, no server-level parsing of bodies. */
export function buildApp(parts: AppParts): FastifyInstance {
  const { ids } = parts;
  const app = Fastify({
    loggerInstance: parts.logger,
    // One debug line per request comes from the S3 scope's completion hook instead.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => ids.requestId(),
    exposeHeadRoutes: false,
    // No route has a JSON schema; without these factories Fastify loads Ajv at start (~70 ms).
    schemaController: { compilersFactory: NO_SCHEMA_COMPILERS as never },
    // Uploads of several GiB may take longer than any fixed request timeout; silence is what
    // times out (s3/plugin.ts, --request-timeout).
    requestTimeout: 0,
    // During shutdown, a request already on an open connection is served (and logged) rather
    // than answered with Fastify's JSON 503; the connection closes after it.
    return503OnClosing: false,
    frameworkErrors: (err, request, reply) => {
      reply.hijack();
      const ctx = request.s3 ?? new RequestContext(request.id, ids.hostId(), request.raw);
      const s3err =
        err.code === 'FST_ERR_BAD_URL' ? new S3Error('InvalidURI') : new S3Error('InvalidRequest', {}, err.message);
      sendError(ctx, reply.raw, request.raw.method ?? 'GET', s3err, (request.raw.url ?? '/').split('?')[0]!);
    },
    // Requests Node's HTTP parser rejects (bad Content-Length, oversized headers) still get S3 XML.
    clientErrorHandler: (err, socket) => {
      if (!socket.writable) return socket.destroy();
      const ctx = { requestId: ids.requestId(), hostId: ids.hostId() } as RequestContext;
      const doc = errorDocument(ctx, new S3Error('InvalidRequest', {}, 'The request could not be parsed.'), '/');
      // A HEAD's answer has no body, even this one (a client would read the body as the next response).
      const packet = (err as unknown as { rawPacket?: Buffer }).rawPacket;
      const body = packet?.subarray(0, 5).toString('latin1') === 'HEAD ' ? '' : doc;
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `x-amz-request-id: ${ctx.requestId}\r\nx-amz-id-2: ${ctx.hostId}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  });
  // Take over `Expect` handling from Node: 100-continue is sent when a handler reads the body
  // (s3/plugin.ts), and expectations S3 ignores (empty, unknown) must not become 417s.
  app.server.on('checkContinue', (req, res) => app.server.emit('request', req, res));
  app.server.on('checkExpectation', (req, res) => app.server.emit('request', req, res));
  app.register(adminPlugin, parts.admin);
  app.register(s3Plugin, {
    services: parts.services,
    hostId: ids.hostId,
    onComplete: parts.onComplete,
    whenRecorded: parts.whenRecorded,
    inFlight: parts.inFlight,
  });
  return app;
}
