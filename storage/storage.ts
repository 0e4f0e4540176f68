import type { Readable } from 'node:stream';

/** Checksum algorithms S3 accepts in x-amz-checksum-* headers, spelled as in the API. */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';
export type Checksums = Partial<Record<ChecksumAlgorithm, string>>;

export interface Owner {
  id: string;
  displayName: string;
}

/** An ACL grant as S3 models it. */
export interface AclGrant {
  grantee:
    | { type: 'CanonicalUser'; id: string; displayName?: string }
    | { type: 'Group'; uri: string }
    | { type: 'AmazonCustomerByEmail'; emailAddress: string };
  permission: 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
}

export interface BucketInfo {
  name: string;
  created: number;
  region: string;
  owner: Owner;
}

/** Per-bucket configuration documents, stored with the bucket and deleted with it. */
export interface BucketConfig {
  logging?: unknown;
  policy?: string;
  /** Grants besides the owner's; absent means the owner alone (canned `private`). */
  acl?: AclGrant[];
  /** Absent: versioning was never enabled (every object is the `null` version, nothing is kept). */
  versioning?: VersioningStatus;
  // Bucket configurations stored and echoed (server/xml/shapes/ parses, validates and renders them).
  // Absent means never configured (or deleted).
  /** PutBucketTagging's TagSet, in document order. */
  tagging?: { key: string; value: string }[];
  /** PutBucketCors's rules, in document order (the first matching rule answers). */
  cors?: {
    id?: string;
    allowedMethods: string[];
    allowedOrigins: string[];
    allowedHeaders: string[];
    exposeHeaders: string[];
    maxAgeSeconds?: number;
  }[];
  /** Default encryption; absent means S3's SSE-S3 default. */
  encryption?: { sseAlgorithm: string; kmsMasterKeyId?: string; bucketKeyEnabled?: boolean };
  website?: {
    indexDocument?: string;
    errorDocument?: string;
    redirectAllRequestsTo?: { hostName: string; protocol?: string };
    routingRules?: {
      condition?: { keyPrefixEquals?: string; httpErrorCodeReturnedEquals?: string };
      redirect: {
        hostName?: string;
        httpRedirectCode?: string;
        protocol?: string;
        replaceKeyPrefixWith?: string;
        replaceKeyWith?: string;
      };
    }[];
  };
  /** Lifecycle rules as configured (not executed yet). */
  lifecycle?: {
    id: string;
    status: 'Enabled' | 'Disabled';
    /** The legacy rule-level Prefix (exclusive with `filter`). */
    prefix?: string;
    filter?: {
      prefix?: string;
      tag?: { key: string; value: string };
      objectSizeGreaterThan?: number;
      objectSizeLessThan?: number;
      and?: {
        prefix?: string;
        tags: { key: string; value: string }[];
        objectSizeGreaterThan?: number;
        objectSizeLessThan?: number;
      };
    };
    expiration?: { days?: number; date?: string; expiredObjectDeleteMarker?: boolean };
    transitions?: { days?: number; date?: string; storageClass: string }[];
    noncurrentVersionExpiration?: { noncurrentDays?: number; newerNoncurrentVersions?: number };
    noncurrentVersionTransitions?: {
      noncurrentDays?: number;
      newerNoncurrentVersions?: number;
      storageClass: string;
    }[];
    abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
  }[];
  publicAccessBlock?: {
    blockPublicAcls: boolean;
    ignorePublicAcls: boolean;
    blockPublicPolicy: boolean;
    restrictPublicBuckets: boolean;
  };
  ownershipControls?: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';
  /** Absent means `BucketOwner`. */
  requestPayment?: 'BucketOwner' | 'Requester';
  accelerate?: 'Enabled' | 'Suspended';
  /** Event notification destinations, stored and echoed; nothing is delivered. */
  notification?: {
    configurations: {
      kind: 'Topic' | 'Queue' | 'CloudFunction';
      id: string;
      arn: string;
      events: string[];
      filterRules: { name: string; value: string }[];
    }[];
    eventBridge: boolean;
  };
  /** Present once Object Lock is enabled (it is never disabled); the rule is the default retention. */
  objectLock?: { rule?: DefaultRetention };
}

/** Object Lock retention modes, spelled as in the API. */
export type RetentionMode = 'GOVERNANCE' | 'COMPLIANCE';

/** A bucket's default retention: a mode and a period of whole days or years (never both). */
export interface DefaultRetention {
  mode: RetentionMode;
  days?: number;
  years?: number;
}

