import type { FastifyInstance } from 'fastify';
import { S3Error } from '../../errors/s3-error.js';
import { RequestContext } from '../kit/context.js';
import type { Services } from '../kit/handler.js';
import { websiteBucketOf } from '../website/routing.js';
import { serveWebsite } from '../website/serve-website.js';
import { dispatch } from './dispatch.js';
import type { InFlight } from './in-flight.js';
import { sendError } from './send.js';
import { watchRequest } from './request-timeout.js';
import { toS3Error } from './to-s3-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    s3: RequestContext | null;
  }
}

export interface S3PluginOptions {
  services: Services;
  hostId: () => string;
  /** Called once per request when its response has closed (finished or aborted). */
  onComplete: (ctx: RequestContext) => void;
  /**
   * Runs `then` once the records `onComplete` made are in the access-log spool; without `then`,
   * writes them at once.
   */
  whenRecorded: (then?: () => void) => void;
  /** Counts this scope's requests; the store reads it too. */
  inFlight: InFlight;
}

const ALL_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH'];
/** What Fastify accepts as a media type (type/subtype, RFC 9110 tokens, parameters after `;`). */
const MEDIA_TYPE = /^\s*[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+\s*(;.*)?$/s;

/** The S3 scope: bodies stay streams, every path is one catch-all route, every error is S3 XML. */
export async function s3Plugin(app: FastifyInstance, opts: S3PluginOptions): Promise<void> {
  const { services, onComplete, whenRecorded, inFlight } = opts;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, _payload, done) => done(null));
  app.decorateRequest('s3', null);
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  app.addHook('onRequest', (request, reply, done) => {
    inFlight.began();
    const ctx = new RequestContext(request.id, opts.hostId(), request.raw);
    request.s3 = ctx;
    // Fastify refuses an empty Content-Type before any handler runs; S3 treats it as absent. One
    // Fastify cannot parse (`text`, no subtype) S3 stores as given: Fastify's view of the headers
    // gets a neutral one, while handlers read the raw headers.
    const contentType = request.headers['content-type'];
    if (contentType?.trim() === '') delete request.headers['content-type'];
    else if (contentType !== undefined && !MEDIA_TYPE.test(contentType))
      request.headers = { ...request.raw.headers, 'content-type': 'application/octet-stream' };
    request.raw.once('end', () => ctx.markLastByteIn());
    watchRequest(request, reply, services.config.requestTimeoutMs);
    // Shutting down: serve what arrived, then let the client reconnect elsewhere.
    if (closing) reply.raw.setHeader('Connection', 'close');
    // The record is spooled just before the response's last byte is written (send.ts calls this),
    // so a client that has the whole answer can count on its record surviving a kill -9.
    ctx.recordNow = (then) => {
      if (!ctx.recorded) {
        ctx.recorded = true;
        ctx.endHr = process.hrtime.bigint();
        onComplete(ctx);
      }
      // Alone, there is no other record to share its spool write with: no need to wait a turn.
      if (!inFlight.alone) {
        whenRecorded(then);
        return;
      }
      whenRecorded();
      then?.();
    };
    reply.raw.once('close', () => {
      inFlight.ended();
      if (ctx.recorded) return;
      ctx.endHr = process.hrtime.bigint();
      if (!reply.raw.writableFinished) {
        ctx.aborted = true;
        // Bytes still queued in Node never reached the client.
        ctx.bytesSent = Math.max(0, ctx.bytesSent - reply.raw.writableLength);
      }
      ctx.recorded = true;
      onComplete(ctx);
    });
    done();
  });

  const { websiteDomains } = services.config;
  app.route({
    method: ALL_METHODS,
    url: '*',
    handler: (request, reply) => {
      const site = websiteBucketOf(request.headers.host, websiteDomains);
      return site === undefined ? dispatch(services, request, reply) : serveWebsite(services, request, reply, site);
    },
  });

  // Methods no route takes (TRACE, PROPFIND, …) still get S3's answer, not Fastify's JSON 404.
  app.setNotFoundHandler((request, reply) => {
    reply.hijack();
    const ctx = request.s3 ?? new RequestContext(request.id, opts.hostId(), request.raw);
    sendError(
      ctx,
      reply.raw,
      request.method,
      new S3Error('MethodNotAllowed', { Method: request.method }),
      (request.raw.url ?? '/').split('?')[0]!,
    );
  });

  app.setErrorHandler((err, request, reply) => {
    reply.hijack();
    const ctx = request.s3 ?? new RequestContext(request.id, opts.hostId(), request.raw);
    sendError(ctx, reply.raw, request.method, toS3Error(err, request.log), request.raw.url ?? '/');
  });
}
