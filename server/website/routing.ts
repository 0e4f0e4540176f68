import type { BucketConfig } from '../../storage/storage.js';

export type WebsiteConfig = NonNullable<BucketConfig['website']>;
type RoutingRule = NonNullable<WebsiteConfig['routingRules']>[number];

/** The bucket a website endpoint's Host names (`bucket.s3-website.localhost:4569`), if any. */
export function websiteBucketOf(host: string | undefined, domains: readonly string[]): string | undefined {
  if (!host) return undefined;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  for (const domain of domains)
    if (name.length > domain.length + 1 && name.endsWith(`.${domain}`)) return name.slice(0, -(domain.length + 1));
  return undefined;
}

/**
 * The key a website request reads: the path without its `/`, with the index document's suffix
 * added to a "folder" (`/` or a path ending in `/`).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/IndexDocumentSupport.html
 */
export function websiteKey(path: string, config: WebsiteConfig): string {
  const key = path.replace(/^\//, '');
  const suffix = config.indexDocument;
  return suffix !== undefined && (key === '' || key.endsWith('/')) ? `${key}${suffix}` : key;
}

/**
 * The first routing rule that applies: its KeyPrefixEquals to the requested key and, when it names
 * one, HttpErrorCodeReturnedEquals to the error the request would get (rules with an error
 * condition apply only once there is an error).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-to-page-redirect.html#advanced-conditional-redirects
 */
export function matchingRule(config: WebsiteConfig, key: string, errorStatus?: number): RoutingRule | undefined {
  return config.routingRules?.find(({ condition }) => {
    if (condition?.keyPrefixEquals !== undefined && !key.startsWith(condition.keyPrefixEquals)) return false;
    const code = condition?.httpErrorCodeReturnedEquals;
    return code === undefined ? errorStatus === undefined : String(errorStatus) === code;
  });
}

/** Where a rule sends a request for `key` (Location), and with which status. */
export function ruleRedirect(
  rule: RoutingRule,
  key: string,
  request: { host: string; protocol: string },
): { status: number; location: string } {
  const { redirect } = rule;
  const prefix = rule.condition?.keyPrefixEquals ?? '';
  let target = key;
  if (redirect.replaceKeyWith !== undefined) target = redirect.replaceKeyWith;
  else if (redirect.replaceKeyPrefixWith !== undefined)
    target = redirect.replaceKeyPrefixWith + key.slice(prefix.length);
  const protocol = redirect.protocol ?? request.protocol;
  const host = redirect.hostName ?? request.host;
  return {
    status: Number(redirect.httpRedirectCode ?? 301),
    location: `${protocol}://${host}/${encodeURI(target)}`,
  };
}

/** The HTML page a website endpoint answers an error with when there is no error document. */
export function errorPage(
  status: number,
  code: string,
  message: string,
  details: Record<string, string | undefined>,
  ids: { requestId: string; hostId: string },
): string {
  const title = `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
  const items = [
    `Code: ${code}`,
    `Message: ${message}`,
    ...Object.entries(details)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}: ${v}`),
    `RequestId: ${ids.requestId}`,
    `HostId: ${ids.hostId}`,
  ];
  return `<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<ul>\n${items
    .map((i) => `<li>${escapeHtml(i)}</li>`)
    .join('\n')}\n</ul>\n<hr/>\n</body>\n</html>\n`;
}

const STATUS_TEXT: Record<number, string> = { 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed' };

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
