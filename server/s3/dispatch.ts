import type { FastifyReply, FastifyRequest } from 'fastify';
import { S3Error } from '../../errors/s3-error.js';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { authorize } from '../kit/authorize.js';
import { checkAclHeaders } from '../kit/bucket-guards.js';
import { requesterPays } from '../kit/requester-pays.js';
import type { S3Request, Services } from '../kit/handler.js';
import type { OperationRow } from '../kit/handler.js';
import { requestedVersionId, unreadableVersionError } from '../kit/versions.js';
import { actualRequestCorsHeaders } from '../protocol/cors.js';
import type { Identity } from '../kit/identity.js';
import { type PayloadProof, verifyRequest } from '../signature/verify-request.js';
import { presentedAuth, presentedKind } from './auth.js';
import { rowOf, unmatchedLogName } from './operation-table.js';
import { type Resolved, resolveOperation } from './resolve.js';
import { sendError, sendResponse } from './send.js';
import { toS3Error } from './to-s3-error.js';

/**
 * One S3 request from resolution to response: operation row, identity, authorization, the row's
 * preconditions (bucket, upload, object), the handler, and the one writer of responses.
 */
export async function dispatch(services: Services, request: FastifyRequest, reply: FastifyReply): Promise<void> {
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
    const row = resolved.operation && rowOf(resolved.operation);
    ctx.operation = row?.log ?? unmatchedLogName(method, resolved.key);
    ctx.bucket = resolved.bucket;
    ctx.key = resolved.key;
    ctx.versionId = resolved.query.get('versionId') ?? undefined;
    const kind = presentedKind(raw.headers, resolved.query);
    ctx.signatureVersion = kind?.signatureVersion;
    ctx.authType = kind?.authType;
    const { identity, payload } = callerOf(services, raw, method, resolved);
    ctx.identity = identity;
    if (!row) {
      const resourceType = resolved.key === undefined ? 'BUCKET' : 'OBJECT';
      throw new S3Error('MethodNotAllowed', { Method: method, ResourceType: resourceType });
    }
    const s3req: S3Request = {
      ctx,
      raw,
      method,
      headers: raw.headers,
      query: resolved.query,
      bucket: resolved.bucket,
      key: resolved.key,
      row,
      identity,
      services,
      continueBody,
      payloadProof: payload,
    };
    if (!row.handler) {
      await authorize(s3req);
      throw new S3Error('NotImplemented');
    }
    if (!row.authorizedPerKey) await authorize(s3req);
    await checkPreconditions(s3req, row);
    const charged = requesterPays(s3req);
    // A bodiless request is complete once the parser has seen its end, which is only certain after
    // the first await (above); a body's last byte is stamped by its 'end' (plugin.ts).
    if (raw.complete) ctx.markLastByteIn();
    // An object write that sets an ACL by header meets the bucket's ownership and public-access settings first.
    if (row.aclHeaderAction && row.needs) checkAclHeaders(s3req);
    const result = await row.handler!(s3req);
    if (charged) result.headers = { ...result.headers, ...charged };
    try {
      addCorsHeaders(services, reply.raw, resolved, method, raw.headers);
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
    addCorsHeaders(services, reply.raw, resolved, method, raw.headers);
    sendError(ctx, reply.raw, method, toS3Error(err, request.log), resourceOf(resolved, raw.url));
  }
}

/**
 * Who is calling: with signature verification on, only a request whose signature checks out
 * against a configured secret has an identity (anything else is refused with S3's error, logged
 * with requester `-`); off, the presented access key is taken at its word.
 */
function callerOf(
  services: Services,
  raw: IncomingMessage,
  method: string,
  resolved: Resolved,
): { identity?: Identity; payload?: PayloadProof } {
  // A CORS preflight is never authenticated: S3 answers it from the bucket's CORS rules alone,
  // whatever presigned parameters its URL carries.
  if (!services.config.verifySignatures || resolved.operation === 'OptionsPreflight') {
    const auth = presentedAuth(raw.headers, resolved.query);
    return { identity: auth ? services.identities.resolve(auth.accessKeyId) : undefined };
  }
  // The scope must name the bucket's region; a request with no bucket (ListBuckets) or for one that
  // does not exist yet (CreateBucket) may be signed for any.
  const bucket = resolved.bucket === undefined ? undefined : services.storage.peekBucket(resolved.bucket);
  const verified = verifyRequest(
    {
      method,
      rawUrl: raw.url ?? '/',
      headers: raw.headers,
      rawHeaders: raw.rawHeaders,
      query: resolved.query,
      hostBucket: resolved.virtualHosted ? resolved.bucket : undefined,
      bucketOnly: resolved.bucket !== undefined && resolved.key === undefined,
      expectedRegion: bucket?.info.region,
      now: Date.now(),
    },
    (key) => services.identities.configured(key),
  );
  return verified ?? {};
}

/** Finds what the row says the handler needs, or throws S3's error for its absence. */
async function checkPreconditions(req: S3Request, row: OperationRow): Promise<void> {
  if (row.needs === undefined) return;
  const { storage } = req.services;
  const bucket = req.bucket === undefined ? undefined : await storage.getBucket(req.bucket);
  if (!bucket) throw new S3Error('NoSuchBucket', { BucketName: req.bucket });
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
  const expectedOwner = req.headers['x-amz-expected-bucket-owner'];
  if (expectedOwner !== undefined && expectedOwner !== req.services.identities.accountIdOf(bucket.owner.id)) {
    throw new S3Error('AccessDenied');
  }
  req.bucketInfo = bucket;
  if (row.needs === 'upload') {
    const uploadId = req.query.get('uploadId') ?? '';
    const upload = await storage.getMultipartUpload(bucket.name, uploadId);
    if (!upload || upload.key !== req.key) throw new S3Error('NoSuchUpload', { UploadId: uploadId });
    req.upload = upload;
  } else if (row.needs === 'object') {
    const versionId = requestedVersionId(req);
    const object = req.key === undefined ? undefined : await storage.headObject(bucket.name, req.key, versionId);
    if (!object)
      throw await unreadableVersionError(req, versionId, async () => new S3Error('NoSuchKey', { Key: req.key }));
    req.object = object;
  }
}

/**
 * An actual request (not a preflight, which answers its own) with an Origin gets the headers of
 * the bucket's first matching CORS rule, on success and on error alike (s3-tests'
 * test_cors_origin_response expects them on a 404 and a 403). The rules are read from memory.
 */
function addCorsHeaders(
  services: Services,
  res: ServerResponse,
  resolved: Resolved | undefined,
  method: string,
  headers: IncomingHttpHeaders,
): void {
  if (!resolved?.bucket || resolved.operation === 'OptionsPreflight' || res.headersSent) return;
  const cors = actualRequestCorsHeaders(services.storage.peekBucket(resolved.bucket)?.config.cors, headers, method);
  if (cors) for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
}

function resourceOf(resolved: Resolved | undefined, url: string | undefined): string {
  if (!resolved?.bucket) return (url ?? '/').split('?')[0]!;
  return resolved.key === undefined ? `/${resolved.bucket}` : `/${resolved.bucket}/${resolved.key}`;
}
