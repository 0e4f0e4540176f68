// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAccelerateConfiguration.html
import { S3Error } from '../../errors/s3-error.js';
import type { Handler } from '../kit/handler.js';
import { readXmlDocument } from '../protocol/xml-document.js';
import { accelerateStatusFrom } from '../xml/shapes/accelerate.js';

/**
 * Stored and echoed. "The name of the bucket used for Transfer Acceleration must be DNS-compliant
 * and must not contain periods" (API page), so such a bucket is refused before its document is read.
 */
export const putBucketAccelerateConfiguration: Handler = async (req) => {
  if (req.bucket!.includes('.'))
    throw new S3Error(
      'InvalidRequest',
      {},
      'S3 Transfer Acceleration is not supported for buckets with periods (.) in their names',
    );
  const { root, body } = await readXmlDocument(req);
  await req.services.storage.putBucketConfig(req.bucket!, 'accelerate', accelerateStatusFrom(root, body));
  return { status: 200 };
};
