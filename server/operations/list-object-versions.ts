// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
import { listingParams } from '../protocol/listing-params.js';
import { isoDate } from '../kit/bucket-access.js';
import type { Handler } from '../kit/handler.js';
import { ownerXml } from '../xml/shapes/owner.js';
import { xmlResponse } from '../xml/shapes/response.js';

/**
 * Buckets here are never versioned, so each object has exactly one version, `null`, which is the
 * latest: what S3 lists for a bucket whose versioning was never enabled.
 */
export const listObjectVersions: Handler = async (req) => {
  const q = req.query;
  const { prefix, delimiter, maxKeys, encoding, encode } = listingParams(q);
  const keyMarker = q.get('key-marker') ?? '';
  const page = await req.services.storage.listObjects(req.bucket!, {
    prefix,
    delimiter,
    after: keyMarker || undefined,
    maxKeys,
  });
  return xmlResponse('ListVersionsResult', {
    Name: req.bucket,
    Prefix: encode(prefix),
    KeyMarker: encode(keyMarker),
    VersionIdMarker: q.get('version-id-marker') ?? '',
    NextKeyMarker: page.isTruncated ? encode(page.lastReturned) : undefined,
    NextVersionIdMarker: page.isTruncated ? 'null' : undefined,
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter),
    IsTruncated: page.isTruncated,
    EncodingType: encoding,
    Version: page.contents.map((o) => ({
      Key: encode(o.key),
      VersionId: 'null',
      IsLatest: true,
      LastModified: isoDate(o.lastModified),
      ETag: `"${o.etag}"`,
      Size: o.size,
      Owner: ownerXml(o.owner),
      StorageClass: o.storageClass,
    })),
    CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
  });
};
