import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ExtraLogRecord, LoggedRequest } from '../../logging/index.js';
import type { BucketConfig, BucketInfo } from '../../storage/storage.js';
import { type Identity, IdentityTable } from './identity.js';

/**
 * Everything the access log needs to know about one request, filled in as the request passes:
 * created on its first byte, finished when the socket's response closes. Nothing re-derives a
 * field later. Times are hrtime (ns) relative to `startHr`, except `startTime` (epoch ms).
 */
export class RequestContext implements LoggedRequest {
  readonly startTime = Date.now();
  readonly startHr = process.hrtime.bigint();
  lastByteInHr?: bigint;
  firstByteOutHr?: bigint;
  endHr?: bigint;

  readonly remoteIp?: string;
  readonly host?: string;
  readonly requestLine: string;
  readonly referer?: string;
  readonly userAgent?: string;
  readonly tlsCipher?: string;
  readonly tlsVersion?: string;
  /** The body's Content-Length as sent (framing included), 0 without one: the metrics' bytes in. */
  readonly contentLength: number;

  operation = '';
  bucket?: string;
  key?: string;
  versionId?: string;

  identity?: Identity;
  signatureVersion?: 'SigV2' | 'SigV4';
  authType?: 'AuthHeader' | 'QueryString';
  aclRequired = false;

  status?: number;
  errorCode?: string;
  bytesSent = 0;
  objectSize?: number;
  /** True when the client went away before the response was complete. */
  aborted = false;
  deletedBucket?: { info: BucketInfo; config: BucketConfig };
  /** Set once the record went to the access log (before the last byte, or when the response closed). */
  recorded = false;
  /**
   * Hands the record to the access log now (set by the S3 scope); `then` (the response's last
   * byte) runs once the record is in the spool, and without `then` the record is written at once.
   */
  recordNow?: (then?: () => void) => void;
  /** The response's end waits for its record to be spooled (see `recordNow`). */
  endPending = false;
  readonly extraRecords: ExtraLogRecord[] = [];

  constructor(
    readonly requestId: string,
    readonly hostId: string,
    req: IncomingMessage,
  ) {
    this.remoteIp = req.socket.remoteAddress?.replace(/^::ffff:/, '');
    this.host = req.headers.host;
    this.requestLine = `${req.method} ${req.url} HTTP/${req.httpVersion}`;
    this.referer = req.headers.referer;
    this.userAgent = req.headers['user-agent'];
    this.contentLength = Number(req.headers['content-length']) || 0;
    const tls = req.socket as Partial<TLSSocket>;
    if (tls.encrypted && tls.getCipher) {
      this.tlsCipher = tls.getCipher().name;
      this.tlsVersion = tls.getProtocol?.() ?? undefined;
    }
  }

  get requester(): string | undefined {
    return this.identity && IdentityTable.requesterOf(this.identity);
  }

  markLastByteIn(): void {
    this.lastByteInHr ??= process.hrtime.bigint();
  }

  markFirstByteOut(): void {
    this.firstByteOutHr ??= process.hrtime.bigint();
  }
}
