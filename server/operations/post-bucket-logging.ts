// Ceph RGW's extension: POST /{bucket}?logging delivers the bucket's pending log records now.
// https://docs.ceph.com/en/latest/radosgw/bucket_logging/
import { requireBucket } from '../s3/bucket-access.js';
import type { Handler } from '../s3/handler.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const postBucketLogging: Handler = async (req) => {
  await requireBucket(req);
  const key = await req.services.flushBucketLogs(req.bucket!);
  return xmlResponse('PostBucketLoggingOutput', { FlushedLoggingObject: key ?? '' });
};
