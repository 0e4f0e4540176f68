import { uriEncode } from '../common/uri-encode.js';

/**
 * URL-encoding of the Key field (field 8) of an access log record.
 *
 * AWS's exact safe set is unknown (reference §2.4 "?"); we leave RFC 3986 unreserved characters
 * and `/` as they are (real keys such as `fork-0004/test/x.dat` show `/` raw [REAL21]) and write
 * every other UTF-8 byte as uppercase `%XX`. A space therefore never reaches the record, which
 * would otherwise shift every later field (§9.2).
 */

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
  const once = uriEncode(key);
  if (once === key || !isDoubleEncoded(operation)) return once;
  // The first pass leaves only safe characters and `%XX`, so the second pass can only ever
  // touch `%`: encoding it again is exactly `%` → `%25`.
  return once.replaceAll('%', '%25');
}
