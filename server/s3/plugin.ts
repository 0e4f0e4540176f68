import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { S3Error } from '../../errors/s3-error.js';
import { presentedAuth, presentedKind } from './auth.js';
import { authorize } from './authorize.js';
import { RequestContext } from './context.js';
import type { S3Request, Services } from './handler.js';
import { operationTable, unmatchedLogName } from './operation-table.js';
import { resolveOperation, type Resolved } from './resolve.js';
import { sendError, sendResponse } from './send.js';

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
}

const ALL_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH'];

/** Maps anything thrown to the S3 error the client sees; unknown causes become InternalError. */
export function toS3Error(err: unknown, log: FastifyInstance['log']): S3Error {
  if (err instanceof S3Error) return err;
  const code = (err as { code?: string }).code;
  if (code === 'FST_ERR_BAD_URL') return new S3Error('InvalidURI');
  if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || (err as Error).message === 'aborted')
    return new S3Error('IncompleteBody');
  log.error({ err }, 'internal error');
  return new S3Error('InternalError');
}

/** The S3 scope: bodies stay streams, every path is one catch-all route, every error is S3 XML. */
export async function s3Plugin(app: FastifyInstance, opts: S3PluginOptions): Promise<void> {
  const { services, onComplete } = opts;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, _payload, done) => done(null));
  app.decorateRequest('s3', null);

  app.addHook('onRequest', (request, reply, done) => {
    const ctx = new RequestContext(request.id, opts.hostId(), request.raw);
    request.s3 = ctx;
    // Fastify refuses an empty Content-Type before any handler runs; S3 treats it as absent.
    if (request.headers['content-type']?.trim() === '') delete request.headers['content-type'];
    request.raw.once('end', () => ctx.markLastByteIn());
    reply.raw.once('close', () => {
      ctx.endHr = process.hrtime.bigint();
      if (!reply.raw.writableFinished) {
        ctx.aborted = true;
        // Bytes still queued in Node never reached the client.
        ctx.bytesSent = Math.max(0, ctx.bytesSent - reply.raw.writableLength);
      }
      onComplete(ctx);
    });
    done();
  });

  app.route({ method: ALL_METHODS, url: '*', handler: (request, reply) => dispatch(request, reply) });

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

  async function dispatch(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    reply.hijack();
    const ctx = request.s3!;
    const raw = request.raw;
    const method = raw.method ?? 'GET';
    let resolved: Resolved | undefined;
    // Node leaves `Expect: 100-continue` to us (see app.ts): the client sends the body only once a
    // handler asks for it, so a request refused before that never uploads its bytes.
    const expectsContinue = /100-continue/i.test(String(raw.headers.expect ?? ''));
    let continued = false;
    const continueBody = (): void => {
      if (expectsContinue && !continued) {
        continued = true;
        reply.raw.writeContinue();
      }
    };
    try {
      resolved = resolveOperation(method, raw.headers.host, raw.url ?? '/', raw.headers, services.config.baseDomains);
      const row = operationTable[resolved.operation];
      ctx.operationName = resolved.operation;
      ctx.operation = row?.log ?? unmatchedLogName(method, resolved.key);
      ctx.bucket = resolved.bucket;
      ctx.key = resolved.key;
      ctx.versionId = resolved.query.get('versionId') ?? undefined;
      const kind = presentedKind(raw.headers, resolved.query);
      ctx.signatureVersion = kind?.signatureVersion;
      ctx.authType = kind?.authType;
      const auth = presentedAuth(raw.headers, resolved.query);
      const identity = auth ? services.identities.resolve(auth.accessKeyId) : undefined;
      ctx.identity = identity;
      if (!row)
        throw new S3Error('MethodNotAllowed', {
          Method: method,
          ResourceType: resolved.key === undefined ? 'BUCKET' : 'OBJECT',
        });
      await authorize(services, ctx, identity, resolved.operation, resolved.bucket, resolved.key);
      if (!row.handler) throw new S3Error('NotImplemented');
      if (raw.complete) ctx.markLastByteIn();
      const s3req: S3Request = {
        ctx,
        raw,
        method,
        headers: raw.headers,
        query: resolved.query,
        bucket: resolved.bucket,
        key: resolved.key,
        identity,
        services,
        continueBody,
      };
      const result = await row.handler(s3req);
      try {
        sendResponse(ctx, reply.raw, method, result);
      } catch (err) {
        // A body stream owns an open file: release it when its response cannot be written.
        if (result.body && typeof result.body === 'object' && 'destroy' in result.body) result.body.destroy();
        throw err;
      }
    } catch (err) {
      ctx.markLastByteIn();
      // The body the client still holds back must not be read as the next request.
      if (expectsContinue && !continued) reply.raw.setHeader('Connection', 'close');
      sendError(ctx, reply.raw, method, toS3Error(err, request.log), resourceOf(resolved, raw.url));
    }
  }
}

function resourceOf(resolved: Resolved | undefined, url: string | undefined): string {
  if (!resolved?.bucket) return (url ?? '/').split('?')[0]!;
  return resolved.key === undefined ? `/${resolved.bucket}` : `/${resolved.bucket}/${resolved.key}`;
}
