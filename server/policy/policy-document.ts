import { S3Error } from '../../errors/s3-error.js';
import { conditionProblem } from './conditions.js';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: PolicyPrincipalElement;
  NotPrincipal?: PolicyPrincipalElement;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean | number>>;
}

export type PolicyPrincipalElement =
  | '*'
  | { AWS?: string | string[]; Service?: string | string[]; CanonicalUser?: string | string[] };

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

/** AWS documents 20 KB as the limit of a bucket policy. */
export const MAX_POLICY_BYTES = 20 * 1024;

const malformed = (message: string): S3Error => new S3Error('MalformedPolicy', {}, message);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringList = (v: unknown): v is string | string[] =>
  isString(v) || (Array.isArray(v) && v.length > 0 && v.every(isString));

const STATEMENT_FIELDS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_KINDS = new Set(['AWS', 'Service', 'CanonicalUser']);
// An account id, an account/user/role ARN, or `*`.
const AWS_PRINCIPAL = /^(\*|\d{12}|arn:aws:(iam|sts)::\d{12}:(root|(user|role|assumed-role|federated-user)\/[^\s]+))$/;
const ACTION = /^(\*|s3:[A-Za-z*?]+)$/i;

function checkPrincipal(value: unknown): void {
  if (value === '*') return;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw malformed('Invalid principal in policy');
  const entries = Object.entries(value);
  if (entries.length === 0) throw malformed('Invalid principal in policy');
  for (const [kind, ids] of entries) {
    if (!PRINCIPAL_KINDS.has(kind) || !isStringList(ids)) throw malformed('Invalid principal in policy');
    if (kind === 'AWS' && !list(ids).every((id) => AWS_PRINCIPAL.test(id)))
      throw malformed('Invalid principal in policy');
  }
}

function checkStatement(s: unknown, bucket: string): PolicyStatement {
  if (!s || typeof s !== 'object' || Array.isArray(s)) throw malformed('Statement is not an object');
  const st = s as Record<string, unknown>;
  for (const field of Object.keys(st)) {
    if (!STATEMENT_FIELDS.has(field)) throw malformed(`Unknown field ${field}`);
  }
  if (st.Sid !== undefined && !isString(st.Sid)) throw malformed('Invalid Sid');
  if (st.Effect === undefined) throw malformed('Missing required field Effect');
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw malformed(`Invalid effect: ${String(st.Effect)}`);
  if ((st.Principal === undefined) === (st.NotPrincipal === undefined))
    throw malformed('Missing required field Principal');
  checkPrincipal(st.Principal ?? st.NotPrincipal);
  if ((st.Action === undefined) === (st.NotAction === undefined)) throw malformed('Missing required field Action');
  const actions = st.Action ?? st.NotAction;
  if (!isStringList(actions) || !list(actions).every((a) => ACTION.test(a)))
    throw malformed('Policy has invalid action');
  if ((st.Resource === undefined) === (st.NotResource === undefined))
    throw malformed('Missing required field Resource');
  const resources = st.Resource ?? st.NotResource;
  if (!isStringList(resources)) throw malformed('Policy has invalid resource');
  const arn = `arn:aws:s3:::${bucket}`;
  for (const resource of list(resources)) {
    if (resource !== '*' && resource !== arn && !resource.startsWith(`${arn}/`) && resource !== `${arn}*`)
      throw malformed('Policy has invalid resource');
  }
  if (st.Condition !== undefined) {
    const problem = conditionProblem(st.Condition);
    if (problem) throw malformed(problem);
  }
  return st as unknown as PolicyStatement;
}

/**
 * Parses and checks a bucket policy the way S3 does before storing it: the whole grammar, so a
 * stored policy can never fail later at evaluation. Messages are S3's where known.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
 */
export function parsePolicy(text: string, bucket: string): PolicyDocument {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) throw malformed('Policies must be smaller than 20 KB');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  const { Version, Id, Statement } = doc as Record<string, unknown>;
  for (const field of Object.keys(doc)) {
    if (field !== 'Version' && field !== 'Id' && field !== 'Statement') throw malformed(`Unknown field ${field}`);
  }
  if (Version !== undefined && Version !== '2012-10-17' && Version !== '2008-10-17')
    throw malformed('The policy must contain a valid version string');
  if (Id !== undefined && !isString(Id)) throw malformed('Invalid Id');
  if (Statement === undefined) throw malformed('Missing required field Statement');
  const raw = Array.isArray(Statement) ? Statement : [Statement];
  if (raw.length === 0) throw malformed('Could not parse the policy: Statement is empty!');
  return {
    Version: Version as string | undefined,
    Id: Id as string | undefined,
    Statement: raw.map((s) => checkStatement(s, bucket)),
  };
}

export const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
