// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html

import type { Handler } from '../kit/handler.js';

export const deleteBucket: Handler = async (req) => {
  await req.services.flushBucketLogs(req.bucket!);
  // Every request to a logging bucket is logged, its own deletion included: the record needs the
  // bucket's logging configuration after the bucket is gone.
  const before = req.services.storage.peekBucket(req.bucket!);
  await req.services.storage.deleteBucket(req.bucket!);
  req.ctx.deletedBucket = before;
  return { status: 204 };
};
