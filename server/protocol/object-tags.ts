import { S3Error } from '../../errors/s3-error.js';
import { asArray, textOf } from '../xml/parse.js';

/** An object's tags, as stored: key → value. */
export type TagSet = Record<string, string>;

/**
 * S3's object tag limits: 10 tags, keys of 1–128 and values of up to 256 Unicode characters, no
 * key twice (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html).
 */
function checked(pairs: [string, string][]): TagSet {
  if (pairs.length > 10) throw new S3Error('BadRequest', {}, 'Object tags cannot be greater than 10');
  const tags: TagSet = {};
  for (const [key, value] of pairs) {
    if (key.length === 0 || [...key].length > 128)
      throw new S3Error('InvalidTag', {}, 'The TagKey you have provided is invalid');
    if ([...value].length > 256) throw new S3Error('InvalidTag', {}, 'The TagValue you have provided is invalid');
    if (Object.hasOwn(tags, key)) throw new S3Error('InvalidTag', {}, 'Cannot provide multiple Tags with the same key');
    tags[key] = value;
  }
  return tags;
}

/** `x-amz-tagging: k1=v1&k2=v2` (URL query encoding), on PUT, copy and CreateMultipartUpload. */
export function tagsFromHeader(value: string | undefined): TagSet | undefined {
  if (value === undefined) return undefined;
  return checked([...new URLSearchParams(value)]);
}

/** `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>` of PutObjectTagging. */
export function tagsFromXml(root: string, body: Record<string, unknown>): TagSet {
  if (root !== 'Tagging') throw new S3Error('MalformedXML');
  const set = body.TagSet as Record<string, unknown> | undefined;
  if (set === undefined) throw new S3Error('MalformedXML');
  const pairs = asArray((set as { Tag?: unknown }).Tag as unknown[]).map((t): [string, string] => {
    const tag = t as Record<string, unknown>;
    const key = textOf(tag.Key);
    if (key === undefined) throw new S3Error('MalformedXML');
    return [key, textOf(tag.Value) ?? ''];
  });
  return checked(pairs);
}

export const tagSetXml = (tags: TagSet | undefined) => ({
  TagSet: { Tag: Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value })) },
});

/** `x-amz-tagging-count` of GET and HEAD, only for tagged objects. */
export const tagCountHeader = (tags: TagSet | undefined): Record<string, number> => {
  const n = Object.keys(tags ?? {}).length;
  return n > 0 ? { 'x-amz-tagging-count': n } : {};
};
