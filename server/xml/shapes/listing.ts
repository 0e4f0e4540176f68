import type { ObjectSummary } from '../../../storage/storage.js';
import { isoDate } from '../../kit/bucket-access.js';
import { EscapedText, type XmlElement } from '../render.js';
import { ownerXml } from './owner.js';

const PLAIN_ETAG = /^[0-9a-f]+(-[0-9]+)?$/;

/** `"etag"` as XML; an ETag of hex digits (every one s3scribe makes) needs no scan for specials. */
export const quotedEtag = (etag: string): EscapedText | string =>
  PLAIN_ETAG.test(etag) ? new EscapedText(`&quot;${etag}&quot;`) : `"${etag}"`;

export const contentsXml = (
  o: ObjectSummary,
  encode: (s: string) => string | undefined,
  withOwner: boolean,
): XmlElement => ({
  Key: encode(o.key),
  LastModified: isoDate(o.lastModified),
  ETag: quotedEtag(o.etag),
  Size: o.size,
  Owner: withOwner ? ownerXml(o.owner) : undefined,
  StorageClass: o.storageClass,
});

export const commonPrefixesXml = (prefixes: string[], encode: (s: string) => string | undefined): XmlElement[] =>
  prefixes.map((p) => ({ Prefix: encode(p) }));
