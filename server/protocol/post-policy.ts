import { S3Error } from '../../errors/s3-error.js';

/**
 * The policy document of a browser-based POST upload: an expiration and conditions every form
 * field must meet, checked as S3 checks them.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */
export interface PostPolicy {
  expiration: number;
  /** Lower-cased field name → checks of its value. */
  checks: { field: string; test: (value: string | undefined) => boolean; describe: string }[];
  contentLength?: { min: number; max: number };
}

const invalid = (message: string): S3Error => new S3Error('InvalidPolicyDocument', {}, `Invalid Policy: ${message}`);
export const denied = (message: string): S3Error =>
  new S3Error('AccessDenied', {}, `Invalid according to Policy: ${message}`);

/** Fields every POST may carry without a condition naming them. */
const EXEMPT = new Set(['policy', 'signature', 'awsaccesskeyid', 'x-amz-signature', 'file', 'x-amz-security-token']);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function parsePostPolicy(base64: string): PostPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw invalid('Invalid JSON.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('Invalid JSON.');
  const { expiration, conditions } = doc as { expiration?: unknown; conditions?: unknown };
  if (expiration === undefined) throw invalid('Policy missing expiration.');
  if (typeof expiration !== 'string' || !ISO.test(expiration))
    throw invalid(`Invalid 'expiration' value: '${String(expiration)}'`);
  if (conditions === undefined) throw invalid('Policy missing conditions.');
  if (!Array.isArray(conditions)) throw invalid("Invalid 'conditions' value: must be a List.");
  const policy: PostPolicy = { expiration: Date.parse(expiration), checks: [] };
  for (const c of conditions) {
    if (Array.isArray(c)) {
      const [op, name, ...args] = c as unknown[];
      if (typeof op !== 'string') throw invalid('Invalid condition.');
      if (op.toLowerCase() === 'content-length-range') {
        const [, min, max] = c as unknown[];
        if (c.length !== 3 || !Number.isInteger(min) || !Number.isInteger(max) || (min as number) < 0)
          throw invalid('Invalid content-length-range condition.');
        policy.contentLength = { min: min as number, max: max as number };
        continue;
      }
      if (typeof name !== 'string' || !name.startsWith('$') || args.length !== 1 || typeof args[0] !== 'string')
        throw invalid(`Invalid condition: ${JSON.stringify(c)}`);
      const field = name.slice(1).toLowerCase();
      const expected = args[0];
      const operator = op.toLowerCase();
      if (operator === 'eq') policy.checks.push({ field, test: (v) => v === expected, describe: JSON.stringify(c) });
      else if (operator === 'starts-with')
        policy.checks.push({
          field,
          test: (v) => v?.startsWith(expected) === true,
          describe: JSON.stringify(c),
        });
      else throw invalid(`Invalid condition operator: ${op}`);
    } else if (c && typeof c === 'object') {
      if (Object.keys(c).length === 0) throw invalid('Invalid condition: {}');
      for (const [name, expected] of Object.entries(c)) {
        if (typeof expected !== 'string') throw invalid(`Invalid condition: ${JSON.stringify(c)}`);
        policy.checks.push({ field: name.toLowerCase(), test: (v) => v === expected, describe: JSON.stringify(c) });
      }
    } else {
      throw invalid(`Invalid condition: ${JSON.stringify(c)}`);
    }
  }
  return policy;
}

/** Every condition holds and every field (but the exempt and `x-ignore-*` ones) is named by one. */
export function checkPostFields(
  policy: PostPolicy,
  fields: Map<string, string>,
  /** Values conditions may name without a form field (the bucket of the URL). */
  implicit: Record<string, string> = {},
  now = Date.now(),
): void {
  if (policy.expiration < now) throw denied('Policy expired.');
  const covered = new Set<string>();
  for (const check of policy.checks) {
    covered.add(check.field);
    if (!check.test(fields.get(check.field) ?? implicit[check.field]))
      throw denied(`Policy Condition failed: ${check.describe}`);
  }
  for (const name of fields.keys()) {
    if (EXEMPT.has(name) || name.startsWith('x-ignore-') || name.startsWith('x-amz-checksum-') || covered.has(name))
      continue;
    throw denied(`Extra input fields: ${name}`);
  }
}
