// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
import { S3Error } from '../../errors/s3-error.js';
import { writePreconditions } from '../protocol/conditional.js';
import { readSmallBody } from '../protocol/read-body.js';
import { writtenVersionHeader } from '../kit/versions.js';
import { encryptionHeaders } from '../protocol/encryption.js';
import type { Handler } from '../kit/handler.js';
import { asArray, parseXml, textOf } from '../xml/parse.js';
import { xmlResponse } from '../xml/shapes/response.js';
import { CHECKSUM_ALGORITHMS } from '../../storage/checksums.js';
import type { Checksums, CompletePart } from '../../storage/storage.js';

function partsFrom(body: Record<string, unknown>): CompletePart[] {
  return asArray(body.Part as unknown[]).map((p) => {
    const part = p as Record<string, unknown>;
    const number = Number(textOf(part.PartNumber));
    const etag = textOf(part.ETag);
    if (!Number.isInteger(number) || etag === undefined) throw new S3Error('MalformedXML');
    const checksums: Checksums = {};
    for (const a of CHECKSUM_ALGORITHMS) {
      const v = textOf(part[`Checksum${a}`]);
      if (v) checksums[a] = v;
    }
    return { partNumber: number, etag, checksums };
  });
}

export const completeMultipartUpload: Handler = async (req) => {
  const { root, body } = await parseXml(await readSmallBody(req));
  if (root !== 'CompleteMultipartUpload') throw new S3Error('MalformedXML');
  const uploadId = req.query.get('uploadId') ?? '';
  const meta = await req.services.storage.completeMultipartUpload(
    req.bucket!,
    req.key!,
    uploadId,
    partsFrom(body),
    writePreconditions(req.headers),
  );
  req.ctx.objectSize = meta.size;
  const checksums = Object.fromEntries(Object.entries(meta.checksums).map(([a, v]) => [`Checksum${a}`, v]));
  const host = req.headers.host ?? 'localhost';
  return xmlResponse(
    'CompleteMultipartUploadResult',
    {
      Location: `http://${host}/${req.bucket}/${encodeURIComponent(meta.key).replace(/%2F/g, '/')}`,
      Bucket: req.bucket,
      Key: meta.key,
      ETag: `"${meta.etag}"`,
      ...checksums,
      ChecksumType: meta.checksumType,
    },
    { ...writtenVersionHeader(meta), ...encryptionHeaders(meta.sse) },
  );
};
