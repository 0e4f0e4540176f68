// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketOwnershipControls.html
import type { Handler } from '../kit/handler.js';

export const deleteBucketOwnershipControls: Handler = async (req) => {
  await req.services.storage.putBucketConfig(req.bucket!, 'ownershipControls', undefined);
  return { status: 204 };
};
