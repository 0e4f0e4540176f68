import { S3Error } from '../../errors/s3-error.js';
import type { S3Request } from './handler.js';

/**
 * A Requester Pays bucket: anyone but the owner's account must say it will pay
 * (`x-amz-request-payer: requester`), anonymous callers cannot, and an answer to a paying
 * requester carries `x-amz-request-charged: requester`. Returns that response header, if any.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/RequesterPaysBuckets.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ObjectsinRequesterPaysBuckets.html
 */
export function requesterPays(req: S3Request): Record<string, string> | undefined {
  if (req.bucket === undefined || req.row.action === undefined) return undefined;
  const bucket = req.services.storage.peekBucket(req.bucket);
  if (bucket?.config.requestPayment !== 'Requester') return undefined;
  if (req.identity?.canonicalId === bucket.info.owner.id) return undefined;
  if (!req.identity || String(req.headers['x-amz-request-payer']).toLowerCase() !== 'requester')
    throw new S3Error('AccessDenied');
  return { 'x-amz-request-charged': 'requester' };
}
