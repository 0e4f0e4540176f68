import { describe, expect, it } from 'vitest';
import { decodeMetadataValue, encodeMetadataValue } from '../../../../server/protocol/metadata-encoding.js';

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html: non-ASCII values are
// RFC 2047 decoded on the way in and encoded on the way out.
describe('decodeMetadataValue', () => {
  it('ASCII passes through unchanged, including things that look almost encoded', () => {
    expect(decodeMetadataValue('plain value')).toBe('plain value');
    expect(decodeMetadataValue('')).toBe('');
    expect(decodeMetadataValue('=?UTF-8?X?abc?=')).toBe('=?UTF-8?X?abc?=');
    expect(decodeMetadataValue('prefix =?UTF-8?B?w6k=?=')).toBe('prefix =?UTF-8?B?w6k=?=');
  });

  it('B encoding', () => {
    expect(decodeMetadataValue('=?UTF-8?B?w6k=?=')).toBe('é');
    expect(decodeMetadataValue('=?UTF-8?B?5pel5pys6Kqe?=')).toBe('日本語');
    expect(decodeMetadataValue('=?utf-8?b?w6k=?=')).toBe('é');
  });

  it('Q encoding: =XX bytes and _ as space', () => {
    expect(decodeMetadataValue('=?UTF-8?Q?caf=C3=A9_au_lait?=')).toBe('café au lait');
    expect(decodeMetadataValue('=?UTF-8?q?caf=c3=a9?=')).toBe('café');
  });

  it('raw UTF-8 bytes (which Node hands over as latin1 text) become the UTF-8 string', () => {
    expect(decodeMetadataValue(Buffer.from('héllo 😀', 'utf8').toString('latin1'))).toBe('héllo 😀');
  });

  it('bytes that are not UTF-8 stay as they arrived', () => {
    expect(decodeMetadataValue('caf\xe9')).toBe('caf\xe9');
  });
});

describe('encodeMetadataValue', () => {
  it('ASCII is returned as is', () => {
    expect(encodeMetadataValue('hello world')).toBe('hello world');
    expect(encodeMetadataValue('')).toBe('');
  });

  it('non-ASCII becomes one =?UTF-8?B?…?= word (exact)', () => {
    expect(encodeMetadataValue('é')).toBe('=?UTF-8?B?w6k=?=');
    expect(encodeMetadataValue('日本語')).toBe('=?UTF-8?B?5pel5pys6Kqe?=');
    expect(encodeMetadataValue('café au lait')).toBe('=?UTF-8?B?Y2Fmw6kgYXUgbGFpdA==?=');
  });

  it.each(['é', 'Grüße aus Köln', '😀 emoji', '中文/键', 'mixed ascii ü'])('round trip: %s', (value) => {
    expect(decodeMetadataValue(encodeMetadataValue(value))).toBe(value);
  });
});
