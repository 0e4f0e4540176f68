// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
import { requireBucket } from '../s3/bucket-access.js';
import type { Handler } from '../s3/handler.js';

export const headBucket: Handler = async (req) => {
  const bucket = await requireBucket(req);
  return { status: 200, headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' } };
};
