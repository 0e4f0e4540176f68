import { BlockList, isIP } from 'node:net';

/**
 * Policy Condition blocks: checked whole when a policy is stored, compiled once, evaluated per
 * request. Semantics from the IAM reference
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
 * operators AND together, values of one key OR together (negated operators: none may match), a
 * key absent from the request makes positive operators false and negated ones true, `…IfExists`
 * makes an absent key true, `Null` tests presence.
 */

/** Condition key values for one request, looked up by lowercase key name. */
export type ConditionLookup = (lowercaseKey: string) => string | string[] | undefined;

/** A condition result: true, false, or unknown (a key AWS would fill that s3scribe cannot). */
export type Tristate = boolean | 'unknown';

type Matcher = (actual: string, expected: string) => boolean;

const like = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    's',
  );
const num = (v: string): number => (/^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : Number.NaN);
const date = (v: string): number => (/^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v));

const POSITIVE: Record<string, Matcher> = {
  StringEquals: (a, e) => a === e,
  StringEqualsIgnoreCase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  StringLike: (a, e) => like(e).test(a),
  NumericEquals: (a, e) => num(a) === num(e),
  NumericLessThan: (a, e) => num(a) < num(e),
  NumericLessThanEquals: (a, e) => num(a) <= num(e),
  NumericGreaterThan: (a, e) => num(a) > num(e),
  NumericGreaterThanEquals: (a, e) => num(a) >= num(e),
  DateEquals: (a, e) => date(a) === date(e),
  DateLessThan: (a, e) => date(a) < date(e),
  DateLessThanEquals: (a, e) => date(a) <= date(e),
  DateGreaterThan: (a, e) => date(a) > date(e),
  DateGreaterThanEquals: (a, e) => date(a) >= date(e),
  Bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
  BinaryEquals: (a, e) => a === e,
  IpAddress: (a, e) => ipBlock(e).check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4'),
  ArnEquals: (a, e) => a === e,
  ArnLike: (a, e) => like(e).test(a),
};
/** Negated operators and the positive operator they negate. */
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

const blocks = new Map<string, BlockList>();
function ipBlock(cidr: string): BlockList {
  let block = blocks.get(cidr);
  if (!block) {
    block = new BlockList();
    const [address = '', bits] = cidr.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    block.addSubnet(address, bits === undefined ? (type === 'ipv6' ? 128 : 32) : Number(bits), type);
    blocks.set(cidr, block);
  }
  return block;
}

function validCidr(value: string): boolean {
  const [address = '', bits, extra] = value.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (version === 6 ? 128 : 32);
}

// S3's condition keys (Service Authorization Reference for Amazon S3) and IAM's global keys.
const S3_KEYS = new Set(
  [
    'authType',
    'signatureAge',
    'signatureversion',
    'TlsVersion',
    'x-amz-content-sha256',
    'ResourceAccount',
    'DataAccessPointAccount',
    'DataAccessPointArn',
    'AccessPointNetworkOrigin',
    'prefix',
    'delimiter',
    'max-keys',
    'versionid',
    'x-amz-acl',
    'x-amz-grant-full-control',
    'x-amz-grant-read',
    'x-amz-grant-read-acp',
    'x-amz-grant-write',
    'x-amz-grant-write-acp',
    'x-amz-copy-source',
    'x-amz-metadata-directive',
    'x-amz-server-side-encryption',
    'x-amz-server-side-encryption-aws-kms-key-id',
    'x-amz-server-side-encryption-customer-algorithm',
    'x-amz-storage-class',
    'x-amz-website-redirect-location',
    'object-lock-mode',
    'object-lock-retain-until-date',
    'object-lock-remaining-retention-days',
    'object-lock-legal-hold',
    'RequestObjectTagKeys',
    'LocationConstraint',
    'x-amz-object-ownership',
    'if-match',
    'if-none-match',
    'ObjectCreationOperation',
  ].map((k) => `s3:${k.toLowerCase()}`),
);
const TAG_KEY_PREFIXES = ['s3:existingobjecttag/', 's3:requestobjecttag/'];
/** Keys AWS fills for requests that s3scribe has no value for: they never decide for a request. */
const UNKNOWN_PREFIXES = ['aws:principaltag/', 'aws:resourcetag/', 'aws:requesttag/', 's3:signatureage'];

