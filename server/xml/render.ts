import { Builder } from 'xml2js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An XML element tree: values are text, nested elements, or arrays of repeated elements. */
export type XmlNode = string | number | boolean | XmlElement | XmlNode[] | undefined;
export interface XmlElement { [name: string]: XmlNode }

const builder = new Builder({
  xmldec: { version: '1.0', encoding: 'UTF-8' },
  renderOpts: { pretty: false },
});

// xml2js renders `undefined` children as empty elements; S3 omits absent elements instead.
function prune(node: XmlNode): XmlNode {
  if (Array.isArray(node)) return node.filter((n) => n !== undefined).map(prune);
  if (node !== null && typeof node === 'object') {
    const out: XmlElement = {};
    for (const [name, child] of Object.entries(node)) {
      if (child !== undefined) out[name] = prune(child);
    }
    return out;
  }
  return node;
}

/** Renders `{Root: {...}}` with the S3 namespace on the root unless `namespace` is false. */
export function renderXml(root: string, body: XmlElement, namespace = true): string {
  const element = prune(body) as XmlElement;
  const withNs = namespace ? { $: { xmlns: S3_XMLNS }, ...element } : element;
  return builder.buildObject({ [root]: withNs });
}
