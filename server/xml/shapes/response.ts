import type { S3Response } from '../../kit/handler.js';
import { renderXmlBytes, type XmlElement } from '../render.js';

/** A 200 response carrying one S3 XML document. */
export const xmlResponse = (root: string, body: XmlElement, headers: S3Response['headers'] = {}): S3Response => ({
  status: 200,
  headers: { 'Content-Type': 'application/xml', ...headers },
  body: renderXmlBytes(root, body),
});
