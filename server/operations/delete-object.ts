// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
import { requireBucket } from '../s3/bucket-access.js';
import type { Handler } from '../s3/handler.js';

/** Deleting a key that does not exist succeeds too: S3 answers 204 either way. */
export const deleteObject: Handler = async (req) => {
  await requireBucket(req);
  await req.services.storage.deleteObject(req.bucket!, req.key!);
  return { status: 204 };
};
