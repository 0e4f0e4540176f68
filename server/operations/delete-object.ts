// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html

import type { Handler } from '../kit/handler.js';
import { bypassesGovernance, keepLockedVersion } from '../kit/object-lock.js';
import { requestedVersionId } from '../kit/versions.js';

/**
 * Deleting a key that does not exist succeeds too: S3 answers 204 either way. In a versioned
 * bucket the answer names the delete marker written, or the version removed. A version that
 * Object Lock protects stays (AccessDenied); a delete marker on top of it is always allowed.
 */
export const deleteObject: Handler = async (req) => {
  const versionId = requestedVersionId(req);
  const check = versionId === undefined ? undefined : keepLockedVersion(await bypassesGovernance(req));
  const outcome = await req.services.storage.deleteObject(req.bucket!, req.key!, versionId, check);
  const headers: Record<string, string> = {};
  if (outcome.versionId !== undefined) headers['x-amz-version-id'] = outcome.versionId;
  if (outcome.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  return { status: 204, headers };
};
