// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
import { readSmallBody } from '../protocol/read-body.js';
import { parsePolicy } from '../policy/policy-document.js';
import { requireBucket } from '../s3/bucket-access.js';
import type { Handler } from '../s3/handler.js';

export const putBucketPolicy: Handler = async (req) => {
  await requireBucket(req);
  const text = await readSmallBody(req);
  parsePolicy(text, req.bucket!);
  await req.services.storage.putBucketConfig(req.bucket!, 'policy', text);
  return { status: 204 };
};
