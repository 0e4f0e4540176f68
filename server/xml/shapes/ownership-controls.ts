// The OwnershipControls document: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketOwnershipControls.html
import { S3Error } from '../../../errors/s3-error.js';
import type { BucketConfig } from '../../../storage/storage.js';
import type { ParsedXml } from '../parse.js';
import type { XmlElement } from '../render.js';
import { enumField, expectRoot, fieldsOf, many, onlyFields } from './elements.js';

export type ObjectOwnership = NonNullable<BucketConfig['ownershipControls']>;
export const OBJECT_OWNERSHIPS = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const;

/** Exactly one Rule with a known ObjectOwnership, else MalformedXML. */
export function objectOwnershipFrom(root: string, body: ParsedXml): ObjectOwnership {
  expectRoot(root, 'OwnershipControls');
  onlyFields(body, ['Rule']);
  const rules = many(body, 'Rule');
  if (rules.length !== 1) throw new S3Error('MalformedXML');
  const rule = fieldsOf(rules[0]);
  onlyFields(rule, ['ObjectOwnership']);
  const ownership = enumField(rule, 'ObjectOwnership', OBJECT_OWNERSHIPS);
  if (ownership === undefined) throw new S3Error('MalformedXML');
  return ownership;
}

export const ownershipControlsXml = (o: ObjectOwnership): XmlElement => ({ Rule: { ObjectOwnership: o } });
