// The Tagging document of PutBucketTagging / GetBucketTagging:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketTagging.html
import { S3Error } from '../../../errors/s3-error.js';
import type { ParsedXml } from '../parse.js';
import type { XmlElement } from '../render.js';
import { expectRoot, fieldsOf, many, one, onlyFields, requiredText } from './elements.js';

export interface Tag {
  key: string;
  value: string;
}

/** S3 allows 50 tags on a bucket (https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html). */
export const MAX_BUCKET_TAGS = 50;

// Letters, digits, white space and `+ - = . _ : / @`, counted in UTF-16 code units as S3 counts them
// (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html: "Tag naming limits").
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const invalidKey = (key: string): S3Error =>
  new S3Error('InvalidTag', { TagKey: key }, 'The TagKey you have provided is invalid');

/** Checks one tag as S3 does for bucket and object tags; throws InvalidTag. */
export function checkTag(tag: Tag): void {
  if (tag.key.length < 1 || tag.key.length > 128 || !TAG_TEXT.test(tag.key)) throw invalidKey(tag.key);
  if (tag.value.length > 256 || !TAG_TEXT.test(tag.value))
    throw new S3Error(
      'InvalidTag',
      { TagKey: tag.key, TagValue: tag.value },
      'The TagValue you have provided is invalid',
    );
  // The aws: prefix is reserved for tags AWS itself sets, whatever its case.
  if (tag.key.toLowerCase().startsWith('aws:'))
    throw new S3Error('InvalidTag', { TagKey: tag.key }, 'System tags cannot be added/updated by requester');
}

/** Parses `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>` and validates every tag. */
export function tagSetFrom(root: string, body: ParsedXml, max = MAX_BUCKET_TAGS): Tag[] {
  expectRoot(root, 'Tagging');
  onlyFields(body, ['TagSet']);
  const set = one(body, 'TagSet');
  if (set === undefined) throw new S3Error('MalformedXML');
  const fields = fieldsOf(set);
  onlyFields(fields, ['Tag']);
  const tags = many(fields, 'Tag').map((t): Tag => {
    const tag = fieldsOf(t);
    onlyFields(tag, ['Key', 'Value']);
    return { key: requiredText(tag, 'Key'), value: requiredText(tag, 'Value') };
  });
  const seen = new Set<string>();
  for (const tag of tags) {
    checkTag(tag);
    if (seen.has(tag.key))
      throw new S3Error('InvalidTag', { TagKey: tag.key }, 'Cannot provide multiple Tags with the same key');
    seen.add(tag.key);
  }
  // The limit is documented; S3's wording for a 51st bucket tag is not (this follows the object-tag one).
  if (tags.length > max) throw new S3Error('InvalidTag', {}, `Bucket tag count cannot be greater than ${max}`);
  return tags;
}

export const tagSetXml = (tags: readonly Tag[]): XmlElement => ({
  TagSet: tags.length ? { Tag: tags.map((t) => ({ Key: t.key, Value: t.value })) } : {},
});
