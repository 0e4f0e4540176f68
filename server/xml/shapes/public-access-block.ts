// The PublicAccessBlockConfiguration document:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html
import { S3Error } from '../../../errors/s3-error.js';
import type { BucketConfig } from '../../../storage/storage.js';
import type { ParsedXml } from '../parse.js';
import type { XmlElement } from '../render.js';
import { boolField, expectRoot, onlyFields } from './elements.js';

export type PublicAccessBlock = NonNullable<BucketConfig['publicAccessBlock']>;

const FIELDS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

/** Each setting is optional and false when left out; a document without any is refused. */
export function publicAccessBlockFrom(root: string, body: ParsedXml): PublicAccessBlock {
  expectRoot(root, 'PublicAccessBlockConfiguration');
  onlyFields(body, FIELDS);
  const [blockPublicAcls, ignorePublicAcls, blockPublicPolicy, restrictPublicBuckets] = FIELDS.map((f) =>
    boolField(body, f),
  );
  if ([blockPublicAcls, ignorePublicAcls, blockPublicPolicy, restrictPublicBuckets].every((v) => v === undefined))
    throw new S3Error('InvalidRequest', {}, 'Must specify at least one configuration.');
  return {
    blockPublicAcls: blockPublicAcls ?? false,
    ignorePublicAcls: ignorePublicAcls ?? false,
    blockPublicPolicy: blockPublicPolicy ?? false,
    restrictPublicBuckets: restrictPublicBuckets ?? false,
  };
}

export const publicAccessBlockXml = (c: PublicAccessBlock): XmlElement => ({
  BlockPublicAcls: c.blockPublicAcls,
  IgnorePublicAcls: c.ignorePublicAcls,
  BlockPublicPolicy: c.blockPublicPolicy,
  RestrictPublicBuckets: c.restrictPublicBuckets,
});
