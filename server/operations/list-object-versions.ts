// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
import { S3Error } from '../../errors/s3-error.js';
import { NULL_VERSION } from '../../storage/storage.js';
import { isoDate } from '../kit/bucket-access.js';
import type { Handler } from '../kit/handler.js';
import { listingParams } from '../protocol/listing-params.js';
import { ownerXml } from '../xml/shapes/owner.js';
import { xmlResponse } from '../xml/shapes/response.js';

/** Every version and delete marker, key by key in UTF-8 order, each key's newest first. */
export const listObjectVersions: Handler = async (req) => {
  const q = req.query;
  const { prefix, delimiter, maxKeys, encoding, encode } = listingParams(q);
  const keyMarker = q.get('key-marker') ?? '';
  const versionIdMarker = q.get('version-id-marker') ?? '';
  if (versionIdMarker && !keyMarker) {
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker },
      'A version-id marker cannot be specified without a key marker.',
    );
  }
  const page = await req.services.storage.listObjectVersions(req.bucket!, {
    prefix,
    delimiter,
    keyMarker: keyMarker || undefined,
    versionIdMarker: versionIdMarker || undefined,
    maxKeys,
  });
  const entry = ({ meta, isLatest }: (typeof page.versions)[number]) => ({
    Key: encode(meta.key),
    VersionId: meta.versionId ?? NULL_VERSION,
    IsLatest: isLatest,
    LastModified: isoDate(meta.lastModified),
    ...(meta.deleteMarker ? {} : { ETag: `"${meta.etag}"`, Size: meta.size, StorageClass: meta.storageClass }),
    Owner: ownerXml(meta.owner),
  });
  // Versions and delete markers interleave in one ordered list, as S3 sends them.
  const items = page.versions.map((v) => (v.meta.deleteMarker ? { DeleteMarker: entry(v) } : { Version: entry(v) }));
  return xmlResponse('ListVersionsResult', {
    Name: req.bucket,
    Prefix: encode(prefix),
    KeyMarker: encode(keyMarker),
    VersionIdMarker: versionIdMarker,
    NextKeyMarker: page.isTruncated ? encode(page.nextKeyMarker) : undefined,
    NextVersionIdMarker: page.isTruncated ? page.nextVersionIdMarker : undefined,
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter),
    IsTruncated: page.isTruncated,
    EncodingType: encoding,
    '#versions': items,
    CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
  });
};