/** An object version's retention: protected until `retainUntil` (ISO 8601, millisecond precision). */
export interface ObjectRetention {
  mode: RetentionMode;
  retainUntil: string;
}

export type LegalHoldStatus = 'ON' | 'OFF';

/** Object Lock settings of one version; absent fields were never set. */
export interface ObjectLock {
  retention?: ObjectRetention;
  legalHold?: LegalHoldStatus;
}

export type VersioningStatus = 'Enabled' | 'Suspended';

/** The version id S3 shows for objects written while versioning was off or suspended. */
export const NULL_VERSION = 'null';

/** S3's longest object key, in bytes of UTF-8 (a longer one is KeyTooLongError). */
export const MAX_KEY_BYTES = 1024;

export type BucketConfigKind = keyof BucketConfig;

/** Headers S3 stores with an object and returns on GET/HEAD. */
export interface ObjectHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  /** Where the website endpoint redirects a request for this object (x-amz-website-redirect-location). */
  websiteRedirectLocation?: string;
}

export interface ObjectMeta extends ObjectHeaders, ObjectLock {
  key: string;
  size: number;
  /** Unquoted: hex MD5, or `<md5-of-md5s>-N` for multipart objects. */
  etag: string;
  lastModified: number;
  userMetadata: Record<string, string>;
  checksums: Checksums;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
  /** Part sizes for objects completed from a multipart upload, in part order. */
  parts?: number[];
  storageClass: string;
  owner: Owner;
  acl?: AclGrant[];
  /** Object tags (key → value); absent or empty when untagged. */
  tags?: Record<string, string>;
  /** Server-side encryption settings, recorded and echoed (the bytes are stored as sent). */
  sse?: ObjectEncryption;
  /** Absent for objects written while versioning was never enabled: the `null` version. */
  versionId?: string;
  /** A delete marker: no body, shown only by ListObjectVersions and version-aware requests. */
  deleteMarker?: boolean;
}

export interface ObjectEncryption {
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  /** SSE-C: the algorithm and the MD5 of the customer's key (never the key). */
  customerAlgorithm?: string;
  customerKeyMd5?: string;
}

/** What listing needs of an object, kept in memory per bucket. */
export interface ObjectSummary {
  key: string;
  size: number;
  etag: string;
  lastModified: number;
  storageClass: string;
  owner: Owner;
}

export interface NewObject extends ObjectHeaders, ObjectLock {
  userMetadata: Record<string, string>;
  tags?: Record<string, string>;
  sse?: ObjectEncryption;
  owner: Owner;
  acl?: AclGrant[];
  storageClass?: string;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
}

/** Verifies a body as it streams: called with the digests once all bytes are in, throws to reject. */
export interface BodyExpectations {
  /** Declared body length; fewer or more bytes → IncompleteBody / error. */
  contentLength?: number;
  /** Checksums to compute while streaming (the values, if known, are verified by `verify`). */
  checksumAlgorithms: ChecksumAlgorithm[];
  verify?: (computed: { md5: Buffer; checksums: Checksums; size: number }) => void | Promise<void>;
}

/** Runs after the body is safely on disk but before it becomes visible; throw to abandon the write. */
export type PreCommitCheck = (current: ObjectMeta | undefined) => void;

/**
 * Runs under the key's lock with the version a change or a removal is about to touch (a delete
 * marker included; undefined when there is none): throw to refuse it (Object Lock).
 */
export type VersionCheck = (target: ObjectMeta | undefined) => void;

export interface ListQuery {
  prefix: string;
  delimiter?: string;
  /** Exclusive lower bound (marker / start-after / continuation key). */
  after?: string;
  maxKeys: number;
}

