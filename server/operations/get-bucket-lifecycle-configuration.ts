// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLifecycleConfiguration.html
// Also the older GetBucketLifecycle (same `GET /?lifecycle`, same document).
import { S3Error } from '../../errors/s3-error.js';
import type { Handler } from '../kit/handler.js';
import { lifecycleXml } from '../xml/shapes/lifecycle.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const getBucketLifecycleConfiguration: Handler = async (req) => {
  const rules = await req.services.storage.getBucketConfig(req.bucket!, 'lifecycle');
  if (!rules?.length) throw new S3Error('NoSuchLifecycleConfiguration', { BucketName: req.bucket });
  return xmlResponse('LifecycleConfiguration', lifecycleXml(rules));
};
