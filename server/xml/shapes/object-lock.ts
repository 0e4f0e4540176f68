// The Object Lock documents: ObjectLockConfiguration (bucket), Retention and LegalHold (version).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ObjectLockConfiguration.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ObjectLockRetention.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ObjectLockLegalHold.html
import { S3Error } from '../../../errors/s3-error.js';
import type {
  BucketConfig,
  DefaultRetention,
  LegalHoldStatus,
  ObjectRetention,
  RetentionMode,
} from '../../../storage/storage.js';
import { LEGAL_HOLD_STATUSES, RETENTION_MODES, retainUntilFrom } from '../../protocol/object-lock.js';
import type { ParsedXml } from '../parse.js';
import type { XmlElement } from '../render.js';
import { enumField, expectRoot, fieldsOf, intField, one, onlyFields, textField } from './elements.js';

export type ObjectLockConfig = NonNullable<BucketConfig['objectLock']>;

const malformed = (): S3Error => new S3Error('MalformedXML');

/**
 * ObjectLockEnabled must say Enabled (Object Lock is never turned off); a Rule holds one
 * DefaultRetention with a Mode and exactly one of Days and Years. Anything else is MalformedXML,
 * except a period that is not positive: InvalidRetentionPeriod (ceph/s3-tests
 * test_object_lock_put_obj_lock_invalid_days).
 */
export function objectLockConfigFrom(root: string, body: ParsedXml): ObjectLockConfig {
  expectRoot(root, 'ObjectLockConfiguration');
  onlyFields(body, ['ObjectLockEnabled', 'Rule']);
  if (enumField(body, 'ObjectLockEnabled', ['Enabled']) === undefined) throw malformed();
  const ruleValue = one(body, 'Rule');
  if (ruleValue === undefined) return {};
  const rule = fieldsOf(ruleValue);
  onlyFields(rule, ['DefaultRetention']);
  const retentionValue = one(rule, 'DefaultRetention');
  if (retentionValue === undefined) throw malformed();
  const retention = fieldsOf(retentionValue);
  onlyFields(retention, ['Mode', 'Days', 'Years']);
  const mode = enumField(retention, 'Mode', RETENTION_MODES);
  const days = intField(retention, 'Days');
  const years = intField(retention, 'Years');
  if (mode === undefined || (days === undefined) === (years === undefined)) throw malformed();
  const period = days ?? years!;
  if (period <= 0) throw new S3Error('InvalidRetentionPeriod');
  return { rule: days !== undefined ? { mode, days } : { mode, years } };
}

export function objectLockConfigXml(config: ObjectLockConfig): XmlElement {
  const r: DefaultRetention | undefined = config.rule;
  return {
    ObjectLockEnabled: 'Enabled',
    Rule: r && { DefaultRetention: { Mode: r.mode, Days: r.days, Years: r.years } },
  };
}

/**
 * A Retention document: Mode and RetainUntilDate together (a future date), or neither, which
 * removes the retention.
 */
export function retentionFrom(root: string, body: ParsedXml, now: number): ObjectRetention | undefined {
  expectRoot(root, 'Retention');
  onlyFields(body, ['Mode', 'RetainUntilDate']);
  const mode = enumField(body, 'Mode', RETENTION_MODES) as RetentionMode | undefined;
  const until = textField(body, 'RetainUntilDate');
  if (mode === undefined && until === undefined) return undefined;
  if (mode === undefined || until === undefined) throw malformed();
  return { mode, retainUntil: retainUntilFrom(until, now, 'RetainUntilDate') };
}

export const retentionXml = (r: ObjectRetention): XmlElement => ({ Mode: r.mode, RetainUntilDate: r.retainUntil });

/** A LegalHold document: Status ON or OFF. */
export function legalHoldFrom(root: string, body: ParsedXml): LegalHoldStatus {
  expectRoot(root, 'LegalHold');
  onlyFields(body, ['Status']);
  const status = enumField(body, 'Status', LEGAL_HOLD_STATUSES);
  if (status === undefined) throw malformed();
  return status;
}

export const legalHoldXml = (status: LegalHoldStatus): XmlElement => ({ Status: status });
