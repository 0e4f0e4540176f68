import { describe, expect, it } from 'vitest';
import { S3Error } from '../../../../errors/s3-error.js';
import { list, parsePolicy } from '../../../../server/policy/policy-document.js';

const BUCKET = 'amzn-logs';
const statement = (over: Record<string, unknown> = {}) => ({
  Sid: 'S3ServerAccessLogsPolicy',
  Effect: 'Allow',
  Principal: { Service: 'logging.s3.amazonaws.com' },
  Action: ['s3:PutObject'],
  Resource: `arn:aws:s3:::${BUCKET}/logs/*`,
  ...over,
});
const doc = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

function malformed(text: string): S3Error {
  try {
    parsePolicy(text, BUCKET);
  } catch (err) {
    if (err instanceof S3Error) return err;
    throw err;
  }
  throw new Error('policy was accepted');
}

describe('parsePolicy', () => {
  it('accepts the AWS log-delivery policy and keeps its fields', () => {
    const policy = parsePolicy(
      doc(statement({ Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } })),
      BUCKET,
    );
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]!.Principal).toEqual({ Service: 'logging.s3.amazonaws.com' });
  });

  it('a single Statement object becomes a one-element list', () => {
    const policy = parsePolicy(JSON.stringify({ Statement: statement() }), BUCKET);
    expect(policy.Statement).toHaveLength(1);
  });

  it('bucket ARN, object ARNs, wildcards and NotAction/NotResource are accepted', () => {
    expect(() =>
      parsePolicy(doc(statement({ Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] })), BUCKET),
    ).not.toThrow();
    expect(() => parsePolicy(doc(statement({ Action: 's3:*', Principal: '*' })), BUCKET)).not.toThrow();
    expect(() =>
      parsePolicy(doc(statement({ Action: undefined, NotAction: 's3:DeleteObject' })), BUCKET),
    ).not.toThrow();
    expect(() =>
      parsePolicy(doc(statement({ Resource: undefined, NotResource: `arn:aws:s3:::${BUCKET}/private/*` })), BUCKET),
    ).not.toThrow();
  });

  it.each([
    ['not JSON', '{"Statement": ['],
    ['a JSON array', '[]'],
    ['a JSON string', '"policy"'],
    ['JSON null', 'null'],
    ['no Statement', JSON.stringify({ Version: '2012-10-17' })],
    ['an empty Statement list', doc()],
    ['a Statement that is not an object', doc('Allow')],
    ['no Effect', doc(statement({ Effect: undefined }))],
    ['a bad Effect', doc(statement({ Effect: 'Permit' }))],
    ['a lower-case Effect', doc(statement({ Effect: 'allow' }))],
    ['no Principal', doc(statement({ Principal: undefined }))],
    ['no Action', doc(statement({ Action: undefined }))],
    ['a non-S3 Action', doc(statement({ Action: 'ec2:RunInstances' }))],
    ['no Resource', doc(statement({ Resource: undefined }))],
    ['a resource in another bucket', doc(statement({ Resource: 'arn:aws:s3:::other-bucket/*' }))],
    ['a non-S3 resource', doc(statement({ Resource: 'arn:aws:sqs:us-east-1:111122223333:queue' }))],
  ])('%s → MalformedPolicy (400)', (_why, text) => {
    const err = malformed(text);
    expect(err.code).toBe('MalformedPolicy');
    expect(err.status).toBe(400);
  });

  it("errors carry S3's messages", () => {
    expect(malformed('nope').message).toBe("Policies must be valid JSON and the first byte must be '{'");
    expect(malformed('{}').message).toBe('Missing required field Statement');
    expect(malformed(doc(statement({ Resource: 'arn:aws:s3:::other/*' }))).message).toBe('Policy has invalid resource');
    expect(malformed(doc(statement({ Action: 'iam:PassRole' }))).message).toBe('Policy has invalid action');
  });

  // "Policy has invalid resource": the bucket in the ARN must be this bucket, not merely share a
  // prefix with it (arn:aws:s3:::amzn-logs-archive names a different bucket).
  it("a bucket whose name merely starts with this bucket's name is another bucket → MalformedPolicy", () => {
    expect(malformed(doc(statement({ Resource: `arn:aws:s3:::${BUCKET}-archive/*` }))).code).toBe('MalformedPolicy');
    expect(malformed(doc(statement({ Resource: `arn:aws:s3:::${BUCKET}2` }))).code).toBe('MalformedPolicy');
  });
});

describe('list', () => {
  it('undefined → [], a string → [string], an array as is', () => {
    expect(list(undefined)).toEqual([]);
    expect(list('a')).toEqual(['a']);
    expect(list(['a', 'b'])).toEqual(['a', 'b']);
  });
});
