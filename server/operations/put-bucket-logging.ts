// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html
import { S3Error } from '../../errors/s3-error.js';
import { readSmallBody } from '../protocol/read-body.js';
import { ownerOf } from '../kit/bucket-access.js';
import { logKeysFit } from '../../logging/index.js';
import type { Handler } from '../kit/handler.js';
import { parseXml } from '../xml/parse.js';
import { loggingConfigFrom } from '../xml/shapes/bucket-logging.js';

export const putBucketLogging: Handler = async (req) => {
  const source = req.bucketInfo!;
  // Only the bucket owner may configure logging.
  if (ownerOf(req.identity).id !== source.owner.id) throw new S3Error('AccessDenied');
  const { root, body } = await parseXml(await readSmallBody(req));
  const config = loggingConfigFrom(root, body);
  const { storage } = req.services;
  if (config) {
    const accountId = req.services.identities.accountIdOf(source.owner.id);
    if (!logKeysFit(config, { bucket: source.name, accountId, region: source.region })) {
      // AWS documents no TargetPrefix limit; a prefix that makes log keys exceed S3's key limit is refused here.
      throw new S3Error(
        'InvalidArgument',
        { ArgumentName: 'TargetPrefix', ArgumentValue: config.targetPrefix.slice(0, 64) },
        'The target prefix is too long: log object keys would exceed 1024 bytes.',
      );
    }
    const target = await storage.getBucket(config.targetBucket);
    if (!target) throw new S3Error('InvalidTargetBucketForLogging', { TargetBucket: config.targetBucket });
    if (target.owner.id !== source.owner.id) {
      throw new S3Error(
        'InvalidTargetBucketForLogging',
        { TargetBucket: config.targetBucket },
        'The owner for the bucket to be logged and the target bucket must be the same.',
      );
    }
    if (target.region !== source.region) {
      // Spelled with a double t, as in the S3 service model.
      throw new S3Error('CrossLocationLoggingProhibitted', {
        TargetBucket: config.targetBucket,
        SourceBucketLocation: source.region,
        TargetBucketLocation: target.region,
      });
    }
  }
  // Records made under the old configuration go to the old target.
  await req.services.flushBucketLogs(source.name);
  await storage.putBucketConfig(source.name, 'logging', config);
  return { status: 200 };
};
