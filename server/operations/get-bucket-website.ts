// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketWebsite.html
import { S3Error } from '../../errors/s3-error.js';
import type { Handler } from '../kit/handler.js';
import { xmlResponse } from '../xml/shapes/response.js';
import { websiteXml } from '../xml/shapes/website.js';

export const getBucketWebsite: Handler = async (req) => {
  const config = await req.services.storage.getBucketConfig(req.bucket!, 'website');
  if (!config) throw new S3Error('NoSuchWebsiteConfiguration', { BucketName: req.bucket });
  return xmlResponse('WebsiteConfiguration', websiteXml(config));
};
