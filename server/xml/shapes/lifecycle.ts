// The LifecycleConfiguration document of PutBucketLifecycleConfiguration (and the older
// PutBucketLifecycle, whose rules carry a rule-level Prefix and one Transition):
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html,
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html
import { randomUUID } from 'node:crypto';
import { S3Error } from '../../../errors/s3-error.js';
import type { BucketConfig } from '../../../storage/storage.js';
import type { ParsedXml } from '../parse.js';
import type { XmlElement } from '../render.js';
import {
  boolField,
  enumField,
  expectRoot,
  fieldsOf,
  intField,
  many,
  one,
  onlyFields,
  requiredText,
  textField,
  type XmlFields,
} from './elements.js';

export type LifecycleRule = NonNullable<BucketConfig['lifecycle']>[number];
type Filter = NonNullable<LifecycleRule['filter']>;
type Tag = { key: string; value: string };

/** "A lifecycle configuration can have up to 1,000 rules." */
export const MAX_LIFECYCLE_RULES = 1000;
const STATUSES = ['Enabled', 'Disabled'] as const;
const TRANSITION_CLASSES = [
  'GLACIER',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
];

// The messages below are S3's as other S3 implementations reproduce them (Apache Ozone, OpenS3,
// LocalStack's AWS-validated tests); ceph/s3-tests checks the codes (test_lifecycle_id_too_long,
// _same_id, _invalid_status, _expiration_days0, _set_invalid_date).
const malformed = (): S3Error => new S3Error('MalformedXML');
const invalidArgument = (message: string, details: Record<string, string> = {}): S3Error =>
  new S3Error('InvalidArgument', details, message);
const invalidRequest = (message: string): S3Error => new S3Error('InvalidRequest', {}, message);

function section(fields: XmlFields, name: string): XmlFields | undefined {
  const value = one(fields, name);
  return value === undefined ? undefined : fieldsOf(value);
}

/**
 * A lifecycle Date: an ISO 8601 date or date-time at midnight UTC, returned as S3 gives it back
 * (`2017-09-27T00:00:00.000Z`). A time other than midnight is InvalidArgument; text that is no date
 * does not validate against the schema.
 */
