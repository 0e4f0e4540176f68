import { describe, expect, it } from 'vitest';
import { encodeIf, parseEncodingType, parseMaxKeys } from '../../../../server/protocol/listing-params.js';
import { thrownS3Error } from '../../../helpers/thrown-s3-error.js';

const argumentError = thrownS3Error;

describe('parseMaxKeys', () => {
  it('absent or empty → 1000', () => {
    expect(parseMaxKeys(null)).toBe(1000);
    expect(parseMaxKeys('')).toBe(1000);
  });

  it('an integer up to 1000 is itself; more is capped at 1000', () => {
    expect(parseMaxKeys('0')).toBe(0);
    expect(parseMaxKeys('1')).toBe(1);
    expect(parseMaxKeys('999')).toBe(999);
    expect(parseMaxKeys('1000')).toBe(1000);
    expect(parseMaxKeys('1001')).toBe(1000);
    expect(parseMaxKeys('2147483647')).toBe(1000);
  });

  it.each(['abc', '1.5', '10k', ' 5', '0x10', '+5'])(
    'not an integer (%s) → InvalidArgument naming the parameter',
    (value) => {
      const err = argumentError(() => parseMaxKeys(value));
      expect(err.code).toBe('InvalidArgument');
      expect(err.status).toBe(400);
      expect(err.message).toBe('Provided max-keys not an integer or within integer range');
      expect(err.details).toEqual({ ArgumentName: 'max-keys', ArgumentValue: value });
    },
  );

  it('negative → InvalidArgument', () => {
    expect(argumentError(() => parseMaxKeys('-1')).code).toBe('InvalidArgument');
  });

  // Real S3 parses max-keys as an int32: 2147483648 and beyond are "not an integer or within
  // integer range" (400 InvalidArgument), not 1000.
  it('outside int32 (2147483648 and beyond) → InvalidArgument', () => {
    for (const value of ['2147483648', '99999999999', '9007199254740993']) {
      expect(argumentError(() => parseMaxKeys(value)).code, value).toBe('InvalidArgument');
    }
  });

  it('names the parameter it parses (max-uploads, max-parts)', () => {
    expect(argumentError(() => parseMaxKeys('x', 'max-uploads')).details).toMatchObject({
      ArgumentName: 'max-uploads',
    });
    expect(parseMaxKeys('5000', 'max-parts')).toBe(1000);
  });
});

describe('parseEncodingType', () => {
  it('absent → undefined; url (any case) → url', () => {
    expect(parseEncodingType(null)).toBeUndefined();
    expect(parseEncodingType('url')).toBe('url');
    expect(parseEncodingType('URL')).toBe('url');
  });

  it.each(['', 'base64', 'urls'])('%j → InvalidArgument', (value) => {
    const err = argumentError(() => parseEncodingType(value));
    expect(err.code).toBe('InvalidArgument');
    expect(err.message).toBe('Invalid Encoding Method specified in Request');
    expect(err.details).toEqual({ ArgumentName: 'encoding-type', ArgumentValue: value });
  });
});

describe('encodeIf', () => {
  it('without encoding-type: values unchanged', () => {
    expect(encodeIf(undefined)('a b+c')).toBe('a b+c');
    expect(encodeIf('url')(undefined)).toBeUndefined();
  });

  it('url: RFC 3986 percent-encoding, / kept', () => {
    const enc = encodeIf('url');
    expect(enc('quux ab/')).toBe('quux%20ab/');
    expect(enc('a+b=c&d')).toBe('a%2Bb%3Dc%26d');
    expect(enc("it's (a)*!")).toBe('it%27s%20%28a%29%2A%21');
    expect(enc('café/😀')).toBe('caf%C3%A9/%F0%9F%98%80');
    expect(enc('safe-_.~')).toBe('safe-_.~');
    expect(enc('\x01')).toBe('%01');
  });
});