function validKey(key: string): boolean {
  const k = key.toLowerCase();
  return k.startsWith('aws:') || S3_KEYS.has(k) || TAG_KEY_PREFIXES.some((p) => k.startsWith(p) && k.length > p.length);
}

interface ParsedOperator {
  base: string;
  negated: boolean;
  ifExists: boolean;
  set?: 'ForAnyValue' | 'ForAllValues';
}

function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: ParsedOperator['set'];
  for (const prefix of ['ForAnyValue', 'ForAllValues'] as const) {
    if (rest.startsWith(`${prefix}:`)) {
      set = prefix;
      rest = rest.slice(prefix.length + 1);
    }
  }
  const ifExists = rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  if (rest === 'Null') return ifExists || set ? undefined : { base: 'Null', negated: false, ifExists: false };
  if (POSITIVE[rest]) return { base: rest, negated: false, ifExists, set };
  if (NEGATED[rest]) return { base: NEGATED[rest]!, negated: true, ifExists, set };
  return undefined;
}

const valuesOf = (v: unknown): string[] | undefined => {
  const items = Array.isArray(v) ? v : [v];
  if (items.length === 0) return undefined;
  const out: string[] = [];
  for (const item of items) {
    if (typeof item === 'string') out.push(item);
    else if (typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
    else return undefined;
  }
  return out;
};

/** Why a Condition block would be refused (S3's MalformedPolicy message), or undefined. */
export function conditionProblem(condition: unknown): string | undefined {
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return 'Invalid Condition block';
  for (const [operator, entries] of Object.entries(condition)) {
    const op = parseOperator(operator);
    if (!op) return `Invalid Condition type : ${operator}`;
    if (!entries || typeof entries !== 'object' || Array.isArray(entries))
      return `Invalid Condition type : ${operator}`;
    for (const [key, value] of Object.entries(entries)) {
      if (!validKey(key)) return 'Policy has an invalid condition key';
      const values = valuesOf(value);
      if (!values) return `Invalid value for condition key ${key}`;
      if (op.base === 'IpAddress' && !values.every(validCidr)) return 'Invalid IP address in Conditions';
      if (op.base === 'Null' && !values.every((v) => v === 'true' || v === 'false'))
        return `Invalid value for condition key ${key}`;
    }
  }
  return undefined;
}

type KeyTest = (lookup: ConditionLookup) => Tristate;

function compileKey(op: ParsedOperator, key: string, expected: string[]): KeyTest {
  const k = key.toLowerCase();
  if (UNKNOWN_PREFIXES.some((p) => k.startsWith(p))) return () => 'unknown';
  if (op.base === 'Null') {
    const wantAbsent = expected.includes('true');
    return (lookup) => (lookup(k) === undefined) === wantAbsent;
  }
  const match = POSITIVE[op.base]!;
  const anyExpected = (actual: string): boolean => expected.some((e) => match(actual, e));
  return (lookup) => {
    const raw = lookup(k);
    if (raw === undefined) return op.ifExists || op.negated;
    const actuals = Array.isArray(raw) ? raw : [raw];
    const hit = op.set === 'ForAllValues' ? actuals.every(anyExpected) : actuals.some(anyExpected);
    return op.negated ? !hit : hit;
  };
}

/** A checked Condition block as one test: every operator and key must hold. */
export function compileConditions(condition: Record<string, Record<string, unknown>> | undefined): KeyTest {
  if (!condition) return () => true;
  const tests: KeyTest[] = [];
  for (const [operator, entries] of Object.entries(condition)) {
    const op = parseOperator(operator)!;
    for (const [key, value] of Object.entries(entries)) tests.push(compileKey(op, key, valuesOf(value)!));
  }
  return (lookup) => {
    let result: Tristate = true;
    for (const test of tests) {
      const r = test(lookup);
      if (r === false) return false;
      if (r === 'unknown') result = 'unknown';
    }
    return result;
  };
}
