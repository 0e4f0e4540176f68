export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An XML element tree: values are text, nested elements, or arrays of repeated elements. */
export type XmlNode = string | number | boolean | EscapedText | XmlElement | XmlNode[] | undefined;
/** Child elements by name, in order; `$` holds attributes and `_` text, as in xml2js; `#…` see element(). */
export interface XmlElement {
  [name: string]: XmlNode;
}

/**
 * Text already in XML form, written as it is. For values every row of a listing carries that always
 * need the same escaping (an ETag's quotes): escaping them again per row was about 5 % of a page.
 */
export class EscapedText {
  constructor(readonly xml: string) {}
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const SPECIAL = /[&<>"\r\x00-\x08\x0b\x0c\x0e-\x1f]/;
const SPECIAL_ALL = /[&<>"\r\x00-\x08\x0b\x0c\x0e-\x1f]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

// Control characters have no XML 1.0 spelling; S3 emits them as character references, which is why
// clients ask for encoding-type=url when keys may hold them.
export const escapeText = (text: string): string =>
  SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ENTITIES[c] ?? `&#${c.charCodeAt(0)};`) : text;

/**
 * Where rendered XML goes. Chunked, the text is encoded to UTF-8 every CHUNK characters: a
 * 1,000-key listing built as one string was a rope of thousands of pieces that V8 flattened into a
 * fresh large-object page and then encoded, over a millisecond a page (bench/RESULTS.md); 16 K
 * pieces flatten and encode in cache, about five times faster in all.
 */
class Out {
  text = '';
  readonly buffers: Buffer[] = [];
  constructor(private readonly chunked: boolean) {}

  add(piece: string): void {
    this.text += piece;
    if (this.chunked && this.text.length > CHUNK) {
      this.buffers.push(Buffer.from(this.text));
      this.text = '';
    }
  }
}

const CHUNK = 16 * 1024;

/** Whether a node renders anything (an empty element renders as `<Name/>`). */
const renders = (node: XmlNode): boolean => node !== undefined && (!Array.isArray(node) || node.some(renders));

function element(out: Out, name: string, node: XmlNode): void {
  if (node === undefined) return;
  if (Array.isArray(node)) {
    for (const item of node) element(out, name, item);
    return;
  }
  if (typeof node !== 'object' || node instanceof EscapedText) {
    const text = typeof node === 'string' ? escapeText(node) : node instanceof EscapedText ? node.xml : node;
    out.add(`<${name}>${text}</${name}>`);
    return;
  }
  let open = `<${name}`;
  const attrs = node.$ as Record<string, string> | undefined;
  if (attrs) for (const k in attrs) open += ` ${k}="${escapeText(String(attrs[k]))}"`;
  const text = node._ !== undefined ? escapeText(String(node._)) : '';
  let empty = text === '';
  for (const child in node) if (empty && child !== '$' && child !== '_' && renders(node[child])) empty = false;
  if (empty) {
    out.add(`${open}/>`);
    return;
  }
  out.add(`${open}>${text}`);
  for (const child in node) {
    if (child === '$' || child === '_') continue;
    // `#…`: a list of single-element objects rendered in order without a wrapper, for elements of
    // different names that interleave (ListObjectVersions' Version and DeleteMarker).
    if (child.startsWith('#')) {
      for (const item of node[child] as XmlElement[]) for (const n in item) element(out, n, item[n]);
    } else element(out, child, node[child]);
  }
  out.add(`</${name}>`);
}

function render(out: Out, root: string, body: XmlElement, namespace: boolean): void {
  out.add(DECLARATION);
  element(out, root, namespace ? { ...body, $: { xmlns: S3_XMLNS, ...(body.$ as object | undefined) } } : body);
}

/**
 * Renders `{Root: {...}}` with the S3 namespace on the root unless `namespace` is false. A direct
 * serializer rather than xml2js's Builder: a 1,000-key listing renders in a fraction of the time,
 * and listing pages are the hot path (bench/RESULTS.md).
 */
export function renderXml(root: string, body: XmlElement, namespace = true): string {
  const out = new Out(false);
  render(out, root, body, namespace);
  return out.text;
}

/** `renderXml` as the UTF-8 bytes of a response body, encoded a chunk at a time (see `Out`). */
export function renderXmlBytes(root: string, body: XmlElement, namespace = true): Buffer {
  const out = new Out(true);
  render(out, root, body, namespace);
  if (out.buffers.length === 0) return Buffer.from(out.text);
  out.buffers.push(Buffer.from(out.text));
  return Buffer.concat(out.buffers);
}
