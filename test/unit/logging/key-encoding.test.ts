import { describe, expect, it } from 'vitest';
import { uriEncode as percentEncodeOnce } from '../../../common/uri-encode.js';
import { encodeLogKey } from '../../../logging/key-encoding.js';

describe('encodeLogKey', () => {
  it('encodes a space twice for REST and WEBSITE, once for BATCH and S3 lifecycle rows', () => {
    expect(encodeLogKey('a b', 'REST.GET.OBJECT')).toBe('a%2520b');
    expect(encodeLogKey('a b', 'WEBSITE.GET.OBJECT')).toBe('a%2520b');
    expect(encodeLogKey('a b', 'BATCH.DELETE.OBJECT')).toBe('a%20b');
    expect(encodeLogKey('a b', 'S3.EXPIRE.OBJECT')).toBe('a%20b');
  });

  it('logs a double quote as %2522 for REST (reference §2.4)', () => {
    expect(encodeLogKey('"', 'REST.PUT.OBJECT')).toBe('%2522');
  });

  it('encodes unicode over its UTF-8 bytes, uppercase hex', () => {
    expect(encodeLogKey('é', 'REST.GET.OBJECT')).toBe('%25C3%25A9');
    expect(encodeLogKey('é', 'BATCH.DELETE.OBJECT')).toBe('%C3%A9');
    expect(percentEncodeOnce('€')).toBe('%E2%82%AC');
    expect(percentEncodeOnce('😀')).toBe('%F0%9F%98%80');
    expect(percentEncodeOnce('\u{10FFFF}')).toBe(encodeURIComponent('\u{10FFFF}'));
  });

  it('leaves unreserved characters and / unchanged', () => {
    const safe = 'AZaz09-._~/dir/sub/';
    expect(encodeLogKey(safe, 'REST.GET.OBJECT')).toBe(safe);
    expect(encodeLogKey('fork-0004/test/x.dat', 'BATCH.DELETE.OBJECT')).toBe('fork-0004/test/x.dat');
  });

  it('encodes every reserved and control character, never emitting a raw space', () => {
    const all = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)).join('');
    const once = percentEncodeOnce(all);
    expect(once).toMatch(/^(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})+$/);
    expect(decodeURIComponent(once)).toBe(all);
    expect(encodeLogKey('%+ &=?#', 'REST.GET.OBJECT')).toBe('%2525%252B%2520%2526%253D%253F%2523');
  });

  it('matches encodeURIComponent except for the characters it keeps', () => {
    const key = "photos/2019 août/l'été (1)!*.jpg";
    const reference = encodeURIComponent(key)
      .replace(/%2F/g, '/')
      .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
    expect(percentEncodeOnce(key)).toBe(reference);
  });

  it('writes a lone surrogate as U+FFFD instead of throwing', () => {
    expect(percentEncodeOnce('a\uD800b')).toBe('a%EF%BF%BDb');
    expect(percentEncodeOnce('\uDC00')).toBe('%EF%BF%BD');
  });

  it('returns an empty key unchanged (the formatter writes -)', () => {
    expect(encodeLogKey('', 'REST.GET.OBJECT')).toBe('');
  });
});
