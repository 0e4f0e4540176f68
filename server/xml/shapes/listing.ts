import type { ObjectSummary } from '../../../storage/storage.js';
import { isoDate } from '../../kit/bucket-access.js';
import { EscapedText, escapeText, type XmlElement } from '../render.js';

const PLAIN_ETAG = /^[0-9a-f]+(-[0-9]+)?$/;

/** `"etag"` as XML text; an ETag of hex digits (every one s3scribe makes) needs no scan for specials. */
const etagXml = (etag: string): string => (PLAIN_ETAG.test(etag) ? `&quot;${etag}&quot;` : escapeText(`"${etag}"`));

/**
 * One Contents element's children, as XML text in one piece: a page renders up to 1,000 of them,
 * and an element tree per row (objects to build, walk and collect) cost more than the text itself.
 */
export const contentsXml = (
  o: ObjectSummary,
  encode: (s: string) => string | undefined,
  withOwner: boolean,
): EscapedText => {
  const key = encode(o.key);
  return new EscapedText(
    `${key === undefined ? '' : `<Key>${escapeText(key)}</Key>`}<LastModified>${isoDate(o.lastModified)}</LastModified>` +
      `<ETag>${etagXml(o.etag)}</ETag><Size>${o.size}</Size>` +
      `${withOwner ? `<Owner><ID>${escapeText(o.owner.id)}</ID></Owner>` : ''}<StorageClass>${escapeText(o.storageClass)}</StorageClass>`,
  );
};

export const commonPrefixesXml = (prefixes: string[], encode: (s: string) => string | undefined): XmlElement[] =>
  prefixes.map((p) => ({ Prefix: encode(p) }));
