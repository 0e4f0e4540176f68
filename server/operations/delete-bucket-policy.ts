// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html
import { requireBucket } from '../s3/bucket-access.js';
import type { Handler } from '../s3/handler.js';

export const deleteBucketPolicy: Handler = async (req) => {
  await requireBucket(req);
  await req.services.storage.putBucketConfig(req.bucket!, 'policy', undefined);
  return { status: 204 };
};
