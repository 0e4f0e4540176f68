// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html
import type { Handler } from '../kit/handler.js';
import { DEFAULT_ENCRYPTION, encryptionXml } from '../xml/shapes/encryption.js';
import { xmlResponse } from '../xml/shapes/response.js';

/**
 * Every bucket has SSE-S3 default encryption since January 2023, so a bucket never configured (or
 * whose configuration was deleted) answers AES256, not ServerSideEncryptionConfigurationNotFoundError
 * as older S3 did and ceph/s3-tests still expects.
 */
export const getBucketEncryption: Handler = async (req) => {
  const config = await req.services.storage.getBucketConfig(req.bucket!, 'encryption');
  return xmlResponse('ServerSideEncryptionConfiguration', encryptionXml(config ?? DEFAULT_ENCRYPTION));
};
