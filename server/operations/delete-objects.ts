// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
import { mapLimited } from '../../common/map-limited.js';
import type { ExtraLogRecord } from '../../logging/index.js';
import { S3Error } from '../../errors/s3-error.js';
import { MAX_KEY_BYTES } from '../../storage/storage.js';
import { readSmallBody } from '../protocol/read-body.js';
import { requireIntegrityHeader } from '../protocol/integrity.js';

import { authorize } from '../kit/authorize.js';
import type { Handler, S3Request } from '../kit/handler.js';
import { bypassesGovernance, keepLockedVersion } from '../kit/object-lock.js';
import { asArray, parseXml, textOf } from '../xml/parse.js';
import type { XmlElement } from '../xml/render.js';
import { xmlResponse } from '../xml/shapes/response.js';

const MAX_KEYS = 1000;
/**
 * Keys deleted at once. One after another, a 1,000-key request waited for each unlink in turn;
 * together, the unlinks overlap in the thread pool and the index commits are shared.
 */
const IN_FLIGHT = 16;

interface KeyOutcome {
  deleted?: XmlElement;
  error?: XmlElement;
  record?: ExtraLogRecord;
}

// S3 refuses a DeleteObjects body it cannot check (seen on AWS; the SDKs always send one of these):
// which also keeps a cross-site text/plain form from deleting objects.
export const deleteObjects: Handler = async (req) => {
  requireIntegrityHeader(req.headers);
  const { root, body } = await parseXml(await readSmallBody(req));
  if (root !== 'Delete') throw new S3Error('MalformedXML');
  const objects = asArray(body.Object as unknown[]).map((o) => ({
    key: textOf((o as Record<string, unknown>).Key),
    versionId: textOf((o as Record<string, unknown>).VersionId),
  }));
  if (objects.length === 0 || objects.length > MAX_KEYS) throw new S3Error('MalformedXML');
  // The whole document is checked before any key is deleted: a request S3 refuses changes nothing.
  if (objects.some((o) => o.key === undefined || o.key === '')) throw new S3Error('MalformedXML');
  const quiet = textOf(body.Quiet) === 'true';
  const outcomes = await mapLimited(objects, IN_FLIGHT, (o) => deleteOne(req, o.key!, o.versionId, quiet));
  const deleted: XmlElement[] = [];
  const errors: XmlElement[] = [];
  for (const o of outcomes) {
    if (o.deleted) deleted.push(o.deleted);
    if (o.error) errors.push(o.error);
    // One BATCH.DELETE.OBJECT record per key, sharing the request id (reference §3), in the
    // request's order.
    if (o.record) req.ctx.extraRecords.push(o.record);
  }
  return xmlResponse('DeleteResult', { Deleted: deleted, Error: errors });
};

async function deleteOne(
  req: S3Request,
  key: string,
  versionId: string | undefined,
  quiet: boolean,
): Promise<KeyOutcome> {
  try {
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new S3Error('KeyTooLongError');
    await authorize(req, req.row, { bucket: req.bucket, key });
    // A locked version is this key's AccessDenied; the other keys go on.
    const check = versionId === undefined ? undefined : keepLockedVersion(await bypassesGovernance(req, key));
    const outcome = await req.services.storage.deleteObject(req.bucket!, key, versionId, check);
    const record: ExtraLogRecord = {
      operation: req.row.extraLog!,
      bucket: req.bucket!,
      key,
      versionId,
      httpStatus: 204,
      batch: true,
    };
    if (quiet) return { record };
    const deleted = {
      Key: key,
      VersionId: versionId,
      DeleteMarker: outcome.deleteMarker || undefined,
      // A delete marker written by this request is named; a removed one is VersionId itself.
      DeleteMarkerVersionId: outcome.deleteMarker && versionId === undefined ? outcome.versionId : undefined,
    };
    return { deleted, record };
  } catch (err) {
    const e = err instanceof S3Error ? err : new S3Error('InternalError');
    return { error: { Key: key, VersionId: versionId, Code: e.code, Message: e.message } };
  }
}
