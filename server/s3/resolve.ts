import { S3Error } from '../../errors/s3-error.js';
import type { OperationName } from './operation-table.js';

export interface Resolved {
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  /** AWS operation name; undefined when S3 has no operation for this method and path. */
  operation?: OperationName;
  /** Addressed virtual-hosted style: the bucket is in the Host header, not the path. */
  virtualHosted: boolean;
}

const BUCKET_GET: [string, OperationName][] = [
  ['location', 'GetBucketLocation'],
  ['logging', 'GetBucketLogging'],
  ['policy', 'GetBucketPolicy'],
  ['policyStatus', 'GetBucketPolicyStatus'],
  ['uploads', 'ListMultipartUploads'],
  ['versions', 'ListObjectVersions'],
  ['acl', 'GetBucketAcl'],
  ['tagging', 'GetBucketTagging'],
  ['versioning', 'GetBucketVersioning'],
  ['cors', 'GetBucketCors'],
  ['lifecycle', 'GetBucketLifecycleConfiguration'],
  ['encryption', 'GetBucketEncryption'],
  ['website', 'GetBucketWebsite'],
  ['notification', 'GetBucketNotificationConfiguration'],
  ['replication', 'GetBucketReplication'],
  ['requestPayment', 'GetBucketRequestPayment'],
  ['accelerate', 'GetBucketAccelerateConfiguration'],
  ['ownershipControls', 'GetBucketOwnershipControls'],
  ['publicAccessBlock', 'GetPublicAccessBlock'],
  ['object-lock', 'GetObjectLockConfiguration'],
  ['analytics', 'GetBucketAnalyticsConfiguration'],
  ['metrics', 'GetBucketMetricsConfiguration'],
  ['inventory', 'GetBucketInventoryConfiguration'],
  ['intelligent-tiering', 'GetBucketIntelligentTieringConfiguration'],
];
const BUCKET_PUT: [string, OperationName][] = [
  ['logging', 'PutBucketLogging'],
  ['policy', 'PutBucketPolicy'],
  ['acl', 'PutBucketAcl'],
  ['tagging', 'PutBucketTagging'],
  ['versioning', 'PutBucketVersioning'],
  ['cors', 'PutBucketCors'],
  ['lifecycle', 'PutBucketLifecycleConfiguration'],
  ['encryption', 'PutBucketEncryption'],
  ['website', 'PutBucketWebsite'],
  ['notification', 'PutBucketNotificationConfiguration'],
  ['replication', 'PutBucketReplication'],
  ['requestPayment', 'PutBucketRequestPayment'],
  ['accelerate', 'PutBucketAccelerateConfiguration'],
  ['ownershipControls', 'PutBucketOwnershipControls'],
  ['publicAccessBlock', 'PutPublicAccessBlock'],
  ['object-lock', 'PutObjectLockConfiguration'],
];
const BUCKET_DELETE: [string, OperationName][] = [
  ['policy', 'DeleteBucketPolicy'],
  ['tagging', 'DeleteBucketTagging'],
  ['cors', 'DeleteBucketCors'],
  ['lifecycle', 'DeleteBucketLifecycle'],
  ['encryption', 'DeleteBucketEncryption'],
  ['website', 'DeleteBucketWebsite'],
  ['replication', 'DeleteBucketReplication'],
  ['ownershipControls', 'DeleteBucketOwnershipControls'],
  ['publicAccessBlock', 'DeletePublicAccessBlock'],
];
const OBJECT_GET: [string, OperationName][] = [
  ['uploadId', 'ListParts'],
  ['acl', 'GetObjectAcl'],
  ['tagging', 'GetObjectTagging'],
  ['attributes', 'GetObjectAttributes'],
  ['retention', 'GetObjectRetention'],
  ['legal-hold', 'GetObjectLegalHold'],
  ['torrent', 'GetObjectTorrent'],
];
const OBJECT_PUT: [string, OperationName][] = [
  ['acl', 'PutObjectAcl'],
  ['tagging', 'PutObjectTagging'],
  ['retention', 'PutObjectRetention'],
  ['legal-hold', 'PutObjectLegalHold'],
];

