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

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html: never enabled → no Status.
export const getBucketVersioning = fixedDocument('VersioningConfiguration', {});
export const getBucketReplication = notConfigured('ReplicationConfigurationNotFoundError');
export const getObjectLockConfiguration = notConfigured('ObjectLockConfigurationNotFoundError');
