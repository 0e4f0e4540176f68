/**
 * Percent-encodes a key as S3 does for `encoding-type=url` listings and the access log's Key
 * field: RFC 3986 unreserved characters and `/` stay, every other UTF-8 byte becomes `%XX`.
 * A lone surrogate (possible in an XML body) is written as U+FFFD, as Buffer.from() would,
 * because encodeURIComponent throws on it and logging a served request must never throw.
 */
const SAFE = /^[A-Za-z0-9\-._~/]*$/;

export function uriEncode(s: string): string {
  // Most keys need no encoding at all: one regex test instead of three passes.
  if (SAFE.test(s)) return s;
  return encodeURIComponent(s.isWellFormed() ? s : s.toWellFormed())
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%2F', '/');
}
