// The WebsiteConfiguration document of PutBucketWebsite / GetBucketWebsite:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketWebsite.html
import { S3Error } from '../../../errors/s3-error.js';
import type { BucketConfig } from '../../../storage/storage.js';
import type { ParsedXml } from '../parse.js';
import type { XmlElement } from '../render.js';
import { expectRoot, type XmlFields, fieldsOf, many, one, onlyFields, requiredText, textField } from './elements.js';

export type WebsiteConfig = NonNullable<BucketConfig['website']>;
type RoutingRule = NonNullable<WebsiteConfig['routingRules']>[number];

/** "You can have up to 50 routing rules" per configuration. */
export const MAX_ROUTING_RULES = 50;

const invalidRequest = (message: string): S3Error => new S3Error('InvalidRequest', {}, message);
const invalidArgument = (name: string, value: string, message: string): S3Error =>
  new S3Error('InvalidArgument', { ArgumentName: name, ArgumentValue: value }, message);

function checkProtocol(protocol: string | undefined): void {
  if (protocol !== undefined && protocol !== 'http' && protocol !== 'https')
    throw invalidRequest(
      'Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.',
    );
}

/** A child element that must hold elements, or undefined when absent. */
function section(fields: XmlFields, name: string): XmlFields | undefined {
  const value = one(fields, name);
  return value === undefined ? undefined : fieldsOf(value);
}

function routingRuleFrom(value: unknown): RoutingRule {
  const fields = fieldsOf(value);
  onlyFields(fields, ['Condition', 'Redirect']);
  const redirectFields = section(fields, 'Redirect');
  if (!redirectFields) throw new S3Error('MalformedXML');
  onlyFields(redirectFields, ['HostName', 'HttpRedirectCode', 'Protocol', 'ReplaceKeyPrefixWith', 'ReplaceKeyWith']);
  const redirect = {
    hostName: textField(redirectFields, 'HostName'),
    httpRedirectCode: textField(redirectFields, 'HttpRedirectCode'),
    protocol: textField(redirectFields, 'Protocol'),
    replaceKeyPrefixWith: textField(redirectFields, 'ReplaceKeyPrefixWith'),
    replaceKeyWith: textField(redirectFields, 'ReplaceKeyWith'),
  };
  if (redirect.replaceKeyPrefixWith !== undefined && redirect.replaceKeyWith !== undefined)
    throw invalidRequest('You can only define ReplaceKeyPrefix or ReplaceKey but not both.');
  checkProtocol(redirect.protocol);
  const code = redirect.httpRedirectCode;
  if (code !== undefined && (!/^3\d\d$/.test(code) || code === '300'))
    throw invalidRequest(`The provided HTTP redirect code (${code}) is not valid. Valid codes are 3XX except 300.`);
  const conditionFields = section(fields, 'Condition');
  let condition: RoutingRule['condition'];
  if (conditionFields) {
    onlyFields(conditionFields, ['HttpErrorCodeReturnedEquals', 'KeyPrefixEquals']);
    condition = {
      keyPrefixEquals: textField(conditionFields, 'KeyPrefixEquals'),
      httpErrorCodeReturnedEquals: textField(conditionFields, 'HttpErrorCodeReturnedEquals'),
    };
    if (condition.keyPrefixEquals === undefined && condition.httpErrorCodeReturnedEquals === undefined)
      throw invalidRequest(
        "Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present.",
      );
    const error = condition.httpErrorCodeReturnedEquals;
    if (error !== undefined && !/^[45]\d\d$/.test(error))
      throw invalidRequest(`The provided HTTP error code (${error}) is not valid. Valid codes are 4XX or 5XX.`);
  }
  return { condition, redirect };
}

/**
 * Parses and validates a website configuration. The errors and their order follow S3's recorded
 * answers (LocalStack's AWS-validated website tests; RGW and versitygw give the same messages).
 */
export function websiteFrom(root: string, body: ParsedXml): WebsiteConfig {
  expectRoot(root, 'WebsiteConfiguration');
  onlyFields(body, ['ErrorDocument', 'IndexDocument', 'RedirectAllRequestsTo', 'RoutingRules']);
  const redirectAll = section(body, 'RedirectAllRequestsTo');
  if (redirectAll) {
    if (['ErrorDocument', 'IndexDocument', 'RoutingRules'].some((name) => body[name] !== undefined))
      throw invalidArgument(
        'RedirectAllRequestsTo',
        'not null',
        'RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.',
      );
    onlyFields(redirectAll, ['HostName', 'Protocol']);
    const hostName = requiredText(redirectAll, 'HostName');
    if (hostName === '')
      throw invalidRequest('A host name must be provided to redirect all requests (e.g. "example.com").');
    const protocol = textField(redirectAll, 'Protocol');
    checkProtocol(protocol);
    return { redirectAllRequestsTo: { hostName, protocol } };
  }
  const index = section(body, 'IndexDocument');
  if (!index)
    throw invalidArgument(
      'IndexDocument',
      'null',
      'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty',
    );
  onlyFields(index, ['Suffix']);
  const suffix = textField(index, 'Suffix') ?? '';
  if (suffix === '' || suffix.includes('/'))
    throw invalidArgument('IndexDocument', suffix || 'null', 'The IndexDocument Suffix is not well formed');
  const error = section(body, 'ErrorDocument');
  let errorDocument: string | undefined;
  if (error) {
    onlyFields(error, ['Key']);
    errorDocument = textField(error, 'Key');
    if (!errorDocument) throw new S3Error('MalformedXML');
  }
  const rules = section(body, 'RoutingRules');
  let routingRules: RoutingRule[] | undefined;
  if (rules) {
    onlyFields(rules, ['RoutingRule']);
    const list = many(rules, 'RoutingRule');
    if (list.length === 0) throw new S3Error('MalformedXML');
    if (list.length > MAX_ROUTING_RULES)
      throw invalidRequest(
        `${list.length} routing rules provided, the number of routing rules in a website configuration is limited to ${MAX_ROUTING_RULES}.`,
      );
    routingRules = list.map(routingRuleFrom);
  }
  return { indexDocument: suffix, errorDocument, routingRules };
}

export function websiteXml(c: WebsiteConfig): XmlElement {
  if (c.redirectAllRequestsTo)
    return {
      RedirectAllRequestsTo: {
        HostName: c.redirectAllRequestsTo.hostName,
        Protocol: c.redirectAllRequestsTo.protocol,
      },
    };
  return {
    IndexDocument: c.indexDocument === undefined ? undefined : { Suffix: c.indexDocument },
    ErrorDocument: c.errorDocument === undefined ? undefined : { Key: c.errorDocument },
    RoutingRules: c.routingRules?.length
      ? {
          RoutingRule: c.routingRules.map((r) => ({
            Condition: r.condition && {
              HttpErrorCodeReturnedEquals: r.condition.httpErrorCodeReturnedEquals,
              KeyPrefixEquals: r.condition.keyPrefixEquals,
            },
            Redirect: {
              HostName: r.redirect.hostName,
              HttpRedirectCode: r.redirect.httpRedirectCode,
              Protocol: r.redirect.protocol,
              ReplaceKeyPrefixWith: r.redirect.replaceKeyPrefixWith,
              ReplaceKeyWith: r.redirect.replaceKeyWith,
            },
          })),
        }
      : undefined,
  };
}
