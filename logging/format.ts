import { encodeLogKey } from './key-encoding.js';
import { isBatchOperation, type AccessLogFieldSet, type AccessLogRecord } from './record.js';

/**
 * Renders one access log record as AWS writes it (reference §1, §2). Runs once per request, so
 * it avoids Intl, Date string methods and per-field regexes: each field is a charCode scan that
 * only allocates when something has to be replaced.
 */

// English whatever the host locale (§9.10).
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

let cachedSecond = Number.NaN;
let cachedTime = '';

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/**
 * `[06/Feb/2019:00:00:38 +0000]`: UTC, so the offset is always `+0000` (§1 field 3, §9.10).
 * Requests cluster within the same second, so the last rendering is reused.
 */
export function formatLogTime(time: number): string {
  // A broken clock value must not produce `[NaN/undefined/NaN…]` and shift the fields.
  if (!Number.isFinite(time)) return '-';
  const second = Math.floor(time / 1000);
  if (second === cachedSecond) return cachedTime;
  const d = new Date(second * 1000);
  cachedTime =
    '[' +
    pad2(d.getUTCDate()) +
    '/' +
    MONTHS[d.getUTCMonth()] +
    '/' +
    d.getUTCFullYear() +
    ':' +
    pad2(d.getUTCHours()) +
    ':' +
    pad2(d.getUTCMinutes()) +
    ':' +
    pad2(d.getUTCSeconds()) +
    ' +0000]';
  cachedSecond = second;
  return cachedTime;
}

function percent(c: number): string {
  return '%' + (c < 16 ? '0' : '') + c.toString(16).toUpperCase();
}

/**
 * Unquoted field. Fields are split on single spaces (§2.1), so a space or control character
 * (e.g. a decoded `versionId=a%20b` query value, a `Host` with a tab) would shift every later
 * field: those are percent-encoded. Empty or absent is `-` (§1).
 */
function plain(value: string | undefined): string {
  if (value === undefined || value === '') return '-';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return encodeBreaking(value, i, true);
  }
  return value;
}

/**
 * Quoted field (Request-URI, Referer, User-Agent): written raw, embedded `"` included, as AWS
 * does (§2.2, §9.1). CR/LF cannot arrive in a valid HTTP/1.1 request line or header, but a
 * record must stay on one line for every line-based reader, so they are percent-encoded too.
 */
function quoted(value: string | undefined): string {
  if (value === undefined || value === '') return '"-"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return '"' + encodeBreaking(value, i, false) + '"';
  }
  return '"' + value + '"';
}

/** Slow path of `plain`/`quoted`, from the first offending character on. */
function encodeBreaking(value: string, from: number, unquoted: boolean): string {
  let out = value.slice(0, from);
  for (let i = from; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const breaks = unquoted ? c <= 0x20 || c === 0x7f : c === 0x0a || c === 0x0d;
    out += breaks ? percent(c) : value[i];
  }
  return out;
}

/** Non-negative integer or `-`; fractional milliseconds are floored (§10). */
function count(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n) || n < 0) return '-';
  return String(Math.floor(n));
}

/** Bytes Sent is `-` when zero, never `0` (§1 field 12, §2.3). */
function bytes(n: number | undefined): string {
  if (n === undefined || !(n >= 1)) return '-';
  return String(Math.floor(n));
}

function status(n: number | undefined): string {
  return n !== undefined && Number.isInteger(n) && n >= 100 && n <= 999 ? String(n) : '-';
}

/** One record, newline-terminated: 26 fields, or 27 (Region last) with `latest`. */
export function formatRecord(record: AccessLogRecord, fieldSet: AccessLogFieldSet = 'default'): string {
  const batch = isBatchOperation(record.operation);
  // BATCH.DELETE.OBJECT rows share the POST's request but AWS writes these three as bare `-`,
  // not `"-"` ([REAL21], §3 "Multi-record requests").
  const requestUri = batch ? '-' : quoted(record.requestUri);
  const referer = batch ? '-' : quoted(record.referer);
  const userAgent = batch ? '-' : quoted(record.userAgent);
  const key = record.key === undefined || record.key === '' ? '-' : encodeLogKey(record.key, record.operation);
  const line =
    plain(record.bucketOwner) +
    ' ' + // 1
    plain(record.bucket) +
    ' ' + // 2
    formatLogTime(record.time) +
    ' ' + // 3
    plain(record.remoteIp) +
    ' ' + // 4
    plain(record.requester) +
    ' ' + // 5
    plain(record.requestId) +
    ' ' + // 6
    plain(record.operation) +
    ' ' + // 7
    key +
    ' ' + // 8
    requestUri +
    ' ' + // 9
    status(record.httpStatus) +
    ' ' + // 10
    plain(record.errorCode) +
    ' ' + // 11
    bytes(record.bytesSent) +
    ' ' + // 12
    count(record.objectSize) +
    ' ' + // 13
    count(record.totalTimeMs) +
    ' ' + // 14
    count(record.turnAroundTimeMs) +
    ' ' + // 15
    referer +
    ' ' + // 16
    userAgent +
    ' ' + // 17
    plain(record.versionId) +
    ' ' + // 18
    plain(record.hostId) +
    ' ' + // 19
    plain(record.signatureVersion) +
    ' ' + // 20
    plain(record.cipherSuite) +
    ' ' + // 21
    plain(record.authType) +
    ' ' + // 22
    plain(record.hostHeader) +
    ' ' + // 23
    plain(record.tlsVersion) +
    ' ' + // 24
    plain(record.accessPointArn) +
    ' ' + // 25
    (record.aclRequired === true ? 'Yes' : '-'); // 26
  // Field 27 only on request: ceph/s3-tests fails every logging test on a 27th field (§8, §10).
  return fieldSet === 'latest' ? line + ' ' + plain(record.region) + '\n' : line + '\n';
}
