import type { ObjectSummary } from '../../../storage/storage.js';
import { isoDate } from '../../kit/bucket-access.js';
import type { XmlElement } from '../render.js';
import { ownerXml } from './owner.js';

export const contentsXml = (
  o: ObjectSummary,
  encode: (s: string) => string | undefined,
  withOwner: boolean,
): XmlElement => ({
  Key: encode(o.key),
  LastModified: isoDate(o.lastModified),
  ETag: `"${o.etag}"`,
  Size: o.size,
  Owner: withOwner ? ownerXml(o.owner) : undefined,
  StorageClass: o.storageClass,
});

export const commonPrefixesXml = (prefixes: string[], encode: (s: string) => string | undefined): XmlElement[] =>
  prefixes.map((p) => ({ Prefix: encode(p) }));
