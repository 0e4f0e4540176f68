import { checksumResponseHeaders } from '../protocol/checksum-headers.js';
import { parsePartNumber } from '../protocol/part-number.js';
import { uploadBody } from '../protocol/request-body.js';

import type { Handler } from '../kit/handler.js';
import { requireIntegrityForLock } from '../kit/object-lock.js';

export const uploadPart: Handler = async (req) => {
  const partNumber = parsePartNumber(req.query.get('partNumber'))!;
  const upload = req.upload!;
  requireIntegrityForLock(
    req,
    'Put Part',
    upload.object.retention !== undefined || upload.object.legalHold !== undefined,
  );
  const { body, expect } = uploadBody(req);
  if (upload.checksumAlgorithm && !expect.checksumAlgorithms.includes(upload.checksumAlgorithm)) {
    expect.checksumAlgorithms.push(upload.checksumAlgorithm);
  }
  const part = await req.services.storage.putPart(req.bucket!, upload.uploadId, partNumber, body, expect);
  req.ctx.objectSize = part.size;
  return { status: 200, headers: { ETag: `"${part.etag}"`, ...checksumResponseHeaders(part.checksums) } };
};
