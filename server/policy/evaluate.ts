import { type ConditionLookup, compileConditions, type Tristate } from './conditions.js';
import { list, type PolicyDocument, type PolicyPrincipalElement, parsePolicy } from './policy-document.js';

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
  /** Condition key values (aws:SourceIp, s3:x-amz-acl, ...), by name (any case) or as a lookup by lowercase name. */
  context?: Record<string, string | string[] | undefined> | ConditionLookup;
}

export type PolicyDecision = 'allow' | 'deny' | 'none';

interface CompiledStatement {
  deny: boolean;
  principal: (p: PolicyPrincipal) => boolean;
  action: (action: string) => boolean;
  resource: (arn: string) => boolean;
  condition: (lookup: ConditionLookup) => Tristate;
}

const wildcard = (pattern: string, flags: string): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    flags,
  );

/** `*` and `?` wildcards; action names ignore case, resource ARNs (object keys) do not. */
function anyOf(patterns: string[], flags: string): (value: string) => boolean {
  if (patterns.includes('*')) return () => true;
  const res = patterns.map((p) => wildcard(p, flags));
  return (value) => res.some((re) => re.test(value));
}

function principalMatcher(element: PolicyPrincipalElement): (p: PolicyPrincipal) => boolean {
  if (element === '*') return () => true;
  const aws = list(element.AWS);
  if (aws.includes('*')) return () => true;
  const services = list(element.Service);
  const canonical = list(element.CanonicalUser);
  const accounts = new Set(
    aws.map((a) => /^(\d{12})$|^arn:aws:iam::(\d{12}):root$/.exec(a)).map((m) => m?.[1] ?? m?.[2]),
  );
  const arns = new Set(aws);
  return (p) =>
    (p.service !== undefined && services.includes(p.service)) ||
    (p.canonicalId !== undefined && canonical.includes(p.canonicalId)) ||
    (p.accountId !== undefined && accounts.has(p.accountId)) ||
    (p.arn !== undefined && arns.has(p.arn));
}

function compile(doc: PolicyDocument): CompiledStatement[] {
  return doc.Statement.map((s) => {
    const principal = principalMatcher((s.Principal ?? s.NotPrincipal)!);
    const action = anyOf(list(s.Action ?? s.NotAction), 'i');
    const resource = anyOf(list(s.Resource ?? s.NotResource), '');
    return {
      deny: s.Effect === 'Deny',
      principal: s.Principal !== undefined ? principal : (p) => !principal(p),
      action: s.Action !== undefined ? action : (a) => !action(a),
      resource: s.Resource !== undefined ? resource : (r) => !resource(r),
      condition: compileConditions(s.Condition as Record<string, Record<string, unknown>> | undefined),
    };
  });
}

const byDocument = new WeakMap<PolicyDocument, CompiledStatement[]>();
const byText = new Map<string, PolicyDocument>();

/** A stored policy, parsed and compiled once (it was validated when stored). */
export function storedPolicy(text: string, bucket: string): PolicyDocument {
  const cacheKey = `${bucket}\n${text}`;
  let doc = byText.get(cacheKey);
  if (!doc) {
    if (byText.size >= 1000) byText.clear();
    doc = parsePolicy(text, bucket);
    byText.set(cacheKey, doc);
  }
  return doc;
}

function lookupOf(context: PolicyRequest['context']): ConditionLookup {
  if (typeof context === 'function') return context;
  const lower = new Map(Object.entries(context ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return (key) => lower.get(key);
}

/**
 * IAM's rule for one policy: an explicit Deny wins, then an Allow, else no decision (implicit
 * deny). A condition s3scribe cannot decide (`unknown`) never widens access: it lets a Deny
 * apply and keeps an Allow from applying.
 */
export function evaluatePolicy(doc: PolicyDocument | undefined, r: PolicyRequest): PolicyDecision {
  if (!doc) return 'none';
  let statements = byDocument.get(doc);
  if (!statements) {
    statements = compile(doc);
    byDocument.set(doc, statements);
  }
  let lookup: ConditionLookup | undefined;
  let allowed = false;
  for (const s of statements) {
    if (!s.principal(r.principal) || !s.action(r.action) || !s.resource(r.resource)) continue;
    lookup ??= lookupOf(r.context);
    const holds = s.condition(lookup);
    if (s.deny && holds !== false) return 'deny';
    if (!s.deny && holds === true) allowed = true;
  }
  return allowed ? 'allow' : 'none';
}
