// Bucket configuration reads for features s3scribe stores nothing for: they answer exactly as S3
// answers for a bucket where the feature was never configured, so tools that probe them
// (rclone, Terraform, the console-style SDK flows) work.
import { S3Error } from '../../errors/s3-error.js';
import type { S3ErrorCode } from '../../errors/table.js';

import type { Handler } from '../kit/handler.js';
import type { XmlElement } from '../xml/render.js';
import { xmlResponse } from '../xml/shapes/response.js';

const notConfigured =
  (code: S3ErrorCode): Handler =>
  async (req) => {
    throw new S3Error(code, { BucketName: req.bucket });
  };

const fixedDocument =
  (root: string, body: XmlElement): Handler =>
  async (_req) => {
    return xmlResponse(root, body);
  };

export const getBucketCors = notConfigured('NoSuchCORSConfiguration');
export const getBucketLifecycleConfiguration = notConfigured('NoSuchLifecycleConfiguration');
export const getBucketWebsite = notConfigured('NoSuchWebsiteConfiguration');
export const getBucketTagging = notConfigured('NoSuchTagSet');
export const getBucketReplication = notConfigured('ReplicationConfigurationNotFoundError');
export const getPublicAccessBlock = notConfigured('NoSuchPublicAccessBlockConfiguration');
export const getBucketOwnershipControls = notConfigured('OwnershipControlsNotFoundError');
export const getObjectLockConfiguration = notConfigured('ObjectLockConfigurationNotFoundError');
// Every bucket has SSE-S3 default encryption since January 2023.
export const getBucketEncryption = fixedDocument('ServerSideEncryptionConfiguration', {
  Rule: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
});
export const getBucketRequestPayment = fixedDocument('RequestPaymentConfiguration', { Payer: 'BucketOwner' });
export const getBucketAccelerateConfiguration = fixedDocument('AccelerateConfiguration', {});
export const getBucketNotificationConfiguration = fixedDocument('NotificationConfiguration', {});
