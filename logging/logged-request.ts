import type { BucketConfig, BucketInfo } from '../storage/storage.js';

/**
 * What the access log needs to know about one finished request. `logging/` declares it and the
 * server's request context satisfies it, so the log pipeline never reaches into the server.
 * Times are hrtime (ns), except `startTime` (epoch ms).
 */
export interface LoggedRequest {
  readonly requestId: string;
  readonly hostId: string;
  readonly startTime: number;
  readonly startHr: bigint;
  readonly lastByteInHr?: bigint;
  readonly firstByteOutHr?: bigint;
  readonly endHr?: bigint;
  readonly remoteIp?: string;
  readonly host?: string;
  readonly requestLine: string;
  readonly referer?: string;
  readonly userAgent?: string;
  readonly tlsCipher?: string;
  readonly tlsVersion?: string;
  /** The access log's Operation field (`REST.GET.OBJECT`, ...). */
  readonly operation: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly versionId?: string;
  /** The Requester field, already resolved: canonical id for root credentials, else the ARN. */
  readonly requester?: string;
  readonly signatureVersion?: 'SigV2' | 'SigV4';
  readonly authType?: 'AuthHeader' | 'QueryString';
  readonly aclRequired: boolean;
  readonly status?: number;
  readonly errorCode?: string;
  readonly bytesSent: number;
  readonly objectSize?: number;
  readonly extraRecords: readonly ExtraLogRecord[];
  /** The bucket as it was before the request deleted it (DeleteBucket is logged where it logged). */
  readonly deletedBucket?: { info: BucketInfo; config: BucketConfig };
}

/** A record AWS writes besides the request's own (CopyObject's source GET, DeleteObjects' per-key rows). */
export interface ExtraLogRecord {
  operation: string;
  bucket: string;
  key?: string;
  versionId?: string;
  httpStatus?: number;
  errorCode?: string;
  objectSize?: number;
  /** BATCH rows carry none of the request's own URI, referer, user agent, byte counts or times. */
  batch?: boolean;
}
