import { describe, expect, it } from 'vitest';
import {
  actualRequestCorsHeaders,
  type CorsRule,
  corsResponseHeaders,
  headerList,
  matchCorsRule,
  wildcardMatch,
} from '../../../../server/protocol/cors.js';

const rule = (r: Partial<CorsRule>): CorsRule => ({
  allowedMethods: ['GET'],
  allowedOrigins: ['*'],
  allowedHeaders: [],
  exposeHeaders: [],
  ...r,
});

describe('wildcardMatch', () => {
  it('without a wildcard, the whole value must be equal', () => {
    expect(wildcardMatch('https://a.example', 'https://a.example')).toBe(true);
    expect(wildcardMatch('https://a.example', 'https://a.example/')).toBe(false);
    expect(wildcardMatch('https://a.example', 'http://a.example')).toBe(false);
  });

  it('`*` stands for any run of characters, none included, anchored at both ends', () => {
    expect(wildcardMatch('start*end', 'startend')).toBe(true);
    expect(wildcardMatch('start*end', 'start12end')).toBe(true);
    expect(wildcardMatch('start*end', '0start12end')).toBe(false);
    expect(wildcardMatch('*suffix', 'foo.suffix')).toBe(true);
    expect(wildcardMatch('*suffix', 'foo.suffix.get')).toBe(false);
    expect(wildcardMatch('prefix*', 'prefix')).toBe(true);
    expect(wildcardMatch('prefix*', 'bla.prefix')).toBe(false);
    expect(wildcardMatch('ab*ba', 'aba')).toBe(false);
    expect(wildcardMatch('*', '')).toBe(true);
  });
});

describe('headerList', () => {
  it('splits on commas, trims, lower-cases and drops empty items', () => {
    expect(headerList('Content-Type, X-Amz-Date,,x-amz-meta-a ')).toEqual([
      'content-type',
      'x-amz-date',
      'x-amz-meta-a',
    ]);
    expect(headerList(undefined)).toEqual([]);
    expect(headerList(['a', 'B'])).toEqual(['a', 'b']);
  });
});

describe('matchCorsRule', () => {
  const rules = [
    rule({
      allowedOrigins: ['https://a.example'],
      allowedMethods: ['PUT'],
      allowedHeaders: ['x-amz-*', 'Content-Type'],
    }),
    rule({ allowedOrigins: ['*'], allowedMethods: ['GET', 'HEAD'] }),
  ];

  it('takes the first rule whose origin, method and headers all match', () => {
    expect(
      matchCorsRule(rules, { origin: 'https://a.example', method: 'PUT', headers: ['x-amz-date', 'content-type'] }),
    ).toBe(rules[0]);
    expect(matchCorsRule(rules, { origin: 'https://a.example', method: 'GET', headers: [] })).toBe(rules[1]);
  });

  it('a requested header no AllowedHeader covers, or any header for a rule without them, matches nothing', () => {
    expect(
      matchCorsRule(rules, { origin: 'https://a.example', method: 'PUT', headers: ['authorization'] }),
    ).toBeUndefined();
    expect(matchCorsRule(rules, { origin: 'https://b.example', method: 'GET', headers: ['x-a'] })).toBeUndefined();
  });
});

describe('corsResponseHeaders / actualRequestCorsHeaders', () => {
  it('echoes a specific origin with credentials; answers `*` without them for an any-origin rule', () => {
    const specific = rule({ allowedOrigins: ['https://a.example'], exposeHeaders: ['ETag'], maxAgeSeconds: 0 });
    expect(corsResponseHeaders(specific, { origin: 'https://a.example', method: 'GET', headers: ['x-a'] })).toEqual({
      'Access-Control-Allow-Origin': 'https://a.example',
      'Access-Control-Allow-Methods': 'GET',
      'Access-Control-Allow-Headers': 'x-a',
      'Access-Control-Expose-Headers': 'ETag',
      'Access-Control-Max-Age': '0',
      'Access-Control-Allow-Credentials': 'true',
      Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
    expect(corsResponseHeaders(rule({}), { origin: 'https://z.example', method: 'GET', headers: [] })).toEqual({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'GET',
      Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
  });

  it('an actual request is matched with its Access-Control-Request-Method when it sends one', () => {
    const rules = [rule({ allowedMethods: ['GET'] })];
    expect(actualRequestCorsHeaders(rules, { origin: 'https://a' }, 'GET')).toBeDefined();
    expect(actualRequestCorsHeaders(rules, { origin: 'https://a' }, 'PUT')).toBeUndefined();
    expect(
      actualRequestCorsHeaders(rules, { origin: 'https://a', 'access-control-request-method': 'GET' }, 'PUT'),
    ).toBeDefined();
    expect(actualRequestCorsHeaders(rules, {}, 'GET')).toBeUndefined();
    expect(actualRequestCorsHeaders(undefined, { origin: 'https://a' }, 'GET')).toBeUndefined();
  });
});
