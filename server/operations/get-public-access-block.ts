// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetPublicAccessBlock.html
import { S3Error } from '../../errors/s3-error.js';
import type { Handler } from '../kit/handler.js';
import { publicAccessBlockXml } from '../xml/shapes/public-access-block.js';
import { xmlResponse } from '../xml/shapes/response.js';

/**
 * A bucket never configured answers NoSuchPublicAccessBlockConfiguration, as S3 did before April
 * 2023 made every new bucket block public access (s3scribe's buckets start open, ACLs enabled).
 */
export const getPublicAccessBlock: Handler = async (req) => {
  const config = await req.services.storage.getBucketConfig(req.bucket!, 'publicAccessBlock');
  if (!config) throw new S3Error('NoSuchPublicAccessBlockConfiguration', { BucketName: req.bucket });
  return xmlResponse('PublicAccessBlockConfiguration', publicAccessBlockXml(config));
};
