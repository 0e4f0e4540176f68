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
const escapeText = (text: string): string =>
  SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ENTITIES[c] ?? `&#${c.charCodeAt(0)};`) : text;

function inline(item: XmlElement): string {
  let out = '';
  for (const name in item) out += element(name, item[name]);
  return out;
}

function element(name: string, node: XmlNode): string {
  if (node === undefined) return '';
  if (Array.isArray(node)) {
    let all = '';
    for (const item of node) all += element(name, item);
    return all;
  }
  if (typeof node === 'string') return `<${name}>${escapeText(node)}</${name}>`;
  if (typeof node !== 'object') return `<${name}>${node}</${name}>`;
  if (node instanceof EscapedText) return `<${name}>${node.xml}</${name}>`;
  let open = `<${name}`;
  const attrs = node.$ as Record<string, string> | undefined;
  if (attrs) for (const k in attrs) open += ` ${k}="${escapeText(String(attrs[k]))}"`;
  // String concatenation: V8 builds ropes, cheaper than collecting thousands of pieces to join.
  let inner = node._ !== undefined ? escapeText(String(node._)) : '';
  for (const child in node) {
    if (child === '$' || child === '_') continue;
    // `#…`: a list of single-element objects rendered in order without a wrapper, for elements of
    // different names that interleave (ListObjectVersions' Version and DeleteMarker).
    if (child.startsWith('#')) for (const item of node[child] as XmlElement[]) inner += inline(item);
    else inner += element(child, node[child]);
  }
  return inner === '' ? `${open}/>` : `${open}>${inner}</${name}>`;
}

/**
 * Renders `{Root: {...}}` with the S3 namespace on the root unless `namespace` is false. A direct
 * serializer rather than xml2js's Builder: a 1,000-key listing renders in a fraction of the time,
 * and listing pages are the hot path (bench/RESULTS.md).
 */
export function renderXml(root: string, body: XmlElement, namespace = true): string {
  return (
    DECLARATION +
    element(root, namespace ? { ...body, $: { xmlns: S3_XMLNS, ...(body.$ as object | undefined) } } : body)
  );
}
