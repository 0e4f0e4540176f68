import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { S3Error } from '../../errors/s3-error.js';
import { renderXml } from '../xml/render.js';
import type { RequestContext } from '../kit/context.js';
import type { S3Response } from '../kit/handler.js';

function commonHeaders(ctx: RequestContext, res: ServerResponse): void {
  res.setHeader('x-amz-request-id', ctx.requestId);
  res.setHeader('x-amz-id-2', ctx.hostId);
  res.setHeader('Server', 'AmazonS3');
}

/**
 * The one writer of S3 responses: ids, status, headers, body. Counts the body bytes handed to the
 * socket and stamps the first-byte time for the access log.
 */
export function sendResponse(ctx: RequestContext, res: ServerResponse, method: string, result: S3Response): void {
  const status = result.status ?? 200;
  ctx.status = status;
  commonHeaders(ctx, res);
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    if (value !== undefined) res.setHeader(name, value);
  }
  const body = result.body;
  const noBody = method === 'HEAD' || status === 204 || status === 304;
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    const buf = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
    if (!res.hasHeader('Content-Length') && !(status === 204 || status === 304))
      res.setHeader('Content-Length', buf?.length ?? 0);
    ctx.markFirstByteOut();
    res.writeHead(status);
    if (buf && !noBody) ctx.bytesSent += buf.length;
    endAfterRecord(ctx, res, noBody ? undefined : buf);
    return;
  }
  if (result.contentLength !== undefined) res.setHeader('Content-Length', result.contentLength);
  ctx.markFirstByteOut();
  res.writeHead(status);
  if (noBody) {
    body.destroy();
    endAfterRecord(ctx, res, undefined);
    return;
  }
  pipeCounted(ctx, body, res, result.contentLength);
}

/** Ends the response once its access-log record is in the spool (at once when logging is off). */
function endAfterRecord(ctx: RequestContext, res: ServerResponse, body: Buffer | undefined): void {
  if (!ctx.recordNow) {
    res.end(body);
    return;
  }
  ctx.endPending = true;
  ctx.recordNow(() => {
    ctx.endPending = false;
    if (!res.destroyed) res.end(body);
  });
}

function pipeCounted(ctx: RequestContext, body: Readable, res: ServerResponse, length: number | undefined): void {
  // The client may have gone while the handler opened the object: no 'close' will come again.
  if (res.destroyed) {
    body.destroy();
    return;
  }
  body.on('data', (chunk: Buffer) => {
    ctx.bytesSent += chunk.length;
    // The last chunk: the record goes to the spool before the client can have the whole body.
    if (length !== undefined && ctx.bytesSent >= length) ctx.recordNow?.();
    if (!res.write(chunk)) body.pause();
  });
  res.on('drain', () => body.resume());
  body.on('end', () => {
    ctx.recordNow?.();
    res.end();
  });
  // Headers are gone already: the only honest signal left is to cut the connection.
  body.on('error', () => res.destroy());
  res.on('close', () => body.destroy());
}

/** S3's XML error document (no namespace, as S3 sends it). */
export function errorDocument(ctx: RequestContext, err: S3Error, resource: string): string {
  return renderXml(
    'Error',
    {
      Code: err.code,
      Message: err.message,
      ...Object.fromEntries(Object.entries(err.details).map(([k, v]) => [k, v === undefined ? undefined : String(v)])),
      Resource: resource,
      RequestId: ctx.requestId,
      HostId: ctx.hostId,
    },
    false,
  );
}

export function sendError(
  ctx: RequestContext,
  res: ServerResponse,
  method: string,
  err: S3Error,
  resource: string,
): void {
  // Already answered (a RequestTimeout sent while the handler still waited for the body), or the
  // answer's end waits for its record.
  if (res.writableEnded || ctx.endPending) return;
  ctx.errorCode = err.code;
  if (res.headersSent) {
    ctx.status ??= err.status;
    res.destroy();
    return;
  }
  const doc = err.status === 304 ? undefined : errorDocument(ctx, err, resource);
  if (err.status === 304) ctx.errorCode = undefined; // a 304 carries no error body, so AWS logs `-`
  // AWS logs the error document's size for HEAD errors although none is sent (reference §4); set
  // before sending, since the record is taken just before the last byte.
  if (method === 'HEAD' && doc) ctx.bytesSent = Buffer.byteLength(doc);
  sendResponse(ctx, res, method, {
    status: err.status,
    headers: { ...(doc ? { 'Content-Type': 'application/xml' } : {}), ...err.headers },
    body: doc,
  });
}
