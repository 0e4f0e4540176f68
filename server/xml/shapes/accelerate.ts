// The AccelerateConfiguration document:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAccelerateConfiguration.html
import { S3Error } from '../../../errors/s3-error.js';
import type { ParsedXml } from '../parse.js';
import { enumField, expectRoot, onlyFields } from './elements.js';

export const ACCELERATE_STATUSES = ['Enabled', 'Suspended'] as const;

export function accelerateStatusFrom(root: string, body: ParsedXml): (typeof ACCELERATE_STATUSES)[number] {
  expectRoot(root, 'AccelerateConfiguration');
  onlyFields(body, ['Status']);
  const status = enumField(body, 'Status', ACCELERATE_STATUSES);
  if (status === undefined) throw new S3Error('MalformedXML');
  return status;
}
