// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLogging.html
import type { LoggingConfig } from '../../logging/index.js';

import type { Handler } from '../kit/handler.js';
import { loggingConfigXml } from '../xml/shapes/bucket-logging.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const getBucketLogging: Handler = async (req) => {
  const config = (await req.services.storage.getBucketConfig(req.bucket!, 'logging')) as LoggingConfig | undefined;
  return xmlResponse('BucketLoggingStatus', loggingConfigXml(config));
};
