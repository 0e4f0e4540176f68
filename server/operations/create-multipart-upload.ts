// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
import { S3Error } from '../../errors/s3-error.js';
import { parseAlgorithm } from '../protocol/checksum-headers.js';
import { encryptionHeaders } from '../protocol/encryption.js';
import { newObjectFor } from '../kit/new-object.js';
import { requireKey } from '../kit/bucket-access.js';
import { header, type Handler } from '../kit/handler.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const createMultipartUpload: Handler = async (req) => {
  const key = requireKey(req);
  const algorithm = parseAlgorithm(header(req, 'x-amz-checksum-algorithm'), 'x-amz-checksum-algorithm');
  const type = header(req, 'x-amz-checksum-type')?.toUpperCase();
  if (type !== undefined && type !== 'COMPOSITE' && type !== 'FULL_OBJECT') {
    throw new S3Error('InvalidRequest', {}, 'Value for x-amz-checksum-type header is invalid.');
  }
  // CRC64NVME only exists as a full-object checksum; the others default to composite.
  const checksumType = algorithm
    ? ((type ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE')) as 'COMPOSITE' | 'FULL_OBJECT')
    : undefined;
  const object = { ...newObjectFor(req), checksumType };
  const upload = await req.services.storage.createMultipartUpload(req.bucket!, key, object, algorithm);
  return xmlResponse(
    'InitiateMultipartUploadResult',
    { Bucket: req.bucket, Key: key, UploadId: upload.uploadId },
    {
      'x-amz-checksum-algorithm': algorithm,
      'x-amz-checksum-type': checksumType,
      ...encryptionHeaders(object.sse),
    },
  );
};
