import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { BucketInfo, MultipartUpload, ObjectMeta, Storage } from '../../storage/storage.js';
import type { ServerConfig } from '../config.js';
import type { RequestContext } from './context.js';
import type { PayloadProof } from '../signature/verify-request.js';
import type { Identity, IdentityTable } from './identity.js';

/** What every handler can reach besides its request. */
export interface Services {
  storage: Storage;
  config: ServerConfig;
  identities: IdentityTable;
  /** Delivers pending access-log records of one source bucket; returns the log object key written. */
  flushBucketLogs(bucket: string): Promise<string | undefined>;
}

export interface S3Request {
  ctx: RequestContext;
  raw: IncomingMessage;
  method: string;
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
  bucket?: string;
  key?: string;
  /** The operation's row: its log name, IAM action, extra log rows. */
  row: OperationRow;
  /** Found by the dispatcher when the row needs a bucket, an upload or an object. */
  bucketInfo?: BucketInfo;
  upload?: MultipartUpload;
  object?: ObjectMeta;
  /** The caller; undefined for anonymous requests. */
  identity?: Identity;
  services: Services;
  /** Sends `100 Continue` if the client waits for it: call before reading the body. */
  continueBody(): void;
  /** With signatures verified: what the body must still prove (payload hash, chunk signatures). */
  payloadProof?: PayloadProof;
}

export interface S3Response {
  status?: number;
  headers?: Record<string, string | number | undefined>;
  body?: string | Buffer | Readable;
  /** Length of a stream body (a string or Buffer body is measured). */
  contentLength?: number;
}

export type Handler = (req: S3Request) => Promise<S3Response>;

export const header = (req: S3Request, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** What the dispatcher finds before a handler runs; a handler never looks these up itself. */
export type Precondition =
  /** The bucket exists (else NoSuchBucket): `req.bucketInfo`. */
  | 'bucket'
  /** The bucket exists and `uploadId` names an upload of this key (else NoSuchUpload): `req.upload`. */
  | 'upload'
  /** The bucket and the object exist (else NoSuchKey): `req.object`. */
  | 'object';

/**
 * The ACL permission that lets a caller without ownership or a policy grant through, on the
 * bucket or on the object (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html).
 */
export type AclCheck = `${'bucket' | 'object'}:${'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP'}`;

/** Every fact about one S3 operation: one row of the operation table. */
export interface OperationRow {
  /** The access log's Operation field (reference §3). */
  log: string;
  /**
   * The IAM action a policy names for it, or undefined where none is checked (CORS preflights).
   * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
   */
  action?: `s3:${string}`;
  needs?: Precondition;
  acl?: AclCheck;
  /** The further IAM action needed when the request sets an ACL through headers (s3:PutObjectAcl). */
  aclHeaderAction?: `s3:${string}`;
  /** Authorized per key by the handler (DeleteObjects), not once for the request. */
  authorizedPerKey?: boolean;
  /** The Operation field of the extra records it writes (copy's source GET, per-key delete rows). */
  extraLog?: string;
  /** Unset: S3 has the operation, s3scribe does not yet (501 NotImplemented). */
  handler?: Handler;
}
