import type { FastifyReply, FastifyRequest } from 'fastify';
import { S3Error } from '../../errors/s3-error.js';
import { authorize } from '../kit/authorize.js';
import type { OperationRow, S3Request, S3Response, Services } from '../kit/handler.js';
import { readObject } from '../kit/read-object.js';
import { sendResponse } from '../s3/send.js';
import { toS3Error } from '../s3/to-s3-error.js';
import { errorPage, matchingRule, ruleRedirect, type WebsiteConfig, websiteKey } from './routing.js';

/**
 * A bucket's website endpoint (`bucket.s3-website.localhost:4569`): anonymous GET and HEAD of
 * publicly readable objects, index and error documents, redirects (all requests, routing rules,
 * per-object), HTML error pages, and WEBSITE.* access-log records.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html
 */
export async function serveWebsite(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  bucket: string,
): Promise<void> {
  reply.hijack();
  const ctx = request.s3!;
  const raw = request.raw;
  const method = raw.method ?? 'GET';
  const rawPath = (raw.url ?? '/').split('?')[0]!;
  ctx.operation = `WEBSITE.${method}.OBJECT`;
  ctx.bucket = bucket;
  const site = {
    host: raw.headers.host ?? bucket,
    protocol: 'encrypted' in raw.socket && raw.socket.encrypted ? 'https' : 'http',
  };
  const send = (result: S3Response): void => sendResponse(ctx, reply.raw, method, result);
  let config: WebsiteConfig | undefined;
  let key = '';
  try {
    if (method !== 'GET' && method !== 'HEAD')
      throw new S3Error('MethodNotAllowed', { Method: method, ResourceType: 'OBJECT' });
    const found = services.storage.peekBucket(bucket);
    if (!found) throw new S3Error('NoSuchBucket', { BucketName: bucket });
    config = found.config.website;
    if (!config) throw new S3Error('NoSuchWebsiteConfiguration', { BucketName: bucket });
    const all = config.redirectAllRequestsTo;
    if (all) return send(redirect(301, `${all.protocol ?? site.protocol}://${all.hostName}${rawPath}`));
    const path = decodeURIComponent(rawPath);
    const requested = path.replace(/^\//, '');
    key = websiteKey(path, config);
    ctx.key = key;
    const rule = matchingRule(config, requested);
    if (rule) {
      const to = ruleRedirect(rule, requested, site);
      return send(redirect(to.status, to.location));
    }
    const object = await read(services, request, bucket, key, method);
    const location = object.headers?.['x-amz-website-redirect-location'];
    if (location !== undefined) {
      if (object.body && typeof object.body === 'object' && 'destroy' in object.body) object.body.destroy();
      return send(redirect(301, String(location)));
    }
    return send(object);
  } catch (caught) {
    const err = toS3Error(caught, request.log);
    ctx.errorCode = err.code;
    try {
      const answer = config && (await errorAnswer(services, request, bucket, config, rawPath, key, err, site));
      if (answer) return send(answer);
    } catch {
      // The error document is unreadable: S3 then shows its own page.
    }
    const page = errorPage(
      err.status,
      err.code,
      err.message,
      { BucketName: err.details.BucketName as string | undefined, Key: err.details.Key as string | undefined },
      ctx,
    );
    if (method === 'HEAD') ctx.bytesSent = Buffer.byteLength(page);
    send({ status: err.status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: page });
  }
}

const WEBSITE_READ: OperationRow = { log: 'WEBSITE.GET.OBJECT', action: 's3:GetObject', acl: 'object:READ' };

/** An anonymous read, authorized as S3 authorizes one (policy or ACL), as GetObject/HeadObject answers it. */
async function read(
  services: Services,
  request: FastifyRequest,
  bucket: string,
  key: string,
  method: string,
): Promise<S3Response> {
  const req: S3Request = {
    ctx: request.s3!,
    raw: request.raw,
    method,
    headers: request.raw.headers,
    query: new URLSearchParams(),
    bucket,
    key,
    row: WEBSITE_READ,
    services,
    continueBody: () => undefined,
  };
  await authorize(req);
  return readObject(req, method === 'GET');
}

/**
 * What a website answers instead of an error: a folder without its `/` is redirected to it (302),
 * a routing rule for the error code redirects, and otherwise the error document is served with the
 * error's status. Undefined: S3's own HTML page.
 */
async function errorAnswer(
  services: Services,
  request: FastifyRequest,
  bucket: string,
  config: WebsiteConfig,
  rawPath: string,
  key: string,
  err: S3Error,
  site: { host: string; protocol: string },
): Promise<S3Response | undefined> {
  if (err.status !== 403 && err.status !== 404) return undefined;
  const method = request.raw.method ?? 'GET';
  const index = config.indexDocument;
  if (err.status === 404 && index !== undefined && key !== '' && !key.endsWith('/') && !key.endsWith(index)) {
    const folder = await services.storage.headObject(bucket, `${key}/${index}`);
    if (folder) return redirect(302, `${rawPath}/`);
  }
  const rule = matchingRule(config, key, err.status);
  if (rule) {
    const to = ruleRedirect(rule, key, site);
    return redirect(to.status, to.location);
  }
  if (config.errorDocument === undefined) return undefined;
  const doc = await read(services, request, bucket, config.errorDocument, method);
  return { ...doc, status: err.status };
}

const redirect = (status: number, location: string): S3Response => ({
  status,
  headers: { Location: location, 'Content-Length': 0 },
});
