// Bucket configuration reads for features s3scribe stores nothing for: they answer exactly as S3
// answers for a bucket where the feature was never configured, so tools that probe them
// (rclone, Terraform, the console-style SDK flows) work.
import { S3Error } from '../../errors/s3-error.js';
import type { S3ErrorCode } from '../../errors/table.js';

import type { Handler } from '../kit/handler.js';

const notConfigured =
  (code: S3ErrorCode): Handler =>
  async (req) => {
    throw new S3Error(code, { BucketName: req.bucket });
  };

export const getBucketReplication = notConfigured('ReplicationConfigurationNotFoundError');
