// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html

import type { Handler } from '../kit/handler.js';

export const deleteBucket: Handler = async (req) => {
  await req.services.flushBucketLogs(req.bucket!);
  await req.services.storage.deleteBucket(req.bucket!);
  return { status: 204 };
};
