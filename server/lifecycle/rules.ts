import type { BucketConfig, ObjectMeta } from '../../storage/storage.js';

export type LifecycleRule = NonNullable<BucketConfig['lifecycle']>[number];

/**
 * Whether a rule's filter selects an object: prefix, tags (all must match) and size bounds
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-filters.html).
 */
export function ruleSelects(rule: LifecycleRule, object: Pick<ObjectMeta, 'key' | 'size' | 'tags'>): boolean {
  const f = rule.filter;
  const and = f?.and;
  const prefix = rule.prefix || f?.prefix || and?.prefix || '';
  if (!object.key.startsWith(prefix)) return false;
  const tags = [...(f?.tag ? [f.tag] : []), ...(and?.tags ?? [])];
  if (tags.some((t) => object.tags?.[t.key] !== t.value)) return false;
  const greater = f?.objectSizeGreaterThan ?? and?.objectSizeGreaterThan;
  const less = f?.objectSizeLessThan ?? and?.objectSizeLessThan;
  if (greater !== undefined && !(object.size > greater)) return false;
  if (less !== undefined && !(object.size < less)) return false;
  return true;
}

/** Whether a rule's filter needs an object's tags (read from its metadata; listings lack them). */
export const needsTags = (rule: LifecycleRule): boolean =>
  rule.filter?.tag !== undefined || (rule.filter?.and?.tags.length ?? 0) > 0;

/**
 * When an object becomes eligible: `days` after its time (rounded up to the next midnight UTC
 * on AWS; here a "day" is --lifecycle-day-length and no rounding applies, so tests can run in
 * seconds), or at `date`.
 */
export function dueAt(since: number, days: number | undefined, date: string | undefined, dayMs: number): number {
  if (date !== undefined) return Date.parse(date);
  if (days !== undefined) return since + days * dayMs;
  return Number.POSITIVE_INFINITY;
}
