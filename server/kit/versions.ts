import { S3Error } from '../../errors/s3-error.js';
import { NULL_VERSION, type ObjectMeta } from '../../storage/storage.js';
import type { S3Request } from './handler.js';

/**
 * What a version id can look like: S3's are at most 1,024 bytes of URL-safe text, and printable
 * ASCII covers them and s3scribe's own. An id outside it cannot name a version, and could not be
 * echoed in `x-amz-version-id` (a DeleteObject of a version that does not exist names it there).
 */
const POSSIBLE_VERSION_ID = /^[\x21-\x7e]{1,1024}$/;

/**
 * The `versionId` a request names, if any. An empty one is refused as S3 refuses it; one that
 * cannot be a version id gets S3's answer to a malformed id, InvalidArgument "Invalid version id
 * specified" (as AWS answers `delete-object --version-id` with an id it never issued, reported in
 * versity/versitygw#842 and #1630).
 */
export function requestedVersionId(req: S3Request): string | undefined {
  const id = req.query.get('versionId') ?? undefined;
  if (id === '')
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'versionId', ArgumentValue: '' },
      'Version id cannot be the empty string',
    );
  if (id !== undefined && !POSSIBLE_VERSION_ID.test(id))
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'versionId', ArgumentValue: id },
      'Invalid version id specified',
    );
  return id;
}

/** `x-amz-version-id` for an object of a bucket that has (or had) versioning; nothing otherwise. */
export const versionHeader = (meta: Pick<ObjectMeta, 'versionId'>): Record<string, string> =>
  meta.versionId === undefined ? {} : { 'x-amz-version-id': meta.versionId };

/**
 * `x-amz-version-id` in the answer to a write: only a versioning-enabled bucket names the version
 * it made; a write into a suspended bucket makes the `null` version and says nothing (the
 * "Versioning suspended" sample response of
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#API_PutObject_Examples;
 * ceph/s3-tests test_versioning_bucket_atomic_upload_return_version_id). Reads still name `null`.
 */
export const writtenVersionHeader = (meta: Pick<ObjectMeta, 'versionId'>): Record<string, string> =>
  meta.versionId === undefined || meta.versionId === 'null' ? {} : { 'x-amz-version-id': meta.versionId };

/**
 * The error for a version that cannot be read: a delete marker (404 NoSuchKey as the current
 * version, 405 MethodNotAllowed when named), a missing version (NoSuchVersion), else `missing`.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html
 */
export async function unreadableVersionError(
  req: S3Request,
  versionId: string | undefined,
  missing: () => Promise<S3Error>,
): Promise<S3Error> {
  const found = await req.services.storage.findVersion(req.bucket!, req.key!, versionId);
  if (found?.deleteMarker) {
    const headers = {
      'x-amz-delete-marker': 'true',
      'x-amz-version-id': found.versionId ?? NULL_VERSION,
      'Last-Modified': new Date(found.lastModified).toUTCString(),
    };
    if (versionId === undefined) return new S3Error('NoSuchKey', { Key: req.key }, undefined, headers);
    return new S3Error('MethodNotAllowed', { Method: req.method, ResourceType: 'DeleteMarker' }, undefined, {
      ...headers,
      Allow: 'DELETE',
    });
  }
  if (versionId !== undefined) return new S3Error('NoSuchVersion', { Key: req.key, VersionId: versionId });
  return missing();
}
