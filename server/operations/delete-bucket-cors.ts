// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketCors.html
import type { Handler } from '../kit/handler.js';

/** 204 whether or not the bucket had rules. */
export const deleteBucketCors: Handler = async (req) => {
  await req.services.storage.putBucketConfig(req.bucket!, 'cors', undefined);
  return { status: 204 };
};
