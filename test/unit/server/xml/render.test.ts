import { describe, expect, it } from 'vitest';
import { renderXml, renderXmlBytes, S3_XMLNS } from '../../../../server/xml/render.js';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

describe('renderXml', () => {
  it('declaration, S3 namespace on the root, no pretty-printing', () => {
    expect(S3_XMLNS).toBe('http://s3.amazonaws.com/doc/2006-03-01/');
    expect(renderXml('LocationConstraint', { _: 'eu-west-1' })).toBe(
      `${DECL}<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>`,
    );
  });

  it('nested elements in insertion order, numbers and booleans as text', () => {
    expect(renderXml('ListBucketResult', { Name: 'bkt', Prefix: 'a/', MaxKeys: 1000, IsTruncated: false })).toBe(
      `${DECL}<ListBucketResult xmlns="${S3_XMLNS}"><Name>bkt</Name><Prefix>a/</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`,
    );
  });

  it('undefined children are omitted, at any depth and inside arrays', () => {
    expect(renderXml('R', { A: 'x', B: undefined, C: { D: undefined, E: 'y' }, F: ['1', undefined, '2'] })).toBe(
      `${DECL}<R xmlns="${S3_XMLNS}"><A>x</A><C><E>y</E></C><F>1</F><F>2</F></R>`,
    );
  });

  it('arrays repeat the element; an empty array renders nothing', () => {
    const body = {
      Contents: [
        { Key: 'a', Size: 1 },
        { Key: 'b', Size: 2 },
      ],
      CommonPrefixes: [],
    };
    expect(renderXml('ListBucketResult', body)).toBe(
      `${DECL}<ListBucketResult xmlns="${S3_XMLNS}"><Contents><Key>a</Key><Size>1</Size></Contents><Contents><Key>b</Key><Size>2</Size></Contents></ListBucketResult>`,
    );
  });

  it('`_` is text and `$` attributes (xsi:type grantees)', () => {
    const grantee = {
      $: { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:type': 'Group' },
      URI: 'http://acs.amazonaws.com/groups/global/AllUsers',
    };
    expect(renderXml('Grant', { Grantee: grantee, Permission: 'READ' }, false)).toBe(
      `${DECL}<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>`,
    );
    expect(renderXml('T', { V: { _: 'text', $: { a: '1' } } }, false)).toBe(`${DECL}<T><V a="1">text</V></T>`);
  });

  it('escapes markup in text', () => {
    expect(renderXml('R', { Key: 'a&b<c>d' }, false)).toBe(`${DECL}<R><Key>a&amp;b&lt;c&gt;d</Key></R>`);
  });

  it('keeps non-ASCII text as UTF-8 characters', () => {
    expect(renderXml('R', { Key: 'café/😀' }, false)).toBe(`${DECL}<R><Key>café/😀</Key></R>`);
  });

  it('namespace = false leaves the root bare', () => {
    expect(renderXml('Error', { Code: 'NoSuchKey' }, false)).toBe(`${DECL}<Error><Code>NoSuchKey</Code></Error>`);
  });
});

describe('renderXmlBytes', () => {
  it('is the UTF-8 of renderXml, for a body encoded in many chunks with multi-byte text across their edges', () => {
    const body = {
      Contents: Array.from({ length: 3000 }, (_, i) => ({
        Key: `ключ/${'é'.repeat(i % 7)}${i}/🪣&<>"`,
        Size: i,
        Empty: {},
        Nothing: undefined,
      })),
      Tail: [],
    };
    const text = renderXml('ListBucketResult', body);
    const bytes = renderXmlBytes('ListBucketResult', body);
    expect(text.length).toBeGreaterThan(100_000);
    expect(bytes.equals(Buffer.from(text))).toBe(true);
    expect(text).toContain('<Key>ключ/é1/🪣&amp;&lt;&gt;&quot;</Key><Size>1</Size><Empty/></Contents>');
    expect(text.endsWith('</Contents></ListBucketResult>')).toBe(true);
  });

  it('a small document is one piece', () => {
    expect(renderXmlBytes('A', { B: 'x' }, false).toString()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><A><B>x</B></A>',
    );
  });
});