const pick = (query: URLSearchParams, table: [string, OperationName][]): OperationName | undefined =>
  table.find(([param]) => query.has(param))?.[1];

function operationFor(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  q: URLSearchParams,
  headers: Record<string, unknown>,
): OperationName | undefined {
  if (method === 'OPTIONS' && bucket !== undefined) return 'OptionsPreflight';
  if (bucket === undefined) return method === 'GET' ? 'ListBuckets' : undefined;
  if (key === undefined) {
    switch (method) {
      case 'GET':
        return pick(q, BUCKET_GET) ?? (q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects');
      case 'HEAD':
        return 'HeadBucket';
      case 'PUT':
        return pick(q, BUCKET_PUT) ?? 'CreateBucket';
      case 'DELETE':
        return pick(q, BUCKET_DELETE) ?? 'DeleteBucket';
      case 'POST':
        if (q.has('delete')) return 'DeleteObjects';
        if (q.has('logging')) return 'PostBucketLogging';
        return 'PostObject';
      default:
        return undefined;
    }
  }
  switch (method) {
    case 'GET':
      return pick(q, OBJECT_GET) ?? 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'PUT':
      if (q.has('uploadId') && q.has('partNumber'))
        return headers['x-amz-copy-source'] ? 'UploadPartCopy' : 'UploadPart';
      return pick(q, OBJECT_PUT) ?? (headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject');
    case 'POST':
      if (q.has('uploads')) return 'CreateMultipartUpload';
      if (q.has('uploadId')) return 'CompleteMultipartUpload';
      if (q.has('restore')) return 'RestoreObject';
      if (q.has('select')) return 'SelectObjectContent';
      return undefined;
    case 'DELETE':
      if (q.has('uploadId')) return 'AbortMultipartUpload';
      if (q.has('tagging')) return 'DeleteObjectTagging';
      return 'DeleteObject';
    default:
      return undefined;
  }
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new S3Error('InvalidURI', {}, "Couldn't parse the specified URI.");
  }
}

/** Each configured list of base domains, longest first (sorted once, not per request). */
const longestFirst = new WeakMap<readonly string[], readonly string[]>();

/** The bucket named by a virtual-hosted-style Host header, if any. */
function bucketFromHost(host: string | undefined, baseDomains: readonly string[]): string | undefined {
  if (!host) return undefined;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  if (baseDomains.includes(name)) return undefined;
  let sorted = longestFirst.get(baseDomains);
  if (sorted === undefined) {
    sorted = [...baseDomains].sort((a, b) => b.length - a.length);
    longestFirst.set(baseDomains, sorted);
  }
  // The longest domain wins: with `localhost` and `s3.localhost`, `b.s3.localhost` is bucket `b`.
  for (const base of sorted) {
    if (name.length > base.length + 1 && name.endsWith(`.${base}`)) return name.slice(0, -(base.length + 1));
  }
  return undefined;
}

/**
 * One place turns (method, Host, raw URL, headers) into bucket, key and S3 operation. The key is
 * taken from the raw path: `+` stays a plus and `%2F` a slash, as S3 reads them.
 */
export function resolveOperation(
  method: string,
  host: string | undefined,
  rawUrl: string,
  headers: Record<string, unknown>,
  baseDomains: readonly string[],
): Resolved {
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1));
  let bucket = bucketFromHost(host, baseDomains);
  const virtualHosted = bucket !== undefined;
  let keyPart: string;
  if (virtualHosted) {
    keyPart = path.slice(1);
  } else {
    const slash = path.indexOf('/', 1);
    const first = slash < 0 ? path.slice(1) : path.slice(1, slash);
    bucket = first === '' ? undefined : decode(first);
    keyPart = slash < 0 ? '' : path.slice(slash + 1);
  }
  const key = keyPart === '' ? undefined : decode(keyPart);
  return { bucket, key, query, virtualHosted, operation: operationFor(method, bucket, key, query, headers) };
}
