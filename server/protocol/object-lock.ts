// S3 Object Lock rules that need no request: the write headers, the default retention, whether a
// version is protected and whether a retention may be replaced.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
import { S3Error } from '../../errors/s3-error.js';
import type {
  DefaultRetention,
  LegalHoldStatus,
  ObjectLock,
  ObjectMeta,
  ObjectRetention,
  RetentionMode,
} from '../../storage/storage.js';

type Headers = Record<string, string | string[] | undefined>;

export const RETENTION_MODES: readonly RetentionMode[] = ['GOVERNANCE', 'COMPLIANCE'];
export const LEGAL_HOLD_STATUSES: readonly LegalHoldStatus[] = ['ON', 'OFF'];

const ISO_8601 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/;

/** An ISO 8601 date-time (any fraction, Z or an offset) as epoch milliseconds; undefined otherwise. */
export function parseIsoTimestamp(text: string): number | undefined {
  const m = ISO_8601.exec(text.trim());
  if (!m) return undefined;
  // Date.parse reads three fraction digits at most: SDKs send up to six (Python's microseconds).
  const fraction = (m[2] ?? '').slice(0, 3).padEnd(3, '0');
  const zone = m[3] === 'Z' ? 'Z' : m[3]!.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${m[1]}.${fraction}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

const one = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** A retain-until date of a request: in ISO 8601 and in the future, as S3 insists. */
export function retainUntilFrom(text: string, now: number, argumentName: string): string {
  const ms = parseIsoTimestamp(text);
  if (ms === undefined)
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: argumentName, ArgumentValue: text },
      'The retain until date must be provided in ISO 8601 format',
    );
  if (ms <= now)
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: argumentName, ArgumentValue: text },
      'The retain until date must be in the future!',
    );
  return new Date(ms).toISOString();
}

/** True when a write names any Object Lock setting by header. */
export const hasLockHeaders = (h: Headers): boolean =>
  h['x-amz-object-lock-mode'] !== undefined ||
  h['x-amz-object-lock-retain-until-date'] !== undefined ||
  h['x-amz-object-lock-legal-hold'] !== undefined;

/**
 * The Object Lock settings a PutObject, CopyObject or CreateMultipartUpload names by header
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#API_PutObject_RequestSyntax):
 * mode and retain-until date go together; the legal hold stands alone.
 */
export function lockFromHeaders(h: Headers, now: number): ObjectLock {
  const mode = one(h, 'x-amz-object-lock-mode');
  const until = one(h, 'x-amz-object-lock-retain-until-date');
  const hold = one(h, 'x-amz-object-lock-legal-hold');
  const lock: ObjectLock = {};
  if ((mode === undefined) !== (until === undefined))
    throw new S3Error(
      'InvalidArgument',
      {},
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
    );
  if (mode !== undefined && until !== undefined) {
    if (!RETENTION_MODES.includes(mode as RetentionMode))
      throw new S3Error(
        'InvalidArgument',
        { ArgumentName: 'x-amz-object-lock-mode', ArgumentValue: mode },
        'Unknown wormMode directive.',
      );
    lock.retention = {
      mode: mode as RetentionMode,
      retainUntil: retainUntilFrom(until, now, 'x-amz-object-lock-retain-until-date'),
    };
  }
  if (hold !== undefined) {
    if (!LEGAL_HOLD_STATUSES.includes(hold as LegalHoldStatus))
      throw new S3Error(
        'InvalidArgument',
        { ArgumentName: 'x-amz-object-lock-legal-hold', ArgumentValue: hold },
        "Legal Hold must be either of 'ON' or 'OFF'",
      );
    lock.legalHold = hold as LegalHoldStatus;
  }
  return lock;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The retention a bucket's default rule gives a version created at `now` (Years as calendar years). */
export function defaultRetentionAt(rule: DefaultRetention, now: number): ObjectRetention {
  const until = new Date(now + (rule.days ?? 0) * DAY_MS);
  if (rule.years) until.setUTCFullYear(until.getUTCFullYear() + rule.years);
  return { mode: rule.mode, retainUntil: until.toISOString() };
}

/** A retention still in force at `now`. */
export const retentionActive = (r: ObjectRetention | undefined, now: number): r is ObjectRetention =>
  r !== undefined && Date.parse(r.retainUntil) > now;

/**
 * Whether Object Lock forbids removing this version now: a legal hold always does, an unexpired
 * COMPLIANCE retention always does, an unexpired GOVERNANCE retention unless the caller bypasses it.
 * Delete markers are never locked.
 */
export function isLocked(meta: ObjectLock & Pick<ObjectMeta, 'deleteMarker'>, now: number, bypass = false): boolean {
  if (meta.deleteMarker) return false;
  if (meta.legalHold === 'ON') return true;
  if (!retentionActive(meta.retention, now)) return false;
  return meta.retention.mode === 'COMPLIANCE' || !bypass;
}

/**
 * What replacing an active retention takes: keeping its mode and not shortening it is always
 * allowed; anything else (shorter, another mode, removal) needs the governance bypass in
 * GOVERNANCE mode and is refused in COMPLIANCE mode
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-retention-modes).
 */
export function retentionChange(
  current: ObjectRetention | undefined,
  next: ObjectRetention | undefined,
  now: number,
): 'allowed' | 'bypass' | 'refused' {
  if (!retentionActive(current, now)) return 'allowed';
  if (next && next.mode === current.mode && Date.parse(next.retainUntil) >= Date.parse(current.retainUntil))
    return 'allowed';
  return current.mode === 'COMPLIANCE' ? 'refused' : 'bypass';
}

/** The x-amz-object-lock-* headers of GET and HEAD for a version's settings. */
export function lockResponseHeaders(meta: ObjectLock): Record<string, string> {
  const out: Record<string, string> = {};
  if (meta.retention) {
    out['x-amz-object-lock-mode'] = meta.retention.mode;
    out['x-amz-object-lock-retain-until-date'] = meta.retention.retainUntil;
  }
  if (meta.legalHold) out['x-amz-object-lock-legal-hold'] = meta.legalHold;
  return out;
}
