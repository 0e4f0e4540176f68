// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html
import { requireBucket } from '../s3/bucket-access.js';
import type { Handler } from '../s3/handler.js';

export const deleteBucket: Handler = async (req) => {
  await requireBucket(req);
  await req.services.flushBucketLogs(req.bucket!);
  await req.services.storage.deleteBucket(req.bucket!);
  return { status: 204 };
};
