// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
import { S3Error } from '../../errors/s3-error.js';
import { readSmallBody } from '../protocol/read-body.js';
import { requireIntegrityHeader } from '../protocol/integrity.js';

import { authorize } from '../kit/authorize.js';
import type { Handler } from '../kit/handler.js';
import { bypassesGovernance, keepLockedVersion } from '../kit/object-lock.js';
import { asArray, parseXml, textOf } from '../xml/parse.js';
import type { XmlElement } from '../xml/render.js';
import { xmlResponse } from '../xml/shapes/response.js';

const MAX_KEYS = 1000;

// S3 refuses a DeleteObjects body it cannot check (seen on AWS; the SDKs always send one of these):
// which also keeps a cross-site text/plain form from deleting objects.
export const deleteObjects: Handler = async (req) => {
  requireIntegrityHeader(req.headers);
  const { root, body } = await parseXml(await readSmallBody(req));
  if (root !== 'Delete') throw new S3Error('MalformedXML');
  const objects = asArray(body.Object as unknown[]);
  if (objects.length === 0 || objects.length > MAX_KEYS) throw new S3Error('MalformedXML');
  const quiet = textOf(body.Quiet) === 'true';
  const deleted: XmlElement[] = [];
  const errors: XmlElement[] = [];
  for (const o of objects) {
    const key = textOf((o as Record<string, unknown>).Key);
    const versionId = textOf((o as Record<string, unknown>).VersionId);
    if (key === undefined || key === '') throw new S3Error('MalformedXML');
    try {
      if (Buffer.byteLength(key) > 1024) throw new S3Error('KeyTooLongError');
      await authorize(req, req.row, { bucket: req.bucket, key });
      // A locked version is this key's AccessDenied; the other keys go on.
      const check = versionId === undefined ? undefined : keepLockedVersion(await bypassesGovernance(req, key));
      const outcome = await req.services.storage.deleteObject(req.bucket!, key, versionId, check);
      if (!quiet) {
        deleted.push({
          Key: key,
          VersionId: versionId,
          DeleteMarker: outcome.deleteMarker || undefined,
          // A delete marker written by this request is named; a removed one is VersionId itself.
          DeleteMarkerVersionId: outcome.deleteMarker && versionId === undefined ? outcome.versionId : undefined,
        });
      }
      // One BATCH.DELETE.OBJECT record per key, sharing the request id (reference §3).
      req.ctx.extraRecords.push({
        operation: req.row.extraLog!,
        bucket: req.bucket!,
        key,
        versionId,
        httpStatus: 204,
        batch: true,
      });
    } catch (err) {
      const e = err instanceof S3Error ? err : new S3Error('InternalError');
      errors.push({ Key: key, VersionId: versionId, Code: e.code, Message: e.message });
    }
  }
  return xmlResponse('DeleteResult', { Deleted: deleted, Error: errors });
};
