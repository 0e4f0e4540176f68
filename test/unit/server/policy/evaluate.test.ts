import { describe, expect, it } from 'vitest';
import { resourceArn } from '../../../../server/policy/resource-arn.js';
import { operationTable } from '../../../../server/s3/operation-table.js';
import { evaluatePolicy, type PolicyRequest } from '../../../../server/policy/evaluate.js';
import { LOGGING_SERVICE } from '../../../../server/policy/log-delivery.js';
import { parsePolicy, type PolicyStatement } from '../../../../server/policy/policy-document.js';

const BUCKET = 'target-bucket';
const policy = (...Statement: PolicyStatement[]) => ({ Version: '2012-10-17', Statement });
const allow = (over: Partial<PolicyStatement>): PolicyStatement => ({
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
  ...over,
});
const anonymousGet = (key = 'k'): PolicyRequest => ({
  principal: { anonymous: true },
  action: 's3:GetObject',
  resource: resourceArn(BUCKET, key),
});

// The policy from "Enabling Amazon S3 server access logging" (grant permissions with a bucket policy).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
const LOG_DELIVERY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'S3ServerAccessLogsPolicy',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: ['s3:PutObject'],
      Resource: `arn:aws:s3:::${BUCKET}/EXAMPLE-LOGGING-PREFIX*`,
      Condition: {
        ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::SOURCE-BUCKET-NAME' },
        StringEquals: { 'aws:SourceAccount': 'SOURCE-ACCOUNT-ID' },
      },
    },
  ],
});
const delivery = (over: Partial<PolicyRequest> & { context?: Record<string, string> } = {}): PolicyRequest => ({
  principal: { service: LOGGING_SERVICE },
  action: 's3:PutObject',
  resource: resourceArn(BUCKET, 'EXAMPLE-LOGGING-PREFIX2024-01-01-00-00-00-ABCDEF0123456789'),
  context: { 'aws:SourceAccount': 'SOURCE-ACCOUNT-ID', 'aws:SourceArn': 'arn:aws:s3:::SOURCE-BUCKET-NAME' },
  ...over,
});