function lifecycleDate(text: string): string {
  const trimmed = text.trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(trimmed);
  const ms = m ? Date.parse(m[2] ? `${m[1]}T${m[2]}${m[3] ?? 'Z'}` : `${m[1]}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw malformed();
  if (ms % 86_400_000 !== 0)
    throw invalidArgument("'Date' must be at midnight GMT", { ArgumentName: 'Date', ArgumentValue: trimmed });
  return new Date(ms).toISOString();
}

function tagFrom(value: unknown): Tag {
  const fields = fieldsOf(value);
  onlyFields(fields, ['Key', 'Value']);
  const tag = { key: requiredText(fields, 'Key'), value: requiredText(fields, 'Value') };
  if (tag.key.length < 1 || tag.key.length > 128 || tag.value.length > 256)
    throw invalidArgument('The TagKey you have provided is invalid', { ArgumentName: 'Tag', ArgumentValue: tag.key });
  return tag;
}

function checkSizes(greater: number | undefined, less: number | undefined): void {
  if (greater !== undefined && greater < 0)
    throw invalidArgument("'ObjectSizeGreaterThan' must be a non-negative integer");
  if (less !== undefined && less <= 0) throw invalidArgument("'ObjectSizeLessThan' must be a positive integer");
  if (greater !== undefined && less !== undefined && greater >= less)
    throw invalidArgument("'ObjectSizeGreaterThan' must be less than 'ObjectSizeLessThan'");
}

/** A Filter: empty (every object) or exactly one predicate, several only inside And. */
function filterFrom(fields: XmlFields): Filter {
  onlyFields(fields, ['Prefix', 'Tag', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan', 'And']);
  const predicates = Object.keys(fields).filter((k) => k !== '$' && k !== '_');
  if (predicates.length > 1) throw malformed();
  const tag = one(fields, 'Tag');
  const filter: Filter = {
    prefix: textField(fields, 'Prefix'),
    tag: tag === undefined ? undefined : tagFrom(tag),
    objectSizeGreaterThan: intField(fields, 'ObjectSizeGreaterThan'),
    objectSizeLessThan: intField(fields, 'ObjectSizeLessThan'),
  };
  checkSizes(filter.objectSizeGreaterThan, filter.objectSizeLessThan);
  const and = section(fields, 'And');
  if (and) {
    onlyFields(and, ['Prefix', 'Tag', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan']);
    const tags = many(and, 'Tag').map(tagFrom);
    const keys = new Set(tags.map((t) => t.key));
    if (keys.size !== tags.length) throw invalidRequest('Duplicate Tag Keys are not allowed.');
    filter.and = {
      prefix: textField(and, 'Prefix'),
      tags,
      objectSizeGreaterThan: intField(and, 'ObjectSizeGreaterThan'),
      objectSizeLessThan: intField(and, 'ObjectSizeLessThan'),
    };
    if (Object.keys(and).filter((k) => k !== '$' && k !== '_').length === 0) throw malformed();
    checkSizes(filter.and.objectSizeGreaterThan, filter.and.objectSizeLessThan);
  }
  return filter;
}

function expirationFrom(fields: XmlFields, withTags: boolean): NonNullable<LifecycleRule['expiration']> {
  onlyFields(fields, ['Days', 'Date', 'ExpiredObjectDeleteMarker']);
  const days = intField(fields, 'Days');
  const date = textField(fields, 'Date');
  const marker = boolField(fields, 'ExpiredObjectDeleteMarker');
  // Exactly one of the three.
  if ([days, date, marker].filter((v) => v !== undefined).length !== 1) throw malformed();
  if (days !== undefined && days <= 0) throw invalidArgument("'Days' for Expiration action must be a positive integer");
  if (marker !== undefined && withTags) throw invalidRequest('ExpiredObjectDeleteMarker cannot be specified with tags');
  return { days, date: date === undefined ? undefined : lifecycleDate(date), expiredObjectDeleteMarker: marker };
}

function transitionFrom(value: unknown): NonNullable<LifecycleRule['transitions']>[number] {
  const fields = fieldsOf(value);
  onlyFields(fields, ['Days', 'Date', 'StorageClass']);
  const storageClass = requiredText(fields, 'StorageClass');
  if (!TRANSITION_CLASSES.includes(storageClass)) throw malformed();
  const days = intField(fields, 'Days');
  const date = textField(fields, 'Date');
  if ((days === undefined) === (date === undefined)) throw malformed();
  if (days !== undefined && days < 0)
    throw invalidArgument("'Days' in Transition action must be a non-negative integer");
  // S3 keeps objects in STANDARD_IA / ONEZONE_IA no sooner than 30 days after creation.
  if (days !== undefined && days < 30 && (storageClass === 'STANDARD_IA' || storageClass === 'ONEZONE_IA'))
    throw invalidArgument(
      `'Days' in Transition action must be greater than or equal to 30 for storageClass '${storageClass}'`,
    );
  return { days, date: date === undefined ? undefined : lifecycleDate(date), storageClass };
}

function noncurrentTransitionFrom(value: unknown): NonNullable<LifecycleRule['noncurrentVersionTransitions']>[number] {
  const fields = fieldsOf(value);
  onlyFields(fields, ['NoncurrentDays', 'NewerNoncurrentVersions', 'StorageClass']);
  const storageClass = requiredText(fields, 'StorageClass');
  if (!TRANSITION_CLASSES.includes(storageClass)) throw malformed();
  const noncurrentDays = intField(fields, 'NoncurrentDays');
  const newerNoncurrentVersions = intField(fields, 'NewerNoncurrentVersions');
  if (noncurrentDays !== undefined && noncurrentDays < 0)
    throw invalidArgument("'NoncurrentDays' for NoncurrentVersionTransition action must be a non-negative integer");
  if (newerNoncurrentVersions !== undefined && (newerNoncurrentVersions < 1 || newerNoncurrentVersions > 100))
    throw invalidArgument("'NewerNoncurrentVersions' for NoncurrentVersionTransition action must be between 1 and 100");
  return { noncurrentDays, newerNoncurrentVersions, storageClass };
}

function checkTransitions(rule: LifecycleRule): void {
  const transitions = rule.transitions ?? [];
  const classes = new Set(transitions.map((t) => t.storageClass));
  if (classes.size !== transitions.length)
    throw invalidRequest("'StorageClass' must be different for 'Transition' actions in same 'Rule'");
  const byDays = transitions.filter((t) => t.days !== undefined);
  const byDate = transitions.filter((t) => t.date !== undefined);
  if (byDays.length && byDate.length)
    throw invalidRequest("Found mixed 'Date' and 'Days' based Transition actions in lifecycle rule");
  const e = rule.expiration;
  if (e && transitions.length) {
    if ((e.days !== undefined && byDate.length) || (e.date !== undefined && byDays.length))
      throw invalidRequest("Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule");
    if (e.days !== undefined && byDays.some((t) => t.days! >= e.days!))
      throw invalidArgument(
        "'Days' in the Expiration action for filter must be greater than 'Days' in the Transition action",
      );
    if (e.date !== undefined && byDate.some((t) => t.date! >= e.date!))
      throw invalidArgument(
        "'Date' in the Expiration action for filter must be later than 'Date' in the Transition action",
      );
  }
  const noncurrent = rule.noncurrentVersionTransitions ?? [];
  if (new Set(noncurrent.map((t) => t.storageClass)).size !== noncurrent.length)
    throw invalidRequest("'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same 'Rule'");
  const expiry = rule.noncurrentVersionExpiration?.noncurrentDays;
  if (expiry !== undefined && noncurrent.some((t) => t.noncurrentDays !== undefined && t.noncurrentDays >= expiry))
    throw invalidArgument(
      "'NoncurrentDays' in the NoncurrentVersionExpiration action must be greater than 'NoncurrentDays' in the NoncurrentVersionTransition action",
    );
}

function ruleFrom(value: unknown): LifecycleRule {
  const fields = fieldsOf(value);
  onlyFields(fields, [
    'ID',
    'Prefix',
    'Filter',
    'Status',
    'Expiration',
    'Transition',
    'NoncurrentVersionTransition',
    'NoncurrentVersionExpiration',
    'AbortIncompleteMultipartUpload',
  ]);
  const status = enumField(fields, 'Status', STATUSES);
  if (status === undefined) throw malformed();
  const id = textField(fields, 'ID');
  if (id !== undefined && id.length > 255) throw invalidArgument('ID length should not exceed allowed limit of 255');
  const prefix = textField(fields, 'Prefix');
  const filterFields = section(fields, 'Filter');
  // The rule-level Prefix (the older API) and Filter exclude each other; one of them is required.
  if ((prefix === undefined) === (filterFields === undefined)) throw malformed();
  const filter = filterFields && filterFrom(filterFields);
  const withTags = filter !== undefined && (filter.tag !== undefined || (filter.and?.tags.length ?? 0) > 0);
  const expiration = section(fields, 'Expiration');
  const noncurrentExpiration = section(fields, 'NoncurrentVersionExpiration');
  const abort = section(fields, 'AbortIncompleteMultipartUpload');
  const rule: LifecycleRule = {
    // S3 names a rule sent without an ID (test_lifecycle_get_no_id expects one back).
    id: id || Buffer.from(randomUUID()).toString('base64'),
    status,
    prefix,
    filter,
    expiration: expiration && expirationFrom(expiration, withTags),
    transitions: many(fields, 'Transition').map(transitionFrom),
    noncurrentVersionTransitions: many(fields, 'NoncurrentVersionTransition').map(noncurrentTransitionFrom),
  };
  if (noncurrentExpiration) {
    onlyFields(noncurrentExpiration, ['NoncurrentDays', 'NewerNoncurrentVersions']);
    const noncurrentDays = intField(noncurrentExpiration, 'NoncurrentDays');
    const newerNoncurrentVersions = intField(noncurrentExpiration, 'NewerNoncurrentVersions');
    if (noncurrentDays === undefined && newerNoncurrentVersions === undefined) throw malformed();
    if (noncurrentDays !== undefined && noncurrentDays <= 0)
      throw invalidArgument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
    if (newerNoncurrentVersions !== undefined && (newerNoncurrentVersions < 1 || newerNoncurrentVersions > 100))
      throw invalidArgument(
        "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be between 1 and 100",
      );
    rule.noncurrentVersionExpiration = { noncurrentDays, newerNoncurrentVersions };
  }
  if (abort) {
    onlyFields(abort, ['DaysAfterInitiation']);
    const daysAfterInitiation = intField(abort, 'DaysAfterInitiation');
    if (daysAfterInitiation === undefined) throw malformed();
    if (daysAfterInitiation <= 0)
      throw invalidArgument(
        "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
      );
    if (withTags) throw invalidRequest('AbortIncompleteMultipartUpload cannot be specified with Tags.');
    rule.abortIncompleteMultipartUpload = { daysAfterInitiation };
  }
  if (!rule.transitions?.length) delete rule.transitions;
  if (!rule.noncurrentVersionTransitions?.length) delete rule.noncurrentVersionTransitions;
  if (
    !rule.expiration &&
    !rule.transitions &&
    !rule.noncurrentVersionTransitions &&
    !rule.noncurrentVersionExpiration &&
    !rule.abortIncompleteMultipartUpload
  )
    throw invalidRequest('At least one action needs to be specified in a rule');
  checkTransitions(rule);
  return rule;
}

export function lifecycleRulesFrom(root: string, body: ParsedXml): LifecycleRule[] {
  expectRoot(root, 'LifecycleConfiguration');
  onlyFields(body, ['Rule']);
  const list = many(body, 'Rule');
  if (list.length === 0 || list.length > MAX_LIFECYCLE_RULES) throw malformed();
  const rules = list.map(ruleFrom);
  const ids = new Set<string>();
  for (const rule of rules) {
    if (ids.has(rule.id)) throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule');
    ids.add(rule.id);
  }
  return rules;
}

const tagXml = (t: Tag): XmlElement => ({ Key: t.key, Value: t.value });

function filterXml(f: Filter): XmlElement {
  return {
    Prefix: f.prefix,
    Tag: f.tag && tagXml(f.tag),
    ObjectSizeGreaterThan: f.objectSizeGreaterThan,
    ObjectSizeLessThan: f.objectSizeLessThan,
    And: f.and && {
      Prefix: f.and.prefix,
      Tag: f.and.tags.map(tagXml),
      ObjectSizeGreaterThan: f.and.objectSizeGreaterThan,
      ObjectSizeLessThan: f.and.objectSizeLessThan,
    },
  };
}

/** GetBucketLifecycleConfiguration: each rule as sent, with a rule-level Prefix kept as such. */
export const lifecycleXml = (rules: readonly LifecycleRule[]): XmlElement => ({
  Rule: rules.map((r) => ({
    ID: r.id,
    Filter: r.filter && filterXml(r.filter),
    Prefix: r.prefix,
    Status: r.status,
    Transition: r.transitions?.map((t) => ({ Date: t.date, Days: t.days, StorageClass: t.storageClass })),
    NoncurrentVersionTransition: r.noncurrentVersionTransitions?.map((t) => ({
      NoncurrentDays: t.noncurrentDays,
      StorageClass: t.storageClass,
      NewerNoncurrentVersions: t.newerNoncurrentVersions,
    })),
    Expiration: r.expiration && {
      Date: r.expiration.date,
      Days: r.expiration.days,
      ExpiredObjectDeleteMarker: r.expiration.expiredObjectDeleteMarker,
    },
    NoncurrentVersionExpiration: r.noncurrentVersionExpiration && {
      NoncurrentDays: r.noncurrentVersionExpiration.noncurrentDays,
      NewerNoncurrentVersions: r.noncurrentVersionExpiration.newerNoncurrentVersions,
    },
    AbortIncompleteMultipartUpload: r.abortIncompleteMultipartUpload && {
      DaysAfterInitiation: r.abortIncompleteMultipartUpload.daysAfterInitiation,
    },
  })),
});
