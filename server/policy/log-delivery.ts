import type { DeliveryTarget } from '../../logging/index.js';
import type { Storage } from '../../storage/storage.js';
import { LOG_DELIVERY } from '../acl/grants.js';
import { evaluatePolicy, storedPolicy } from './evaluate.js';
import { resourceArn } from './resource-arn.js';

/** The service principal S3 server access logging writes as. */
export const LOGGING_SERVICE = 'logging.s3.amazonaws.com';

/**
 * Strict mode: AWS delivers where the target bucket policy lets the logging service
 * `s3:PutObject` under the prefix, with the condition keys its writes carry (source account and
 * ARN, and `s3:x-amz-acl: bucket-owner-full-control`, which the widely copied walkthrough policies
 * require), or, the legacy way, where the target's ACL grants the Log Delivery group WRITE.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export async function logDeliveryAllowed(storage: Storage, meta: DeliveryTarget): Promise<boolean> {
  const policy = await storage.getBucketConfig(meta.targetBucket, 'policy').catch(() => undefined);
  const decision =
    policy === undefined
      ? 'none'
      : evaluatePolicy(storedPolicy(policy, meta.targetBucket), {
          principal: { service: LOGGING_SERVICE },
          action: 's3:PutObject',
          resource: resourceArn(meta.targetBucket, `${meta.targetPrefix}log-object`),
          context: {
            'aws:SourceAccount': meta.sourceOwnerAccountId,
            'aws:SourceArn': resourceArn(meta.sourceBucket),
            's3:x-amz-acl': 'bucket-owner-full-control',
            'aws:SecureTransport': 'true',
          },
        });
  if (decision !== 'none') return decision === 'allow';
  const acl = await storage.getBucketConfig(meta.targetBucket, 'acl').catch(() => undefined);
  return (acl ?? []).some(
    (g) =>
      g.grantee.type === 'Group' &&
      g.grantee.uri === LOG_DELIVERY &&
      (g.permission === 'WRITE' || g.permission === 'FULL_CONTROL'),
  );
}