export interface ListResult {
  contents: ObjectSummary[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned: where the next page starts (exclusive). */
  lastReturned?: string;
}

export interface VersionQuery {
  prefix: string;
  delimiter?: string;
  keyMarker?: string;
  versionIdMarker?: string;
  maxKeys: number;
}

/** One entry of ListObjectVersions: a version or a delete marker. */
export interface VersionEntry {
  meta: ObjectMeta;
  isLatest: boolean;
}

export interface VersionListResult {
  versions: VersionEntry[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
}

/** What a delete did: the version it removed or the delete marker it wrote. */
export interface DeleteOutcome {
  versionId?: string;
  deleteMarker?: boolean;
}

export interface ByteRange {
  start: number;
  end: number;
} // inclusive, like HTTP

export interface OpenedObject {
  meta: ObjectMeta;
  /** Stream of the selected range; the caller must consume or destroy it. */
  body: (range?: ByteRange) => Readable;
  /** The whole body, when opening the object already read it (small objects): no stream needed. */
  whole?: Buffer;
  close: () => Promise<void>;
}

export interface MultipartUpload {
  uploadId: string;
  key: string;
  initiated: number;
  object: NewObject;
  checksumAlgorithm?: ChecksumAlgorithm;
}

export interface PartInfo {
  partNumber: number;
  size: number;
  etag: string;
  lastModified: number;
  checksums: Checksums;
}

export interface CompletePart {
  partNumber: number;
  etag: string;
  checksums?: Checksums;
}

export interface Storage {
  readonly root: string;
  // Buckets
  listBuckets(): Promise<BucketInfo[]>;
  getBucket(name: string): Promise<BucketInfo | undefined>;
  /** The bucket and its configuration as held in memory now, without I/O (the per-request log path). */
  peekBucket(name: string): { info: BucketInfo; config: BucketConfig } | undefined;
  /** Current objects and their bytes per bucket, for buckets whose key index is in memory (no I/O). */
  bucketUsage(): { bucket: string; objects: number; bytes: number }[];
  createBucket(info: BucketInfo): Promise<'created' | 'exists'>;
  /** Throws BucketNotEmpty / NoSuchBucket. */
  deleteBucket(name: string): Promise<void>;
  getBucketConfig<K extends BucketConfigKind>(bucket: string, kind: K): Promise<BucketConfig[K] | undefined>;
  putBucketConfig<K extends BucketConfigKind>(
    bucket: string,
    kind: K,
    value: BucketConfig[K] | undefined,
  ): Promise<void>;
  // Objects
  putObject(
    bucket: string,
    key: string,
    body: Readable,
    object: NewObject,
    expect: BodyExpectations,
    check?: PreCommitCheck,
  ): Promise<ObjectMeta>;
  /** The current version (or the given one); never a delete marker. */
  headObject(bucket: string, key: string, versionId?: string): Promise<ObjectMeta | undefined>;
  /** Like headObject, but a delete marker is returned too (GET/HEAD/DELETE answer with its headers). */
  findVersion(bucket: string, key: string, versionId?: string): Promise<ObjectMeta | undefined>;
  openObject(bucket: string, key: string, versionId?: string): Promise<OpenedObject | undefined>;
  /**
   * Without a version id: removes the object (versioning never enabled) or writes a delete marker.
   * With one: removes that version (a later one, if any, becomes current), once `check` allows it.
   */
  deleteObject(bucket: string, key: string, versionId?: string, check?: VersionCheck): Promise<DeleteOutcome>;
  /**
   * Replaces an object version's ACL, tags or Object Lock settings, keeping its bytes and every
   * other piece of metadata, once `check` allows it.
   */
  updateObject(
    bucket: string,
    key: string,
    versionId: string | undefined,
    change: Partial<Pick<ObjectMeta, 'acl' | 'tags' | 'retention' | 'legalHold'>>,
    check?: VersionCheck,
  ): Promise<ObjectMeta | undefined>;
  listObjectVersions(bucket: string, query: VersionQuery): Promise<VersionListResult>;
  listObjects(bucket: string, query: ListQuery): Promise<ListResult>;
  isBucketEmpty(bucket: string): Promise<boolean>;
  // Multipart
  createMultipartUpload(
    bucket: string,
    key: string,
    object: NewObject,
    checksumAlgorithm?: ChecksumAlgorithm,
  ): Promise<MultipartUpload>;
  getMultipartUpload(bucket: string, uploadId: string): Promise<MultipartUpload | undefined>;
  putPart(
    bucket: string,
    uploadId: string,
    partNumber: number,
    body: Readable,
    expect: BodyExpectations,
  ): Promise<PartInfo>;
  listParts(bucket: string, uploadId: string): Promise<PartInfo[]>;
  /** Throws NoSuchUpload unless the upload exists (or was just completed) for this key. */
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: CompletePart[],
    check?: PreCommitCheck,
  ): Promise<ObjectMeta>;
  abortMultipartUpload(bucket: string, uploadId: string): Promise<void>;
  listMultipartUploads(bucket: string): Promise<MultipartUpload[]>;
  // Whole store
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The data directory cannot be used (another program's files, or a layout this version does not read). */
export class UnusableDataDirError extends Error {
  override readonly name = 'UnusableDataDirError';
}
