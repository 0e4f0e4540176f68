/**
 * URL-encoding of the Key field (field 8) of an access log record.
 *
 * AWS's exact safe set is unknown (reference §2.4 "?"); we leave RFC 3986 unreserved characters
 * and `/` as they are (real keys such as `fork-0004/test/x.dat` show `/` raw [REAL21]) and write
 * every other UTF-8 byte as uppercase `%XX`. A space therefore never reaches the record, which
 * would otherwise shift every later field (§9.2).
 */

/** `%XX` for every byte value, built once: the encoder runs on every logged request. */
const PERCENT: readonly string[] = Array.from(
  { length: 256 },
  (_, byte) => '%' + byte.toString(16).toUpperCase().padStart(2, '0'),
);

/** ASCII code units that stay as they are: A-Z a-z 0-9 - . _ ~ and /. */
const SAFE = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  SAFE[c] = /[A-Za-z0-9\-._~/]/.test(ch) ? 1 : 0;
}

/** Index of the first character that needs encoding, or -1 when the key is all safe ASCII. */
function firstUnsafe(key: string): number {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 128 || SAFE[c] === 0) return i;
  }
  return -1;
}

/** One pass of percent-encoding over the UTF-8 bytes of `key`. */
export function percentEncodeOnce(key: string): string {
  const start = firstUnsafe(key);
  if (start < 0) return key;
  let out = key.slice(0, start);
  for (let i = start; i < key.length; i++) {
    let c = key.charCodeAt(i);
    if (c < 128) {
      out += SAFE[c] === 1 ? key[i] : PERCENT[c];
    } else if (c < 0x800) {
      out += PERCENT[0xc0 | (c >> 6)] + PERCENT[0x80 | (c & 0x3f)];
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < key.length && isLowSurrogate(key.charCodeAt(i + 1))) {
      c = 0x10000 + ((c - 0xd800) << 10) + (key.charCodeAt(++i) - 0xdc00);
      out +=
        PERCENT[0xf0 | (c >> 18)] +
        PERCENT[0x80 | ((c >> 12) & 0x3f)] +
        PERCENT[0x80 | ((c >> 6) & 0x3f)] +
        PERCENT[0x80 | (c & 0x3f)];
    } else {
      // A lone surrogate has no UTF-8 form; write U+FFFD as Buffer.from() would, because
      // logging must never throw (encodeURIComponent does) for a request already served.
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      out += PERCENT[0xe0 | (c >> 12)] + PERCENT[0x80 | ((c >> 6) & 0x3f)] + PERCENT[0x80 | (c & 0x3f)];
    }
  }
  return out;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * REST.* and WEBSITE.* rows carry the key encoded twice: a key `"` logs as `%2522`, a space as
 * `%2520` ([YELP][S3LP1], §2.4). BATCH.DELETE.OBJECT and S3.* lifecycle rows encode it once.
 * Anything else (SOAP.*, unknown) gets one pass: still free of raw spaces.
 */
function isDoubleEncoded(operation: string): boolean {
  return operation.startsWith('REST.') || operation.startsWith('WEBSITE.');
}

/**
 * The Key field as AWS writes it for `operation`. Returns `''` for an empty key; the formatter
 * turns that into `-`.
 */
export function encodeLogKey(key: string, operation: string): string {
  const once = percentEncodeOnce(key);
  if (once === key || !isDoubleEncoded(operation)) return once;
  // The first pass leaves only safe characters and `%XX`, so the second pass can only ever
  // touch `%`: encoding it again is exactly `%` → `%25`.
  return once.replaceAll('%', '%25');
}
