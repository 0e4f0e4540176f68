/**
 * One Amazon S3 server access log record, fields in AWS order.
 *
 * The numbers are the field positions in the record (reference §1 "Fields, in order"). The request
 * context fills this once per request; `format.ts` renders it. Values are stored raw (decoded key,
 * header values as received): every AWS rendering rule lives in the formatter, so nothing here
 * has to know about `-`, quoting or encoding.
 */
export interface AccessLogRecord {
  /** Canonical user ID of the source bucket's owner (64 lowercase hex). */
  bucketOwner: string; // 1
  bucket: string; // 2
  /** ms since epoch, when the request was received, not when the response ended (§2.6). */
  time: number; // 3
  /** Apparent client address; undefined for lifecycle actions. */
  remoteIp?: string; // 4
  /** Canonical ID, IAM ARN, or `AmazonS3` for lifecycle; undefined = anonymous `-` (§2.8). */
  requester?: string; // 5
  /** Same string as the response's `x-amz-request-id` (§2.7). */
  requestId: string; // 6
  /** e.g. `REST.GET.OBJECT`, `BATCH.DELETE.OBJECT`, `S3.EXPIRE.OBJECT` (§3). */
  operation: string; // 7
  /** The object key as stored (decoded); the formatter encodes it (§2.4). */
  key?: string; // 8
  /** `METHOD target HTTP/1.1` without the surrounding quotes; target still encoded (§2.5). */
  requestUri?: string; // 9
  httpStatus?: number; // 10
  errorCode?: string; // 11
  /** Response body bytes actually written; 0 renders as `-` (§2.3). */
  bytesSent?: number; // 12
  objectSize?: number; // 13
  /** Receipt of the request to the last response byte. */
  totalTimeMs?: number; // 14
  /** Last request byte received to first response byte sent. */
  turnAroundTimeMs?: number; // 15
  referer?: string; // 16
  userAgent?: string; // 17
  /** The `versionId` of the request (or of `x-amz-copy-source` for `*_GET` rows). */
  versionId?: string; // 18
  /** Same string as the response's `x-amz-id-2` (§2.7). */
  hostId: string; // 19
  /** `SigV2` | `SigV4`; undefined when unauthenticated. */
  signatureVersion?: string; // 20
  /** OpenSSL cipher name; undefined for plain HTTP. */
  cipherSuite?: string; // 21
  /** `AuthHeader` | `QueryString`; undefined when unauthenticated. */
  authType?: string; // 22
  /** The `Host` header verbatim, port included (§10). */
  hostHeader?: string; // 23
  tlsVersion?: string; // 24
  accessPointArn?: string; // 25
  /** true only when an ACL grant (not ownership or policy) authorized the request (§10). */
  aclRequired?: boolean; // 26
  /** Written only with the `latest` field set: its meaning is undocumented (§1 field 27, §10). */
  region?: string; // 27
}

/**
 * `default`: the 26 fields real 2025 records, Ceph RGW and ceph/s3-tests agree on (s3-tests
 * asserts exactly 26, §8). `latest`: 27, with the Region of the current AWS doc examples.
 */
export type AccessLogFieldSet = 'default' | 'latest';

/**
 * True for the per-key rows of a DeleteObjects request. They are written with bare `-` for
 * Request-URI, Referer and User-Agent and a single-encoded key ([REAL21], §3 "Multi-record").
 */
export function isBatchOperation(operation: string): boolean {
  return operation.startsWith('BATCH.');
}

/**
 * A record the S3 service writes of its own accord (a log delivery, later lifecycle actions): no
 * client made it, so the connection fields (IP, URI, referer, user agent, signature, TLS, times)
 * stay empty and render as `-`.
 */
export const serviceRecord = (
  fields: Pick<AccessLogRecord, 'bucketOwner' | 'bucket' | 'time' | 'requestId' | 'hostId' | 'operation'> &
    Partial<Pick<AccessLogRecord, 'key' | 'versionId' | 'httpStatus' | 'objectSize' | 'requester' | 'region'>>,
): AccessLogRecord => ({ ...fields });
