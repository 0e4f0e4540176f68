// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketCors.html
import { S3Error } from '../../errors/s3-error.js';
import type { Handler } from '../kit/handler.js';
import { corsXml } from '../xml/shapes/cors.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const getBucketCors: Handler = async (req) => {
  const rules = await req.services.storage.getBucketConfig(req.bucket!, 'cors');
  if (!rules?.length) throw new S3Error('NoSuchCORSConfiguration', { BucketName: req.bucket });
  return xmlResponse('CORSConfiguration', corsXml(rules));
};
