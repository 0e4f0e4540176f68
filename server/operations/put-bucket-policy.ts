// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
import { readSmallBody } from '../protocol/read-body.js';
import { parsePolicy } from '../policy/policy-document.js';

import { checkPolicy } from '../kit/bucket-guards.js';
import type { Handler } from '../kit/handler.js';

export const putBucketPolicy: Handler = async (req) => {
  const text = await readSmallBody(req);
  checkPolicy(req, parsePolicy(text, req.bucket!));
  await req.services.storage.putBucketConfig(req.bucket!, 'policy', text);
  return { status: 204 };
};
