// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
import { checksumResponseHeaders } from '../protocol/checksum-headers.js';
import { writePreconditions } from '../protocol/conditional.js';
import { newObjectFrom } from '../protocol/object-headers.js';
import { uploadBody } from '../protocol/request-body.js';
import { ownerOf, requireKey } from '../kit/bucket-access.js';
import type { Handler } from '../kit/handler.js';
import { versionHeader } from '../kit/versions.js';

export const putObject: Handler = async (req) => {
  const key = requireKey(req);
  const object = newObjectFrom(req.headers, ownerOf(req.identity));
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
    headers: {
      ETag: `"${meta.etag}"`,
      ...checksumResponseHeaders(meta.checksums, meta.checksumType),
      ...versionHeader(meta),
    },
  };
};
