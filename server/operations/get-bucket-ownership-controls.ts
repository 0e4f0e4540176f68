// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketOwnershipControls.html
import { S3Error } from '../../errors/s3-error.js';
import type { Handler } from '../kit/handler.js';
import { ownershipControlsXml } from '../xml/shapes/ownership-controls.js';
import { xmlResponse } from '../xml/shapes/response.js';

/** Never configured: OwnershipControlsNotFoundError, as S3 answered before April 2023's defaults. */
export const getBucketOwnershipControls: Handler = async (req) => {
  const ownership = await req.services.storage.getBucketConfig(req.bucket!, 'ownershipControls');
  if (!ownership) throw new S3Error('OwnershipControlsNotFoundError', { BucketName: req.bucket });
  return xmlResponse('OwnershipControls', ownershipControlsXml(ownership));
};
