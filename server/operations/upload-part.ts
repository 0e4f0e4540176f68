// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
import { S3Error } from '../../errors/s3-error.js';
import { checksumResponseHeaders } from '../protocol/checksum-headers.js';
import { parsePartNumber } from '../protocol/part-number.js';
import { uploadBody } from '../protocol/request-body.js';
import { requireBucket } from '../s3/bucket-access.js';
import type { Handler, S3Request } from '../s3/handler.js';
import type { MultipartUpload } from '../../storage/storage.js';

export async function requireUpload(req: S3Request): Promise<MultipartUpload> {
  await requireBucket(req);
  const uploadId = req.query.get('uploadId') ?? '';
  const upload = await req.services.storage.getMultipartUpload(req.bucket!, uploadId);
  if (!upload || upload.key !== req.key) throw new S3Error('NoSuchUpload', { UploadId: uploadId });
  return upload;
}

export const uploadPart: Handler = async (req) => {
  const partNumber = parsePartNumber(req.query.get('partNumber'))!;
  const upload = await requireUpload(req);
  const { body, expect } = uploadBody(req);
  if (upload.checksumAlgorithm && !expect.checksumAlgorithms.includes(upload.checksumAlgorithm)) {
    expect.checksumAlgorithms.push(upload.checksumAlgorithm);
  }
  const part = await req.services.storage.putPart(req.bucket!, upload.uploadId, partNumber, body, expect);
  req.ctx.objectSize = part.size;
  return { status: 200, headers: { ETag: `"${part.etag}"`, ...checksumResponseHeaders(part.checksums) } };
};