describe('evaluatePolicy', () => {
  it('no policy → none', () => {
    expect(evaluatePolicy(undefined, anonymousGet())).toBe('none');
  });

  it('Principal "*" and {"AWS": "*"} match anyone, anonymous included', () => {
    expect(evaluatePolicy(policy(allow({ Principal: '*' })), anonymousGet())).toBe('allow');
    expect(evaluatePolicy(policy(allow({ Principal: { AWS: '*' } })), anonymousGet())).toBe('allow');
    expect(
      evaluatePolicy(policy(allow({ Principal: { AWS: ['*'] } })), {
        ...anonymousGet(),
        principal: { accountId: '111122223333' },
      }),
    ).toBe('allow');
  });

  it('account, root ARN, user ARN and canonical-user principals', () => {
    const req = (principal: PolicyRequest['principal']) => ({ ...anonymousGet(), principal });
    const me = { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/alice', canonicalId: 'c'.repeat(64) };
    expect(evaluatePolicy(policy(allow({ Principal: { AWS: '111122223333' } })), req(me))).toBe('allow');
    expect(evaluatePolicy(policy(allow({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } })), req(me))).toBe(
      'allow',
    );
    expect(evaluatePolicy(policy(allow({ Principal: { AWS: 'arn:aws:iam::111122223333:user/alice' } })), req(me))).toBe(
      'allow',
    );
    expect(evaluatePolicy(policy(allow({ Principal: { CanonicalUser: 'c'.repeat(64) } })), req(me))).toBe('allow');
    expect(evaluatePolicy(policy(allow({ Principal: { AWS: '444455556666' } })), req(me))).toBe('none');
    expect(
      evaluatePolicy(policy(allow({ Principal: { AWS: 'arn:aws:iam::111122223333:user/bob' } })), req({ arn: me.arn })),
    ).toBe('none');
    expect(evaluatePolicy(policy(allow({ Principal: { AWS: '111122223333' } })), anonymousGet())).toBe('none');
  });

  it('a service principal matches only that service', () => {
    const p = policy(allow({ Principal: { Service: LOGGING_SERVICE }, Action: 's3:PutObject' }));
    const put = { ...anonymousGet(), action: 's3:PutObject' };
    expect(evaluatePolicy(p, { ...put, principal: { service: LOGGING_SERVICE } })).toBe('allow');
    expect(evaluatePolicy(p, { ...put, principal: { service: 'cloudtrail.amazonaws.com' } })).toBe('none');
    expect(evaluatePolicy(p, put)).toBe('none');
  });

  it('the AWS log-delivery policy: allows the logging service with matching SourceAccount and SourceArn', () => {
    const p = parsePolicy(LOG_DELIVERY_POLICY, BUCKET);
    expect(LOGGING_SERVICE).toBe('logging.s3.amazonaws.com');
    expect(evaluatePolicy(p, delivery())).toBe('allow');
  });

  it('the AWS log-delivery policy: wrong or missing SourceAccount/SourceArn, other prefix, other action → none', () => {
    const p = parsePolicy(LOG_DELIVERY_POLICY, BUCKET);
    expect(
      evaluatePolicy(
        p,
        delivery({
          context: { 'aws:SourceAccount': '999999999999', 'aws:SourceArn': 'arn:aws:s3:::SOURCE-BUCKET-NAME' },
        }),
      ),
    ).toBe('none');
    expect(
      evaluatePolicy(
        p,
        delivery({
          context: { 'aws:SourceAccount': 'SOURCE-ACCOUNT-ID', 'aws:SourceArn': 'arn:aws:s3:::other-source' },
        }),
      ),
    ).toBe('none');
    expect(evaluatePolicy(p, delivery({ context: { 'aws:SourceArn': 'arn:aws:s3:::SOURCE-BUCKET-NAME' } }))).toBe(
      'none',
    );
    expect(evaluatePolicy(p, delivery({ context: {} }))).toBe('none');
    expect(evaluatePolicy(p, delivery({ resource: resourceArn(BUCKET, 'other-prefix/log') }))).toBe('none');
    expect(evaluatePolicy(p, delivery({ action: 's3:DeleteObject' }))).toBe('none');
  });

  it('ArnLike and StringLike take wildcards; condition keys match case-insensitively', () => {
    const p = policy(
      allow({
        Principal: { Service: LOGGING_SERVICE },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
        Condition: {
          ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::source-*' },
          StringLike: { 'aws:SourceAccount': '1111????3333' },
        },
      }),
    );
    expect(
      evaluatePolicy(
        p,
        delivery({ context: { 'aws:SourceArn': 'arn:aws:s3:::source-a', 'aws:SourceAccount': '111122223333' } }),
      ),
    ).toBe('allow');
    expect(
      evaluatePolicy(
        p,
        delivery({ context: { 'aws:SourceArn': 'arn:aws:s3:::sourcea', 'aws:SourceAccount': '111122223333' } }),
      ),
    ).toBe('none');
    expect(
      evaluatePolicy(
        p,
        delivery({ context: { 'aws:sourcearn': 'arn:aws:s3:::source-a', 'aws:sourceaccount': '111122223333' } }),
      ),
    ).toBe('allow');
  });

  it('a condition value list matches any of its values', () => {
    const p = policy(allow({ Condition: { StringEquals: { 'aws:SourceAccount': ['1', '2'] } } }));
    expect(evaluatePolicy(p, { ...anonymousGet(), context: { 'aws:SourceAccount': '2' } })).toBe('allow');
    expect(evaluatePolicy(p, { ...anonymousGet(), context: { 'aws:SourceAccount': '3' } })).toBe('none');
  });

  it('Numeric, Bool, IpAddress and Null operators; an absent key fails positive operators and passes negated ones', () => {
    const numeric = policy(allow({ Condition: { NumericLessThanEquals: { 's3:max-keys': '10' } } }));
    expect(evaluatePolicy(numeric, { ...anonymousGet(), context: { 's3:max-keys': '10' } })).toBe('allow');
    expect(evaluatePolicy(numeric, { ...anonymousGet(), context: { 's3:max-keys': '11' } })).toBe('none');
    expect(evaluatePolicy(numeric, anonymousGet())).toBe('none');
    const ip = policy(allow({ Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } } }));
    expect(evaluatePolicy(ip, { ...anonymousGet(), context: { 'aws:SourceIp': '10.1.2.3' } })).toBe('allow');
    expect(evaluatePolicy(ip, { ...anonymousGet(), context: { 'aws:SourceIp': '2001:db8::1' } })).toBe('allow');
    expect(evaluatePolicy(ip, { ...anonymousGet(), context: { 'aws:SourceIp': '127.0.0.1' } })).toBe('none');
    const notIp = policy(allow({ Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }));
    expect(evaluatePolicy(notIp, anonymousGet())).toBe('allow');
    const bool = policy(allow({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } }));
    expect(evaluatePolicy(bool, { ...anonymousGet(), context: { 'aws:SecureTransport': 'true' } })).toBe('allow');
    expect(evaluatePolicy(bool, { ...anonymousGet(), context: { 'aws:SecureTransport': 'false' } })).toBe('none');
    const isNull = policy(allow({ Condition: { Null: { 's3:x-amz-acl': 'true' } } }));
    expect(evaluatePolicy(isNull, anonymousGet())).toBe('allow');
    expect(evaluatePolicy(isNull, { ...anonymousGet(), context: { 's3:x-amz-acl': 'private' } })).toBe('none');
    const ifExists = policy(allow({ Condition: { StringEqualsIfExists: { 's3:x-amz-acl': 'private' } } }));
    expect(evaluatePolicy(ifExists, anonymousGet())).toBe('allow');
    expect(evaluatePolicy(ifExists, { ...anonymousGet(), context: { 's3:x-amz-acl': 'public-read' } })).toBe('none');
  });

  it('a key s3scribe cannot fill never widens access: a Deny on it applies, an Allow on it does not', () => {
    const condition = { StringEquals: { 'aws:PrincipalTag/team': 'a' } };
    expect(evaluatePolicy(policy(allow({ Condition: condition })), anonymousGet())).toBe('none');
    expect(
      evaluatePolicy(policy(allow({}), { ...allow({ Condition: condition }), Effect: 'Deny' }), anonymousGet()),
    ).toBe('deny');
  });

  it('an explicit Deny wins over any Allow, in either order', () => {
    const deny: PolicyStatement = { ...allow({}), Effect: 'Deny' };
    expect(evaluatePolicy(policy(allow({}), deny), anonymousGet())).toBe('deny');
    expect(evaluatePolicy(policy(deny, allow({})), anonymousGet())).toBe('deny');
    expect(evaluatePolicy(policy(deny), anonymousGet())).toBe('deny');
  });

  it('a Deny that does not apply leaves the Allow', () => {
    const deny: PolicyStatement = { ...allow({ Resource: `arn:aws:s3:::${BUCKET}/private/*` }), Effect: 'Deny' };
    expect(evaluatePolicy(policy(allow({}), deny), anonymousGet('public/a'))).toBe('allow');
    expect(evaluatePolicy(policy(allow({}), deny), anonymousGet('private/a'))).toBe('deny');
  });

  it('wildcard actions and resources: s3:*, *, s3:Get*, ? and the bucket ARN', () => {
    expect(evaluatePolicy(policy(allow({ Action: 's3:*' })), anonymousGet())).toBe('allow');
    expect(evaluatePolicy(policy(allow({ Action: '*' })), anonymousGet())).toBe('allow');
    expect(evaluatePolicy(policy(allow({ Action: 's3:Get*' })), anonymousGet())).toBe('allow');
    expect(evaluatePolicy(policy(allow({ Action: 's3:Put*' })), anonymousGet())).toBe('none');
    expect(evaluatePolicy(policy(allow({ Action: 's3:getobject' })), anonymousGet())).toBe('allow');
    expect(evaluatePolicy(policy(allow({ Resource: `arn:aws:s3:::${BUCKET}/dir/*` })), anonymousGet('dir/sub/k'))).toBe(
      'allow',
    );
    expect(evaluatePolicy(policy(allow({ Resource: `arn:aws:s3:::${BUCKET}/?` })), anonymousGet('k'))).toBe('allow');
    expect(evaluatePolicy(policy(allow({ Resource: `arn:aws:s3:::${BUCKET}/?` })), anonymousGet('kk'))).toBe('none');
    expect(evaluatePolicy(policy(allow({ Resource: `arn:aws:s3:::${BUCKET}` })), anonymousGet('k'))).toBe('none');
    expect(
      evaluatePolicy(policy(allow({ Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` })), {
        ...anonymousGet(),
        action: 's3:ListBucket',
        resource: resourceArn(BUCKET),
      }),
    ).toBe('allow');
  });

  it('regex characters in ARNs are literal', () => {
    expect(evaluatePolicy(policy(allow({ Resource: `arn:aws:s3:::${BUCKET}/a.b(c)+` })), anonymousGet('a.b(c)+'))).toBe(
      'allow',
    );
    expect(evaluatePolicy(policy(allow({ Resource: `arn:aws:s3:::${BUCKET}/a.b` })), anonymousGet('axb'))).toBe('none');
  });

  it('NotAction and NotResource', () => {
    expect(evaluatePolicy(policy(allow({ Action: undefined, NotAction: 's3:DeleteObject' })), anonymousGet())).toBe(
      'allow',
    );
    expect(evaluatePolicy(policy(allow({ Action: undefined, NotAction: 's3:GetObject' })), anonymousGet())).toBe(
      'none',
    );
    expect(
      evaluatePolicy(
        policy(allow({ Resource: undefined, NotResource: `arn:aws:s3:::${BUCKET}/private/*` })),
        anonymousGet('public'),
      ),
    ).toBe('allow');
    expect(
      evaluatePolicy(
        policy(allow({ Resource: undefined, NotResource: `arn:aws:s3:::${BUCKET}/private/*` })),
        anonymousGet('private/x'),
      ),
    ).toBe('none');
  });

  it('NotPrincipal: a Deny refuses everyone but the listed principals; an Allow admits everyone else, anonymous included', () => {
    const listed = { AWS: 'arn:aws:iam::111122223333:root' };
    const account = {
      ...anonymousGet(),
      principal: { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:root' },
    };
    const deny = { ...allow({ Principal: undefined, NotPrincipal: listed }), Effect: 'Deny' as const };
    expect(evaluatePolicy(policy(allow({}), deny), anonymousGet())).toBe('deny');
    expect(evaluatePolicy(policy(allow({}), deny), account)).toBe('allow');
    const allowOthers = allow({ Principal: undefined, NotPrincipal: listed });
    expect(evaluatePolicy(policy(allowOthers), anonymousGet())).toBe('allow');
    expect(evaluatePolicy(policy(allowOthers), account)).toBe('none');
  });

  it('resource ARNs match case-sensitively, actions case-insensitively', () => {
    const p = policy(allow({ Action: 'S3:GETOBJECT', Resource: `arn:aws:s3:::${BUCKET}/public/*` }));
    expect(evaluatePolicy(p, anonymousGet('public/a'))).toBe('allow');
    expect(evaluatePolicy(p, anonymousGet('PUBLIC/a'))).toBe('none');
  });
});

describe('IAM actions / resourceArn', () => {
  it('IAM actions for operations whose action is not s3:<Operation>', () => {
    expect(operationTable.ListObjectsV2.action).toBe('s3:ListBucket');
    expect(operationTable.HeadObject.action).toBe('s3:GetObject');
    expect(operationTable.CopyObject.action).toBe('s3:PutObject');
    expect(operationTable.UploadPart.action).toBe('s3:PutObject');
    expect(operationTable.ListParts.action).toBe('s3:ListMultipartUploadParts');
    expect(operationTable.DeleteObjects.action).toBe('s3:DeleteObject');
    expect(operationTable.ListBuckets.action).toBe('s3:ListAllMyBuckets');
    expect(operationTable.GetObject.action).toBe('s3:GetObject');
    expect(operationTable.GetBucketPolicy.action).toBe('s3:GetBucketPolicy');
    expect(operationTable.GetBucketCors.action).toBe('s3:GetBucketCORS');
    expect(operationTable.DeleteBucketLifecycle.action).toBe('s3:PutLifecycleConfiguration');
    // Every operation but the unauthenticated CORS preflight names its IAM action.
    for (const [name, row] of Object.entries(operationTable)) {
      if (name !== 'OptionsPreflight') expect(row.action, name).toMatch(/^s3:[A-Z][A-Za-z]+$/);
    }
  });

  it('bucket and object ARNs', () => {
    expect(resourceArn('b')).toBe('arn:aws:s3:::b');
    expect(resourceArn('b', 'dir/k')).toBe('arn:aws:s3:::b/dir/k');
    expect(resourceArn('b', '')).toBe('arn:aws:s3:::b/');
  });
});
