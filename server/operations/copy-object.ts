// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
import { aclFromHeaders } from '../acl/grants.js';
import { S3Error } from '../../errors/s3-error.js';
import { parseAlgorithm } from '../protocol/checksum-headers.js';
import { writePreconditions } from '../protocol/conditional.js';
import { storageClassFrom } from '../protocol/object-headers.js';
import { isoDate, ownerOf, requireKey } from '../kit/bucket-access.js';
import { openCopySource } from '../kit/copy-source.js';
import { tagsFromHeader } from '../protocol/object-tags.js';
import { encryptionFor, newObjectFor } from '../kit/new-object.js';
import { objectLockFor } from '../kit/object-lock.js';
import { encryptionHeaders } from '../protocol/encryption.js';
import { writtenVersionHeader } from '../kit/versions.js';
import { header, type Handler, type S3Request } from '../kit/handler.js';
import { xmlResponse } from '../xml/shapes/response.js';
import type { ChecksumAlgorithm, NewObject, ObjectMeta } from '../../storage/storage.js';

function copiedObject(req: S3Request, src: ObjectMeta): NewObject {
  const directive = header(req, 'x-amz-metadata-directive') ?? 'COPY';
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'x-amz-metadata-directive', ArgumentValue: directive },
      'Unknown metadata directive.',
    );
  }
  const owner = ownerOf(req.identity);
  // Tags follow their own directive: COPY (the default) keeps the source's, REPLACE takes x-amz-tagging.
  const tagging = header(req, 'x-amz-tagging-directive') ?? 'COPY';
  if (tagging !== 'COPY' && tagging !== 'REPLACE') {
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'x-amz-tagging-directive', ArgumentValue: tagging },
      'Unknown tagging directive.',
    );
  }
  const tags = tagging === 'REPLACE' ? tagsFromHeader(header(req, 'x-amz-tagging')) : src.tags;
  if (directive === 'REPLACE') return { ...newObjectFor(req), tags };
  const {
    key: _k,
    size: _s,
    etag: _e,
    lastModified: _l,
    checksums: _c,
    checksumType: _t,
    parts: _p,
    versionId: _v,
    retention: _r,
    legalHold: _h,
    ...kept
  } = src;
  // The copy gets the ACL the request names (private by default), never the source's.
  return {
    ...kept,
    owner,
    acl: aclFromHeaders(req.headers),
    storageClass: storageClassFrom(req.headers) ?? src.storageClass,
    tags,
    // The copy is encrypted as the request (or the bucket default) says, never as the source was.
    sse: encryptionFor(req),
    // Nor does it inherit the source's Object Lock settings: the request's or the bucket's default apply.
    ...objectLockFor(req),
  };
}

export const copyObject: Handler = async (req) => {
  const key = requireKey(req);
  const { source, opened } = await openCopySource(req);
  try {
    const src = opened.meta;
    const sameObject = source.bucket === req.bucket && source.key === key;
    const replacing =
      header(req, 'x-amz-metadata-directive') === 'REPLACE' ||
      req.headers['x-amz-storage-class'] !== undefined ||
      req.headers['x-amz-server-side-encryption'] !== undefined ||
      req.headers['x-amz-website-redirect-location'] !== undefined;
    if (sameObject && !replacing) {
      throw new S3Error(
        'InvalidRequest',
        {},
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    const object = copiedObject(req, src);
    const requested = parseAlgorithm(header(req, 'x-amz-checksum-algorithm'), 'x-amz-checksum-algorithm');
    const algorithms = requested ? [requested] : (Object.keys(src.checksums) as ChecksumAlgorithm[]);
    const meta = await req.services.storage.putObject(
      req.bucket!,
      key,
      opened.body(),
      object,
      { contentLength: src.size, checksumAlgorithms: algorithms },
      writePreconditions(req.headers),
    );
    req.ctx.objectSize = meta.size;
    const checksums = Object.fromEntries(Object.entries(meta.checksums).map(([a, v]) => [`Checksum${a}`, v]));
    return xmlResponse(
      'CopyObjectResult',
      { ETag: `"${meta.etag}"`, LastModified: isoDate(meta.lastModified), ...checksums },
      {
        ...(src.versionId !== undefined ? { 'x-amz-copy-source-version-id': src.versionId } : {}),
        ...writtenVersionHeader(meta),
        ...encryptionHeaders(meta.sse),
      },
    );
  } catch (err) {
    await opened.close();
    throw err;
  }
};
