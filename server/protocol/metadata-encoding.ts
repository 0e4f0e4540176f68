/**
 * User metadata values outside US-ASCII: S3 decodes RFC 2047 encoded-words on the way in and
 * returns non-ASCII values as `=?UTF-8?B?…?=` on the way out, since HTTP headers carry bytes,
 * not text. https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html
 */
const ENCODED_WORD = /^=\?UTF-8\?([BQ])\?([^?]*)\?=$/i;
const NON_ASCII = /[^\x00-\x7f]/;
/** What a response header cannot carry as is: non-ASCII and control characters (tab aside). */
const NOT_HEADER_SAFE = /[^\t\x20-\x7e]/;

/** Node hands header bytes over as latin1 text; most clients sent UTF-8. */
export function decodeMetadataValue(raw: string): string {
  const word = ENCODED_WORD.exec(raw);
  if (word) {
    const bytes =
      word[1]!.toUpperCase() === 'B'
        ? Buffer.from(word[2]!, 'base64')
        : Buffer.from(
            word[2]!
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          );
    return bytes.toString('utf8');
  }
  if (!NON_ASCII.test(raw)) return raw;
  const utf8 = Buffer.from(raw, 'latin1').toString('utf8');
  return utf8.includes('\uFFFD') ? raw : utf8;
}

export function encodeMetadataValue(value: string): string {
  return NOT_HEADER_SAFE.test(value) ? `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=` : value;
}
