// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketEncryption.html
import type { Handler } from '../kit/handler.js';

/** Resets the bucket to the SSE-S3 default; 204 whether or not it was configured. */
export const deleteBucketEncryption: Handler = async (req) => {
  await req.services.storage.putBucketConfig(req.bucket!, 'encryption', undefined);
  return { status: 204 };
};
