import { S3Error } from '../../errors/s3-error.js';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { AWS?: string | string[]; Service?: string | string[]; CanonicalUser?: string | string[] };
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

const malformed = (message: string): S3Error => new S3Error('MalformedPolicy', {}, message);

/**
 * Parses and checks a bucket policy the way S3 does before storing it: JSON, a Statement list,
 * each with an Effect, a Principal, an Action and a Resource in this bucket.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
 */
export function parsePolicy(text: string, bucket: string): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  const raw = (doc as { Statement?: unknown }).Statement;
  if (raw === undefined) throw malformed('Missing required field Statement');
  const statements = (Array.isArray(raw) ? raw : [raw]) as PolicyStatement[];
  if (statements.length === 0) throw malformed('Could not parse the policy: Statement is empty!');
  for (const s of statements) {
    if (!s || typeof s !== 'object') throw malformed('Statement is not an object');
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed('Invalid effect: ' + String(s.Effect));
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw malformed('Missing required field Principal');
    if (s.Action === undefined && s.NotAction === undefined) throw malformed('Missing required field Action');
    if (s.Resource === undefined && s.NotResource === undefined) throw malformed('Missing required field Resource');
    for (const action of list(s.Action ?? s.NotAction)) {
      if (!/^(s3|\*)(:.*)?$/.test(action) && action !== '*') throw malformed('Policy has invalid action');
    }
    for (const resource of list(s.Resource ?? s.NotResource)) {
      const arn = `arn:aws:s3:::${bucket}`;
      if (resource !== '*' && resource !== arn && !resource.startsWith(`${arn}/`) && resource !== `${arn}*`)
        throw malformed('Policy has invalid resource');
    }
  }
  return { ...(doc as PolicyDocument), Statement: statements };
}

export const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
