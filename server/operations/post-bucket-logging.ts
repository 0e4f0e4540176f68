// Ceph RGW's extension: POST /{bucket}?logging delivers the bucket's pending log records now.
// https://docs.ceph.com/en/latest/radosgw/bucket_logging/

import type { Handler } from '../kit/handler.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const postBucketLogging: Handler = async (req) => {
  const key = await req.services.flushBucketLogs(req.bucket!);
  return xmlResponse('PostBucketLoggingOutput', { FlushedLoggingObject: key ?? '' });
};
