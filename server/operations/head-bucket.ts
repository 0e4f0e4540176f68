// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html

import type { Handler } from '../kit/handler.js';

export const headBucket: Handler = async (req) => {
  const bucket = req.bucketInfo!;
  return { status: 200, headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' } };
};
