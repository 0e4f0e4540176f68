// How S3 answers a cross-origin request from a bucket's CORS rules
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html, "How does Amazon S3 evaluate the
// CORS configuration on a bucket?"): the first rule whose AllowedOrigin matches the Origin, whose
// AllowedMethod holds the method, and whose AllowedHeaders cover every requested header answers.
import type { IncomingHttpHeaders } from 'node:http';
import type { BucketConfig } from '../../storage/storage.js';

export type CorsRule = NonNullable<BucketConfig['cors']>[number];

/** What a request asks of the CORS rules. */
export interface CorsAsk {
  origin: string;
  /** The Access-Control-Request-Method, or the request's own method. */
  method: string;
  /** Access-Control-Request-Headers, lower-cased, in the order sent. */
  headers: string[];
}

/** S3 sends this on every answer a rule made (recorded answers; no AWS page describes it). */
const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

/**
 * `*` stands for any run of characters, none included: ceph/s3-tests' test_cors_origin_response
 * (not fails_on_aws) has `start*end` match `startend` and refuse `0start12end`; the whole value
 * must match.
 */
export function wildcardMatch(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

/** A comma-separated header list: trimmed, lower-cased, empty items dropped (RFC 9110 §5.6.1). */
export function headerList(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return text
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}

function ruleMatches(rule: CorsRule, ask: CorsAsk): boolean {
  if (!rule.allowedMethods.includes(ask.method)) return false;
  if (!rule.allowedOrigins.some((o) => wildcardMatch(o, ask.origin))) return false;
  // Header names match without regard to case; a rule without AllowedHeader allows none.
  const allowed = rule.allowedHeaders.map((h) => h.toLowerCase());
  return ask.headers.every((h) => allowed.some((a) => wildcardMatch(a, h)));
}

export const matchCorsRule = (rules: readonly CorsRule[], ask: CorsAsk): CorsRule | undefined =>
  rules.find((rule) => ruleMatches(rule, ask));

/**
 * The headers a matching rule puts on the answer. As recorded against S3 (LocalStack's
 * AWS-validated test_cors_match_origins, test_cors_match_headers; the user guide's
 * testing-cors sample): the origin echoed with `Access-Control-Allow-Credentials: true`, or `*`
 * without it when the rule allows every origin; the rule's methods; the requested headers in the
 * order asked, lower-cased; the rule's ExposeHeaders and MaxAgeSeconds; and Vary.
 */
export function corsResponseHeaders(rule: CorsRule, ask: CorsAsk): Record<string, string> {
  const anyOrigin = rule.allowedOrigins.includes('*');
  const headers: Record<string, string> = { 'Access-Control-Allow-Origin': anyOrigin ? '*' : ask.origin };
  headers['Access-Control-Allow-Methods'] = rule.allowedMethods.join(', ');
  if (ask.headers.length) headers['Access-Control-Allow-Headers'] = ask.headers.join(', ');
  if (rule.exposeHeaders.length) headers['Access-Control-Expose-Headers'] = rule.exposeHeaders.join(', ');
  if (rule.maxAgeSeconds !== undefined) headers['Access-Control-Max-Age'] = String(rule.maxAgeSeconds);
  if (!anyOrigin) headers['Access-Control-Allow-Credentials'] = 'true';
  headers.Vary = VARY;
  return headers;
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** What a request with these headers asks of the rules; undefined without an Origin (not a CORS request). */
export function corsAsk(headers: IncomingHttpHeaders, method: string): CorsAsk | undefined {
  const origin = first(headers.origin);
  if (origin === undefined) return undefined;
  return {
    origin,
    method: first(headers['access-control-request-method']) ?? method,
    headers: headerList(headers['access-control-request-headers']),
  };
}

/**
 * The CORS headers for an actual (non-preflight) request, success or error: none without an
 * Origin, without rules, or when no rule matches; S3 then serves the request without them. As on a
 * preflight, an Access-Control-Request-Method or -Headers header takes part in the match (LocalStack's
 * test_cors_match_methods / test_cors_match_headers; s3-tests test_cors_origin_response).
 */
export function actualRequestCorsHeaders(
  rules: readonly CorsRule[] | undefined,
  headers: IncomingHttpHeaders,
  method: string,
): Record<string, string> | undefined {
  if (!rules?.length) return undefined;
  const ask = corsAsk(headers, method);
  if (!ask) return undefined;
  const rule = matchCorsRule(rules, ask);
  return rule ? corsResponseHeaders(rule, ask) : undefined;
}
