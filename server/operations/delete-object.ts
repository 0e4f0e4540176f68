// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html

import type { Handler } from '../kit/handler.js';
import { requestedVersionId } from '../kit/versions.js';

/**
 * Deleting a key that does not exist succeeds too: S3 answers 204 either way. In a versioned
 * bucket the answer names the delete marker written, or the version removed.
 */
export const deleteObject: Handler = async (req) => {
  const outcome = await req.services.storage.deleteObject(req.bucket!, req.key!, requestedVersionId(req));
  const headers: Record<string, string> = {};
  if (outcome.versionId !== undefined) headers['x-amz-version-id'] = outcome.versionId;
  if (outcome.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  return { status: 204, headers };
};
