/** Small helpers over DOMParser for S3's XML (elements are matched by local name). */
export function parseXml(text: string): Document {
  return new DOMParser().parseFromString(text, 'application/xml');
}

export function children(el: Element | Document, name: string): Element[] {
  const root = el instanceof Document ? el.documentElement : el;
  return root ? Array.from(root.children).filter((c) => c.localName === name) : [];
}

export function child(el: Element | Document, name: string): Element | undefined {
  return children(el, name)[0];
}

export function text(el: Element | Document, name: string): string | undefined {
  return child(el, name)?.textContent ?? undefined;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`);
}

/** Indents an XML document for display. */
export function prettyXml(source: string): string {
  const doc = parseXml(source);
  if (doc.getElementsByTagName('parsererror').length) return source;
  const walk = (el: Element, depth: number): string => {
    const pad = '  '.repeat(depth);
    const kids = Array.from(el.children);
    if (!kids.length) return `${pad}<${el.localName}>${escapeXml(el.textContent ?? '')}</${el.localName}>`;
    return `${pad}<${el.localName}>\n${kids.map((k) => walk(k, depth + 1)).join('\n')}\n${pad}</${el.localName}>`;
  };
  return doc.documentElement ? walk(doc.documentElement, 0) : source;
}
