import { S3Error } from '../errors/s3-error.js';
import { iamActionOf, resourceArn } from '../policy/action-names.js';
import { evaluatePolicy } from '../policy/evaluate.js';
import { parsePolicy } from '../policy/policy-document.js';
import type { Services } from './handler.js';
import type { Identity } from './identity.js';

/**
 * With signature verification off, every signed request acts with its identity's full rights.
 * Anonymous requests get only what the bucket policy grants to `*`, as on AWS.
 */
export async function authorize(services: Services, identity: Identity | undefined, operation: string, bucket?: string, key?: string): Promise<void> {
  if (identity) return;
  const policy = bucket === undefined ? undefined : await services.storage.getBucketConfig(bucket, 'policy').catch(() => undefined);
  if (policy !== undefined) {
    const decision = evaluatePolicy(parsePolicy(policy, bucket!), {
      principal: { anonymous: true },
      action: iamActionOf(operation),
      resource: resourceArn(bucket!, key),
    });
    if (decision === 'allow') return;
  }
  throw new S3Error('AccessDenied');
}
