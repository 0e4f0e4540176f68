import { S3Error } from '../../errors/s3-error.js';
import { BodyDigests } from '../../storage/checksums.js';
import type { S3Request } from '../kit/handler.js';
import { uploadBody } from './request-body.js';

/** Configuration bodies are small; S3 rejects larger ones before parsing. */
const MAX_CONFIG_BODY = 1024 * 1024;

/**
 * Reads a small request body (XML or JSON configuration) into memory, decoding aws-chunked and
 * verifying Content-MD5 / checksums exactly as uploads do. No length and no body → ''.
 */
export async function readSmallBody(req: S3Request): Promise<string> {
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return '';
  if (Number(req.headers['content-length']) > MAX_CONFIG_BODY) throw new S3Error('MaxMessageLengthExceeded');
  const { body, expect } = uploadBody(req);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CONFIG_BODY) throw new S3Error('MaxMessageLengthExceeded');
    chunks.push(chunk);
  }
  const data = Buffer.concat(chunks);
  const digests = await BodyDigests.for(expect.checksumAlgorithms);
  digests.update(data);
  const d = await digests.finish();
  if (expect.contentLength !== undefined && d.size !== expect.contentLength) throw new S3Error('IncompleteBody');
  await expect.verify?.(d);
  return data.toString('utf8');
}
