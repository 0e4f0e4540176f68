// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicyStatus.html
import { S3Error } from '../../errors/s3-error.js';
import { isPublicPolicy } from '../kit/bucket-guards.js';
import type { Handler } from '../kit/handler.js';
import { storedPolicy } from '../policy/evaluate.js';
import { xmlResponse } from '../xml/shapes/response.js';

/** Whether the bucket policy makes the bucket public, by the rule BlockPublicPolicy applies. */
export const getBucketPolicyStatus: Handler = async (req) => {
  const text = await req.services.storage.getBucketConfig(req.bucket!, 'policy');
  if (text === undefined) throw new S3Error('NoSuchBucketPolicy', { BucketName: req.bucket });
  return xmlResponse('PolicyStatus', { IsPublic: isPublicPolicy(storedPolicy(text, req.bucket!)) });
};
