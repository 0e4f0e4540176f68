// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketTagging.html
import { S3Error } from '../../errors/s3-error.js';
import type { Handler } from '../kit/handler.js';
import { xmlResponse } from '../xml/shapes/response.js';
import { tagSetXml } from '../xml/shapes/tagging.js';

export const getBucketTagging: Handler = async (req) => {
  const tags = await req.services.storage.getBucketConfig(req.bucket!, 'tagging');
  if (!tags?.length) throw new S3Error('NoSuchTagSet', { BucketName: req.bucket });
  return xmlResponse('Tagging', tagSetXml(tags));
};
