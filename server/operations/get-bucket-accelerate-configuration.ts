// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAccelerateConfiguration.html
import type { Handler } from '../kit/handler.js';
import { xmlResponse } from '../xml/shapes/response.js';

/** Never configured: an empty AccelerateConfiguration, without Status. */
export const getBucketAccelerateConfiguration: Handler = async (req) => {
  const status = await req.services.storage.getBucketConfig(req.bucket!, 'accelerate');
  return xmlResponse('AccelerateConfiguration', { Status: status });
};
