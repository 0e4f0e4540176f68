import { list, type PolicyDocument, type PolicyStatement } from './policy-document.js';

/** Who is asking, as a policy sees it. */
export interface PolicyPrincipal {
  anonymous?: boolean;
  service?: string;
  accountId?: string;
  arn?: string;
  canonicalId?: string;
}

export interface PolicyRequest {
  principal: PolicyPrincipal;
  action: string;
  resource: string;
  /** Condition keys available to the request (aws:SourceAccount, aws:SourceArn, ...). */
  context?: Record<string, string>;
}

const wildcard = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );

const matchesAny = (patterns: string[], value: string): boolean => patterns.some((p) => wildcard(p).test(value));

function principalMatches(s: PolicyStatement, p: PolicyPrincipal): boolean {
  if (s.Principal === undefined) return false;
  if (s.Principal === '*') return true;
  const aws = list(s.Principal.AWS);
  if (aws.includes('*')) return true;
  if (p.service && list(s.Principal.Service).includes(p.service)) return true;
  if (p.canonicalId && list(s.Principal.CanonicalUser).includes(p.canonicalId)) return true;
  if (p.accountId && aws.some((a) => a === p.accountId || a === `arn:aws:iam::${p.accountId}:root`)) return true;
  return p.arn !== undefined && aws.includes(p.arn);
}

// The condition operators log-delivery policies use (aws:SourceAccount, aws:SourceArn); an
// unknown operator or a missing key makes the statement not apply, as IAM does.
function conditionsHold(s: PolicyStatement, context: Record<string, string>): boolean {
  for (const [operator, entries] of Object.entries(s.Condition ?? {})) {
    for (const [key, expected] of Object.entries(entries)) {
      const actual = context[key] ?? context[key.toLowerCase()];
      if (actual === undefined) return false;
      const values = list(expected);
      const ok =
        operator.startsWith('StringEquals') || operator.startsWith('ArnEquals')
          ? values.includes(actual)
          : operator.startsWith('StringLike') || operator.startsWith('ArnLike')
            ? matchesAny(values, actual)
            : false;
      if (!ok) return false;
    }
  }
  return true;
}

function applies(s: PolicyStatement, r: PolicyRequest): boolean {
  if (!principalMatches(s, r.principal)) return false;
  const actionOk =
    s.Action !== undefined ? matchesAny(list(s.Action), r.action) : !matchesAny(list(s.NotAction), r.action);
  const resourceOk =
    s.Resource !== undefined ? matchesAny(list(s.Resource), r.resource) : !matchesAny(list(s.NotResource), r.resource);
  return actionOk && resourceOk && conditionsHold(s, r.context ?? {});
}

/** IAM's rule for one policy: an explicit Deny wins, then an Allow, else no decision (implicit deny). */
export function evaluatePolicy(doc: PolicyDocument | undefined, r: PolicyRequest): 'allow' | 'deny' | 'none' {
  if (!doc) return 'none';
  let allowed = false;
  for (const s of doc.Statement) {
    if (!applies(s, r)) continue;
    if (s.Effect === 'Deny') return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'none';
}
