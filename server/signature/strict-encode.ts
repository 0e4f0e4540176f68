/**
 * RFC 3986 percent-encoding as SigV4 canonicalizes: every byte but `A-Za-z0-9-._~` encoded, hex
 * upper case. encodeURIComponent leaves `!'()*` as they are, so those are added.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request
 */
export const strictEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A query-string component as sent: `+` is a space (form encoding, as Go clients send it). */
export function decodeQueryComponent(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** The raw query string's parameters in order, decoded, `name` alone giving `''`. */
export function rawQueryPairs(rawQuery: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([decodeQueryComponent(name), decodeQueryComponent(value)]);
  }
  return pairs;
}

/**
 * A header's values as signed: every occurrence (from rawHeaders, which keep repeats apart),
 * trimmed, inner runs of spaces collapsed, joined with `,`.
 */
export function signedHeaderValue(rawHeaders: readonly string[], lowerName: string): string | undefined {
  let joined: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== lowerName) continue;
    const value = rawHeaders[i + 1]!.trim().replace(/\s+/g, ' ');
    joined = joined === undefined ? value : `${joined},${value}`;
  }
  return joined;
}

/** `41 57 53 34 …`: how S3 spells a string's bytes in a SignatureDoesNotMatch body. */
export const spacedHex = (text: string): string =>
  Array.from(Buffer.from(text, 'utf8'), (b) => b.toString(16).padStart(2, '0')).join(' ');
