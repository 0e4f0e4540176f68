import { S3Error } from '../../errors/s3-error.js';
import type { OpenedObject } from '../../storage/storage.js';
import { checkCopySourcePreconditions } from '../protocol/conditional.js';
import { type CopySource, parseCopySource } from '../protocol/copy-source.js';
import { authorize } from './authorize.js';
import { header, type S3Request } from './handler.js';

/** Reading a copy source needs what GetObject needs. */
const SOURCE_READ = { action: 's3:GetObject', acl: 'object:READ' } as const;

/**
 * Opens a copy source and records the source-side log row (the operation row's `extraLog`:
 * `REST.COPY.OBJECT_GET` or `REST.COPY.PART_GET`) with the outcome of the read (reference §3,
 * "Multi-record requests").
 */
export async function openCopySource(req: S3Request): Promise<{ source: CopySource; opened: OpenedObject }> {
  const source = parseCopySource(header(req, 'x-amz-copy-source'));
  const row = { operation: req.row.extraLog!, bucket: source.bucket, key: source.key, versionId: source.versionId };
  try {
    if (!(await req.services.storage.getBucket(source.bucket)))
      throw new S3Error('NoSuchBucket', { BucketName: source.bucket });
    // The caller must be able to read the source too, not only to write the destination.
    await authorize(req, SOURCE_READ, source);
    const opened = await req.services.storage.openObject(source.bucket, source.key, source.versionId);
    if (!opened && source.versionId !== undefined) {
      const named = await req.services.storage.findVersion(source.bucket, source.key, source.versionId);
      if (named?.deleteMarker)
        throw new S3Error(
          'InvalidRequest',
          {},
          'The source of a copy request may not specifically refer to a delete marker by version id.',
        );
      throw new S3Error('NoSuchVersion', { Key: source.key, VersionId: source.versionId });
    }
    if (!opened) throw new S3Error('NoSuchKey', { Key: source.key });
    try {
      checkCopySourcePreconditions(req.headers, opened.meta);
    } catch (err) {
      await opened.close();
      throw err;
    }
    req.ctx.extraRecords.push({ ...row, httpStatus: 200, objectSize: opened.meta.size });
    return { source, opened };
  } catch (err) {
    if (err instanceof S3Error) req.ctx.extraRecords.push({ ...row, httpStatus: err.status, errorCode: err.code });
    throw err;
  }
}
