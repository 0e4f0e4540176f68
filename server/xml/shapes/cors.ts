// The CORSConfiguration document of PutBucketCors / GetBucketCors:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html,
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html
import { S3Error } from '../../../errors/s3-error.js';
import type { CorsRule } from '../../protocol/cors.js';
import type { ParsedXml } from '../parse.js';
import type { XmlElement } from '../render.js';
import { expectRoot, fieldsOf, intField, many, onlyFields, textField, textValue } from './elements.js';

/** "You can add up to 100 rules to the configuration." */
export const MAX_CORS_RULES = 100;
const METHODS = ['GET', 'PUT', 'HEAD', 'POST', 'DELETE'];

const invalidRequest = (message: string): S3Error => new S3Error('InvalidRequest', {}, message);
const wildcards = (value: string): number => value.split('*').length - 1;

function ruleFrom(value: unknown): CorsRule {
  const fields = fieldsOf(value);
  onlyFields(fields, ['ID', 'AllowedMethod', 'AllowedOrigin', 'AllowedHeader', 'ExposeHeader', 'MaxAgeSeconds']);
  const texts = (name: string): string[] => many(fields, name).map(textValue);
  const rule: CorsRule = {
    id: textField(fields, 'ID'),
    allowedMethods: texts('AllowedMethod'),
    allowedOrigins: texts('AllowedOrigin'),
    allowedHeaders: texts('AllowedHeader'),
    exposeHeaders: texts('ExposeHeader'),
    maxAgeSeconds: intField(fields, 'MaxAgeSeconds'),
  };
  // "Each CORSRule must identify at least one origin and one method" (schema: MalformedXML).
  if (rule.allowedMethods.length === 0 || rule.allowedOrigins.length === 0) throw new S3Error('MalformedXML');
  return rule;
}

/**
 * Validates a rule with S3's errors, observed against S3 (LocalStack's AWS-validated
 * test_put_cors_invalid_rules; versitygw issues 1863 and 1870): an unknown method or more than one
 * `*` is InvalidRequest with these messages.
 */
function checkRule(rule: CorsRule): void {
  for (const method of rule.allowedMethods) {
    if (!METHODS.includes(method))
      throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${method}`);
  }
  for (const origin of rule.allowedOrigins) {
    if (wildcards(origin) > 1) throw invalidRequest(`AllowedOrigin "${origin}" can not have more than one wildcard.`);
  }
  for (const header of rule.allowedHeaders) {
    if (wildcards(header) > 1) throw invalidRequest(`AllowedHeader "${header}" can not have more than one wildcard.`);
  }
  for (const header of rule.exposeHeaders) {
    if (header.includes('*'))
      throw invalidRequest(
        `ExposeHeader "${header}" contains wildcard. We currently do not support wildcard for ExposeHeader.`,
      );
  }
  if (rule.id !== undefined && rule.id.length > 255)
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'ID', ArgumentValue: rule.id },
      'ID can not be longer than 255 characters',
    );
  if (rule.maxAgeSeconds !== undefined && rule.maxAgeSeconds < 0) throw new S3Error('MalformedXML');
}

export function corsRulesFrom(root: string, body: ParsedXml): CorsRule[] {
  expectRoot(root, 'CORSConfiguration');
  onlyFields(body, ['CORSRule']);
  const rules = many(body, 'CORSRule').map(ruleFrom);
  // No rules, or more than S3 allows, does not validate against the schema (LocalStack's recordings).
  if (rules.length === 0 || rules.length > MAX_CORS_RULES) throw new S3Error('MalformedXML');
  for (const rule of rules) checkRule(rule);
  return rules;
}

/** GetBucketCors: the rules in the order sent, each member only when it was set. */
export const corsXml = (rules: readonly CorsRule[]): XmlElement => ({
  CORSRule: rules.map((r) => ({
    ID: r.id,
    AllowedHeader: r.allowedHeaders.length ? r.allowedHeaders : undefined,
    AllowedMethod: r.allowedMethods,
    AllowedOrigin: r.allowedOrigins,
    ExposeHeader: r.exposeHeaders.length ? r.exposeHeaders : undefined,
    MaxAgeSeconds: r.maxAgeSeconds,
  })),
});
