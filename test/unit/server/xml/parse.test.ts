import { describe, expect, it } from 'vitest';
import { S3Error } from '../../../../errors/s3-error.js';
import { asArray, parseXml, textOf } from '../../../../server/xml/parse.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

async function parseError(text: string): Promise<unknown> {
  try {
    await parseXml(text);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('parseXml', () => {
  it('root name and body; a default namespace only shows as an attribute', async () => {
    const { root, body } = await parseXml(
      `<Delete xmlns="${NS}"><Object><Key>a</Key></Object><Quiet>true</Quiet></Delete>`,
    );
    expect(root).toBe('Delete');
    expect(body.Object).toEqual({ Key: 'a' });
    expect(body.Quiet).toBe('true');
  });

  it('prefixed element names lose their prefix', async () => {
    const { root, body } = await parseXml(
      `<s3:Delete xmlns:s3="${NS}"><s3:Object><s3:Key>a</s3:Key></s3:Object><s3:Object><s3:Key>b</s3:Key></s3:Object></s3:Delete>`,
    );
    expect(root).toBe('Delete');
    expect(body.Object).toEqual([{ Key: 'a' }, { Key: 'b' }]);
  });

  it('with an XML declaration; empty elements are empty strings', async () => {
    const { root, body } = await parseXml(
      `<?xml version="1.0" encoding="UTF-8"?>\n<BucketLoggingStatus xmlns="${NS}"/>`,
    );
    expect(root).toBe('BucketLoggingStatus');
    expect(body).toEqual({ $: { xmlns: NS } });
    const withEmpty = await parseXml('<Delete><Object><Key>k</Key><VersionId/></Object></Delete>');
    expect(withEmpty.body.Object).toEqual({ Key: 'k', VersionId: '' });
  });

  it('entities decode; whitespace inside keys is kept', async () => {
    const { body } = await parseXml('<Delete><Object><Key> a&amp;b&lt;c </Key></Object></Delete>');
    expect(textOf((body.Object as { Key: unknown }).Key)).toBe(' a&b<c ');
  });

  it('attributes and text: `$` and `_`', async () => {
    const { body } = await parseXml(
      '<G><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>x</ID></Grantee><T a="1">txt</T></G>',
    );
    expect(body.Grantee).toEqual({
      $: { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:type': 'CanonicalUser' },
      ID: 'x',
    });
    expect(textOf(body.T)).toBe('txt');
  });

  it.each([
    ['empty', ''],
    ['whitespace', '   '],
    ['not XML', 'garbage'],
    ['JSON', '{"Objects":[]}'],
    ['unclosed', '<Delete><Object>'],
    ['mismatched', '<a></b>'],
    ['declaration only', '<?xml version="1.0"?>'],
    ['two root elements', '<Delete/><Delete/>'],
  ])('%s → MalformedXML', async (_name, text) => {
    const err = await parseError(text);
    expect(err).toBeInstanceOf(S3Error);
    expect((err as S3Error).code).toBe('MalformedXML');
    expect((err as S3Error).status).toBe(400);
  });

  it('a body over 2 MiB → MalformedXML without parsing', async () => {
    const big = `<Delete>${'<Object><Key>k</Key></Object>'.repeat(80_000)}</Delete>`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(2 * 1024 * 1024);
    expect(((await parseError(big)) as S3Error).code).toBe('MalformedXML');
  });
});

describe('asArray', () => {
  it('undefined/null → [], a value → [value], an array as is', () => {
    expect(asArray(undefined)).toEqual([]);
    expect(asArray(null as unknown as undefined)).toEqual([]);
    expect(asArray('a')).toEqual(['a']);
    expect(asArray({ Key: 'a' })).toEqual([{ Key: 'a' }]);
    const arr = ['a', 'b'];
    expect(asArray(arr)).toBe(arr);
  });
});

describe('textOf', () => {
  it('strings, text with attributes, empty elements, absent values', () => {
    expect(textOf('x')).toBe('x');
    expect(textOf('')).toBe('');
    expect(textOf({ _: 'x', $: { a: '1' } })).toBe('x');
    expect(textOf({ $: { a: '1' } })).toBe('');
    expect(textOf({ Nested: 'y' })).toBe('');
    expect(textOf(undefined)).toBeUndefined();
    expect(textOf(null)).toBeUndefined();
    expect(textOf(5)).toBe('5');
  });
});
