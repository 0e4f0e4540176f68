// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketWebsite.html
import type { Handler } from '../kit/handler.js';

/** 204 whether or not the bucket had a website configuration. */
export const deleteBucketWebsite: Handler = async (req) => {
  await req.services.storage.putBucketConfig(req.bucket!, 'website', undefined);
  return { status: 204 };
};
