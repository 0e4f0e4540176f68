// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html

import type { Handler } from '../kit/handler.js';

export const deleteBucketPolicy: Handler = async (req) => {
  await req.services.storage.putBucketConfig(req.bucket!, 'policy', undefined);
  return { status: 204 };
};
