// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketTagging.html
import type { Handler } from '../kit/handler.js';

export const deleteBucketTagging: Handler = async (req) => {
  await req.services.storage.putBucketConfig(req.bucket!, 'tagging', undefined);
  return { status: 204 };
};
