import { Parser } from 'xml2js';
import { S3Error } from '../errors/s3-error.js';

export interface ParsedXml { [name: string]: unknown }

const MAX_XML_BYTES = 2 * 1024 * 1024;

const stripPrefix = (name: string): string => name.replace(/^[^:]*:/, '');

/**
 * Parses a request body. Elements are objects, text is a string, repeated elements are arrays
 * (use `asArray`). Any failure is S3's MalformedXML, never a parser message.
 */
export async function parseXml(text: string): Promise<{ root: string; body: ParsedXml }> {
  if (Buffer.byteLength(text) > MAX_XML_BYTES) throw new S3Error('MalformedXML');
  const parser = new Parser({
    explicitArray: false,
    explicitRoot: true,
    tagNameProcessors: [stripPrefix],
    attrkey: '$',
    charkey: '_',
    emptyTag: () => '',
  });
  let doc: Record<string, unknown> | null;
  try {
    doc = await parser.parseStringPromise(text);
  } catch {
    throw new S3Error('MalformedXML');
  }
  if (!doc || typeof doc !== 'object') throw new S3Error('MalformedXML');
  const [root] = Object.keys(doc);
  const body = doc[root!];
  return { root: root!, body: body && typeof body === 'object' ? (body as ParsedXml) : {} };
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Text content of a parsed element that may carry attributes. */
export function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && '_' in (value as object)) return String((value as { _: unknown })._);
  if (typeof value === 'object') return '';
  return String(value);
}
