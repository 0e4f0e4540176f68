import { S3Error } from '../../errors/s3-error.js';

export interface ParsedXml {
  [name: string]: unknown;
}

const MAX_XML_BYTES = 2 * 1024 * 1024;

const stripPrefix = (name: string): string => name.replace(/^[^:]*:/, '');

/**
 * Parses a request body. Elements are objects, text is a string, repeated elements are arrays
 * (use `asArray`). Any failure is S3's MalformedXML, never a parser message.
 */
export async function parseXml(text: string): Promise<{ root: string; body: ParsedXml }> {
  if (Buffer.byteLength(text) > MAX_XML_BYTES) throw new S3Error('MalformedXML');
  // Loaded on first use: most requests carry no XML, and the import costs start-up time.
  const { Parser } = await import('xml2js');
  const parser = new Parser({
    explicitArray: false,
    explicitRoot: true,
    tagNameProcessors: [stripPrefix],
    attrkey: '$',
    charkey: '_',
    emptyTag: () => '',
  });
  // xml2js keeps the first of several root elements and drops the rest; a document has one.
  const sax = (
    parser as unknown as { saxParser: { onopentag: (n: unknown) => void; onclosetag: (n: unknown) => void } }
  ).saxParser;
  let depth = 0;
  let roots = 0;
  const open = sax.onopentag;
  const close = sax.onclosetag;
  sax.onopentag = function (this: unknown, node) {
    if (depth++ === 0) roots++;
    return open.call(this, node);
  };
  sax.onclosetag = function (this: unknown, node) {
    depth--;
    return close.call(this, node);
  };
  let doc: Record<string, unknown> | null;
  try {
    doc = await parser.parseStringPromise(text);
  } catch {
    throw new S3Error('MalformedXML');
  }
  if (!doc || typeof doc !== 'object' || roots !== 1) throw new S3Error('MalformedXML');
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
