// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketLifecycle.html
import type { Handler } from '../kit/handler.js';

/** 204 whether or not the bucket had a lifecycle configuration (ceph/s3-tests test_lifecycle_delete). */
export const deleteBucketLifecycle: Handler = async (req) => {
  await req.services.storage.putBucketConfig(req.bucket!, 'lifecycle', undefined);
  return { status: 204 };
};
