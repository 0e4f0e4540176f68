// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeletePublicAccessBlock.html
import type { Handler } from '../kit/handler.js';

export const deletePublicAccessBlock: Handler = async (req) => {
  await req.services.storage.putBucketConfig(req.bucket!, 'publicAccessBlock', undefined);
  return { status: 204 };
};
