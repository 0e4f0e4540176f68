import { S3Error } from '../../errors/s3-error.js';
import type { S3Request } from '../kit/handler.js';
import { type ParsedXml, parseXml } from '../xml/parse.js';
import { readSmallBody } from './read-body.js';

/**
 * The XML document of a Put*Configuration request. No body at all is MissingRequestBodyError, as
 * S3 answers PutBucketTagging and its siblings without one; a body that is not XML is MalformedXML.
 */
export async function readXmlDocument(req: S3Request): Promise<{ root: string; body: ParsedXml }> {
  const text = await readSmallBody(req);
  if (text.trim() === '') throw new S3Error('MissingRequestBodyError');
  return parseXml(text);
}
