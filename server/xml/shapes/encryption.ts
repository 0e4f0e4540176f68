// The ServerSideEncryptionConfiguration document of PutBucketEncryption / GetBucketEncryption:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html
import { S3Error } from '../../../errors/s3-error.js';
import type { BucketConfig } from '../../../storage/storage.js';
import type { ParsedXml } from '../parse.js';
import type { XmlElement } from '../render.js';
import { boolField, enumField, expectRoot, fieldsOf, many, one, onlyFields, textField } from './elements.js';

export type EncryptionConfig = NonNullable<BucketConfig['encryption']>;

const ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'] as const;

/** What a bucket never configured has: SSE-S3, since January 2023 the default of every bucket. */
export const DEFAULT_ENCRYPTION: EncryptionConfig = { sseAlgorithm: 'AES256', bucketKeyEnabled: false };

/**
 * One Rule with ApplyServerSideEncryptionByDefault. No rule, two rules or an unknown algorithm does
 * not validate (MalformedXML); a KMS key with AES256 is InvalidArgument (LocalStack's AWS-validated
 * test_s3_default_bucket_encryption_exc).
 */
export function encryptionFrom(root: string, body: ParsedXml): EncryptionConfig {
  expectRoot(root, 'ServerSideEncryptionConfiguration');
  onlyFields(body, ['Rule']);
  const rules = many(body, 'Rule');
  if (rules.length !== 1) throw new S3Error('MalformedXML');
  const rule = fieldsOf(rules[0]);
  onlyFields(rule, ['ApplyServerSideEncryptionByDefault', 'BucketKeyEnabled']);
  const byDefault = one(rule, 'ApplyServerSideEncryptionByDefault');
  if (byDefault === undefined) throw new S3Error('MalformedXML');
  const fields = fieldsOf(byDefault);
  onlyFields(fields, ['SSEAlgorithm', 'KMSMasterKeyID']);
  const sseAlgorithm = enumField(fields, 'SSEAlgorithm', ALGORITHMS);
  if (sseAlgorithm === undefined) throw new S3Error('MalformedXML');
  const kmsMasterKeyId = textField(fields, 'KMSMasterKeyID');
  if (kmsMasterKeyId !== undefined && sseAlgorithm === 'AES256')
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'ApplyServerSideEncryptionByDefault' },
      'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
    );
  if (kmsMasterKeyId === '') throw new S3Error('MalformedXML');
  return { sseAlgorithm, kmsMasterKeyId, bucketKeyEnabled: boolField(rule, 'BucketKeyEnabled') ?? false };
}

export const encryptionXml = (c: EncryptionConfig): XmlElement => ({
  Rule: {
    ApplyServerSideEncryptionByDefault: { SSEAlgorithm: c.sseAlgorithm, KMSMasterKeyID: c.kmsMasterKeyId },
    BucketKeyEnabled: c.bucketKeyEnabled ?? false,
  },
});
