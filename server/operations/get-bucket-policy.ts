// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
import { S3Error } from '../../errors/s3-error.js';

import type { Handler } from '../kit/handler.js';

export const getBucketPolicy: Handler = async (req) => {
  const policy = await req.services.storage.getBucketConfig(req.bucket!, 'policy');
  if (policy === undefined) throw new S3Error('NoSuchBucketPolicy', { BucketName: req.bucket });
  return { status: 200, headers: { 'Content-Type': 'application/json' }, body: policy };
};
