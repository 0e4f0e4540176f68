import { tagCountHeader, tagsFromHeader } from './object-tags.js';
import { S3Error } from '../../errors/s3-error.js';
import type { NewObject, ObjectHeaders, ObjectMeta, Owner } from '../../storage/storage.js';
import { aclFromHeaders } from '../acl/grants.js';
import { checksumResponseHeaders } from './checksum-headers.js';
import { decodeMetadataValue, encodeMetadataValue } from './metadata-encoding.js';

type Headers = Record<string, string | string[] | undefined>;

/** S3 limits user-defined metadata to 2 KB (names and values, UTF-8). */
const MAX_USER_METADATA_BYTES = 2048;
const STORAGE_CLASSES = new Set([
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'OUTPOSTS',
  'GLACIER_IR',
  'SNOW',
  'EXPRESS_ONEZONE',
]);

const HEADER_FIELDS: [keyof ObjectHeaders, string][] = [
  ['contentType', 'content-type'],
  ['contentEncoding', 'content-encoding'],
  ['contentDisposition', 'content-disposition'],
  ['contentLanguage', 'content-language'],
  ['cacheControl', 'cache-control'],
  ['expires', 'expires'],
  ['websiteRedirectLocation', 'x-amz-website-redirect-location'],
];
const RESPONSE_NAMES: Record<keyof ObjectHeaders, string> = {
  contentType: 'Content-Type',
  contentEncoding: 'Content-Encoding',
  contentDisposition: 'Content-Disposition',
  contentLanguage: 'Content-Language',
  cacheControl: 'Cache-Control',
  expires: 'Expires',
  websiteRedirectLocation: 'x-amz-website-redirect-location',
};

const str = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(',') : v);

/** `aws-chunked` is transfer framing, not a content coding of the stored object. */
function storedContentEncoding(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const kept = value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '' && t !== 'aws-chunked');
  return kept.length ? kept.join(', ') : undefined;
}

export function userMetadataFrom(h: Headers): Record<string, string> {
  const meta: Record<string, string> = {};
  let bytes = 0;
  for (const [name, value] of Object.entries(h)) {
    if (!name.startsWith('x-amz-meta-') || value === undefined) continue;
    const key = name.slice('x-amz-meta-'.length);
    meta[key] = decodeMetadataValue(str(value)!);
    bytes += Buffer.byteLength(key) + Buffer.byteLength(meta[key]!);
  }
  if (bytes > MAX_USER_METADATA_BYTES)
    throw new S3Error('MetadataTooLarge', { Size: bytes, MaxSizeAllowed: MAX_USER_METADATA_BYTES });
  return meta;
}

export function objectHeadersFrom(h: Headers): ObjectHeaders {
  const out: ObjectHeaders = {};
  for (const [field, name] of HEADER_FIELDS) {
    const v = str(h[name]);
    if (v !== undefined) out[field] = v;
  }
  out.contentEncoding = storedContentEncoding(out.contentEncoding);
  if (out.contentEncoding === undefined) delete out.contentEncoding;
  return out;
}

export function storageClassFrom(h: Headers): string | undefined {
  const v = str(h['x-amz-storage-class']);
  if (v === undefined) return undefined;
  if (!STORAGE_CLASSES.has(v)) throw new S3Error('InvalidStorageClass', { StorageClassRequested: v });
  return v;
}

/** Everything a PUT / CreateMultipartUpload stores besides the bytes. */
export function newObjectFrom(h: Headers, owner: Owner): NewObject {
  const headers = objectHeadersFrom(h);
  // Object.assign onto the fresh headers object, not a spread (see kit/read-object.ts).
  return Object.assign(headers, {
    // S3 stores binary/octet-stream when a PUT names no Content-Type.
    contentType: headers.contentType || 'binary/octet-stream',
    userMetadata: userMetadataFrom(h),
    owner,
    storageClass: storageClassFrom(h),
    acl: aclFromHeaders(h),
    tags: tagsFromHeader(str(h['x-amz-tagging'])),
  });
}

/** Headers of GET/HEAD for a stored object; `response-*` query parameters override (GetObject). */
export function objectResponseHeaders(
  meta: ObjectMeta,
  query?: URLSearchParams,
  withChecksums = false,
): Record<string, string | number> {
  const out: Record<string, string | number> = {
    ETag: `"${meta.etag}"`,
    'Last-Modified': new Date(meta.lastModified).toUTCString(),
    'Accept-Ranges': 'bytes',
  };
  for (const [field] of HEADER_FIELDS) {
    const v = meta[field];
    if (v !== undefined) out[RESPONSE_NAMES[field]] = v;
  }
  for (const [k, v] of Object.entries(meta.userMetadata)) out[`x-amz-meta-${k}`] = encodeMetadataValue(v);
  if (meta.storageClass !== 'STANDARD') out['x-amz-storage-class'] = meta.storageClass;
  Object.assign(out, tagCountHeader(meta.tags));
  if (query) {
    for (const [field, name] of HEADER_FIELDS) {
      const v = query.get(`response-${name}`);
      if (v === null) continue;
      if (/[^\t\x20-\x7e\x80-\xff]/.test(v))
        throw new S3Error(
          'InvalidArgument',
          { ArgumentName: `response-${name}`, ArgumentValue: v },
          'Header value contains invalid characters',
        );
      out[RESPONSE_NAMES[field]] = v;
    }
  }
  if (withChecksums) Object.assign(out, checksumResponseHeaders(meta.checksums, meta.checksumType));
  return out;
}
