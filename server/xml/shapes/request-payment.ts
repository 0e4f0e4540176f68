// The RequestPaymentConfiguration document:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketRequestPayment.html
import { S3Error } from '../../../errors/s3-error.js';
import type { ParsedXml } from '../parse.js';
import { enumField, expectRoot, onlyFields } from './elements.js';

export const PAYERS = ['BucketOwner', 'Requester'] as const;

export function payerFrom(root: string, body: ParsedXml): (typeof PAYERS)[number] {
  expectRoot(root, 'RequestPaymentConfiguration');
  onlyFields(body, ['Payer']);
  const payer = enumField(body, 'Payer', PAYERS);
  if (payer === undefined) throw new S3Error('MalformedXML');
  return payer;
}
