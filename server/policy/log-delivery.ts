import type { DeliveryTarget } from '../../logging/index.js';
import type { Storage } from '../../storage/storage.js';
import { resourceArn } from './resource-arn.js';
import { evaluatePolicy } from './evaluate.js';
import { parsePolicy } from './policy-document.js';

/** The service principal S3 server access logging writes as. */
export const LOGGING_SERVICE = 'logging.s3.amazonaws.com';

/**
 * Strict mode: AWS delivers only where the target bucket policy lets the logging service
 * `s3:PutObject` under the prefix (its usual conditions on the source account and ARN included).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export async function logDeliveryAllowed(storage: Storage, meta: DeliveryTarget): Promise<boolean> {
  const policy = await storage.getBucketConfig(meta.targetBucket, 'policy').catch(() => undefined);
  if (policy === undefined) return false;
  const decision = evaluatePolicy(parsePolicy(policy, meta.targetBucket), {
    principal: { service: LOGGING_SERVICE },
    action: 's3:PutObject',
    resource: resourceArn(meta.targetBucket, `${meta.targetPrefix}log-object`),
    context: {
      'aws:SourceAccount': meta.sourceOwnerAccountId,
      'aws:SourceArn': resourceArn(meta.sourceBucket),
    },
  });
  return decision === 'allow';
}
