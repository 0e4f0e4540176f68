// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
import { checksumResponseHeaders } from '../protocol/checksum-headers.js';
import { writePreconditions } from '../protocol/conditional.js';
import { encryptionHeaders } from '../protocol/encryption.js';
import { newObjectFor } from '../kit/new-object.js';
import { uploadBody } from '../protocol/request-body.js';
import { requireKey } from '../kit/bucket-access.js';
import type { Handler } from '../kit/handler.js';
import { writtenVersionHeader } from '../kit/versions.js';
import { requireIntegrityForLock } from '../kit/object-lock.js';

export const putObject: Handler = async (req) => {
  const key = requireKey(req);
  const object = newObjectFor(req);
  requireIntegrityForLock(req, 'Put Object', false);
  const { body, expect } = uploadBody(req);
  const meta = await req.services.storage.putObject(
    req.bucket!,
    key,
    body,
    object,
    expect,
    writePreconditions(req.headers),
  );
  req.ctx.objectSize = meta.size;
  return {
    status: 200,
    // Object.assign, not spreads: see read-object.ts.
    headers: Object.assign(
      { ETag: `"${meta.etag}"` },
      checksumResponseHeaders(meta.checksums, meta.checksumType),
      writtenVersionHeader(meta),
      encryptionHeaders(meta.sse),
    ),
  };
};
