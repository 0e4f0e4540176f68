import type { LoggedRequest } from './logged-request.js';
import type { AccessLogRecord } from './record.js';

const ms = (from: bigint | undefined, to: bigint | undefined): number | undefined =>
  from === undefined || to === undefined || to < from ? undefined : Number((to - from) / 1_000_000n);

/**
 * The records AWS writes for one request: the request's own, then any extra rows (the source GET
 * of a copy, one BATCH.DELETE.OBJECT per key of a DeleteObjects), all sharing its request id.
 * `ownerOf` gives a bucket's owner canonical id, or undefined for a bucket that does not exist.
 */
export function recordsFromContext(
  ctx: LoggedRequest,
  ownerOf: (bucket: string) => string | undefined,
  region: string,
): AccessLogRecord[] {
  const base: AccessLogRecord = {
    bucketOwner: ownerOf(ctx.bucket!) ?? '-',
    bucket: ctx.bucket!,
    time: ctx.startTime,
    remoteIp: ctx.remoteIp,
    requester: ctx.requester,
    requestId: ctx.requestId,
    operation: ctx.operation,
    key: ctx.key,
    requestUri: ctx.requestLine,
    httpStatus: ctx.status,
    errorCode: ctx.errorCode,
    bytesSent: ctx.bytesSent,
    objectSize: ctx.objectSize,
    totalTimeMs: ms(ctx.startHr, ctx.endHr),
    turnAroundTimeMs: ms(ctx.lastByteInHr, ctx.firstByteOutHr),
    referer: ctx.referer,
    userAgent: ctx.userAgent,
    versionId: ctx.versionId,
    hostId: ctx.hostId,
    signatureVersion: ctx.signatureVersion,
    cipherSuite: ctx.tlsCipher,
    authType: ctx.authType,
    hostHeader: ctx.host,
    tlsVersion: ctx.tlsVersion,
    aclRequired: ctx.aclRequired,
    region,
  };
  const records = [base];
  for (const extra of ctx.extraRecords) {
    const row: AccessLogRecord = {
      ...base,
      bucketOwner: ownerOf(extra.bucket) ?? '-',
      bucket: extra.bucket,
      operation: extra.operation,
      key: extra.key,
      versionId: extra.versionId,
      httpStatus: extra.httpStatus,
      errorCode: extra.errorCode,
      objectSize: extra.objectSize,
    };
    if (extra.batch) {
      // BATCH rows carry no URI, referer, user agent, byte counts or times (reference §3).
      Object.assign(row, {
        requestUri: undefined,
        referer: undefined,
        userAgent: undefined,
        bytesSent: undefined,
        objectSize: undefined,
        totalTimeMs: undefined,
        turnAroundTimeMs: undefined,
      });
    } else {
      // The source side of a copy sends no body to the client.
      row.bytesSent = undefined;
    }
    records.push(row);
  }
  return records;
}
