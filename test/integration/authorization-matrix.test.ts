import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type IdentityConfig, type RunningServer, startServer } from '../../server/index.js';
import {
  freshBucket,
  makeDataRoot,
  type RawRequest,
  type RawResponse,
  rawClient,
  s3ClientFor,
  xmlText,
  xmlTexts,
} from '../helpers/server.js';

// The authorization matrix: one row per (bucket policy / ACL, request, expected answer), as AWS
// documents bucket-policy evaluation for S3:
//   https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// An explicit Deny refuses anyone it names, signed or not (the bucket owner's root keeps
// Get/Put/DeleteBucketPolicy). Otherwise the bucket owner's account has full rights; any other
// caller, a signed one of another account or an anonymous one, needs an Allow from the policy or,
// with no policy decision, an ACL grant: to its canonical id or AuthenticatedUsers (signed callers
// only), or to AllUsers. An object's owner holds every permission on it. Rows that test a Deny
// against a caller of another account give that caller an Allow (`allowOthers`), so that only the
// Deny is under test. Every row gets a fresh bucket owned by `owner`, seeded with SEED objects.
//
// Rows that state s3scribe's own rules rather than AWS's: s3scribe has no identity (IAM) policies
// and does not verify signatures, so an IAM user of the owner's account (`ops`) acts with the
// account's full rights, and a caller of another account needs only the bucket's Allow or grant
// (AWS also asks its own account's IAM policy to allow it); and a key s3scribe cannot fill
// (aws:PrincipalTag/*) keeps an Allow from applying and lets a Deny apply. The buckets behave as
// AWS buckets with ACLs enabled (Object Ownership ObjectWriter) and Block Public Access off, which
// public ACLs and Principal "*" grants need on AWS. A row AWS answers differently is `fails`.

// ---------------------------------------------------------------------------------------------
// Identities (the `identities` start option, as `--identities` on the command line)
// ---------------------------------------------------------------------------------------------

const OWNER_ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const THIRD_ACCOUNT = '333333333333';
const hex64 = (c: string): string => c.repeat(64);

const IDENTITIES = {
  /** The bucket owner's root: identities[0], so the SDK client creates buckets as it. */
  owner: {
    accessKeyId: 'owner-key',
    accountId: OWNER_ACCOUNT,
    canonicalId: hex64('a'),
    displayName: 'owner',
    arn: `arn:aws:iam::${OWNER_ACCOUNT}:root`,
  },
  /** An IAM user of the owner's account: same canonical id, but not the root. */
  ops: {
    accessKeyId: 'ops-key',
    accountId: OWNER_ACCOUNT,
    canonicalId: hex64('a'),
    displayName: 'owner',
    arn: `arn:aws:iam::${OWNER_ACCOUNT}:user/ops`,
  },
  alice: {
    accessKeyId: 'alice-key',
    accountId: OTHER_ACCOUNT,
    canonicalId: hex64('b'),
    displayName: 'other',
    arn: `arn:aws:iam::${OTHER_ACCOUNT}:user/alice`,
  },
  bob: {
    accessKeyId: 'bob-key',
    accountId: OTHER_ACCOUNT,
    canonicalId: hex64('b'),
    displayName: 'other',
    arn: `arn:aws:iam::${OTHER_ACCOUNT}:user/bob`,
  },
  carol: {
    accessKeyId: 'carol-key',
    accountId: THIRD_ACCOUNT,
    canonicalId: hex64('c'),
    displayName: 'third',
    arn: `arn:aws:iam::${THIRD_ACCOUNT}:root`,
  },
} satisfies Record<string, IdentityConfig>;

type Who = keyof typeof IDENTITIES | 'anonymous';
const ALICE_ARN = IDENTITIES.alice.arn;

// ---------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------

interface Req {
  method?: string;
  /** After `/<bucket>`: `/key` or `?query`. Default `/file.txt`. */
  path?: string;
  /** The whole request target instead (another bucket). */
  url?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Default anonymous. */
  as?: Who;
  /** How a signed caller presents credentials. Default a SigV4 Authorization header. */
  auth?: 'sigv4' | 'sigv2' | 'presigned';
}

interface Expected {
  status: number;
  code?: string;
  message?: string;
}

interface Ctx {
  b: string;
  res: RawResponse;
  send: (req: Req) => Promise<RawResponse>;
}

interface Row {
  name: string;
  /** Statements of the bucket policy (none: no policy). */
  policy?: (b: string) => object[];
  /** Bucket ACL set by the owner before the request: a canned ACL, or x-amz-grant-* headers. */
  acl?: 'public-read' | 'public-read-write' | 'authenticated-read' | Record<string, string>;
  /** Runs after seeding, ACL and policy, before the request. */
  setup?: (c: Omit<Ctx, 'res'>) => Promise<void>;
  req: Req | ((b: string) => Req);
  expect: Expected;
  /** More assertions on the outcome. */
  check?: (c: Ctx) => Promise<void>;
  /** The server disagrees with AWS's documented behaviour: the row states AWS's answer. */
  fails?: string;
}

const SEED = ['file.txt', 'public/x', 'PUBLIC/secret', 'private/y', 'logs/a', 'logs/keep/b', 'other/c'];

const bucketArn = (b: string): string => `arn:aws:s3:::${b}`;
const objArn = (b: string, key = '*'): string => `arn:aws:s3:::${b}/${key}`;
const both = (b: string): string[] => [bucketArn(b), objArn(b)];

type Stmt = Record<string, unknown>;
const allow = (Action: string | string[], Resource: string | string[], extra: Stmt = {}): Stmt => ({
  Effect: 'Allow',
  Principal: '*',
  Action,
  Resource,
  ...extra,
});
const deny = (Action: string | string[], Resource: string | string[], extra: Stmt = {}): Stmt => ({
  Effect: 'Deny',
  Principal: '*',
  Action,
  Resource,
  ...extra,
});
const allowGet = (b: string, extra: Stmt = {}): Stmt => allow('s3:GetObject', objArn(b), extra);
/**
 * An Allow naming the other accounts (alice's and bob's, carol's): how a bucket owner shares a
 * bucket with another account on AWS. Rows that test a Deny against such a caller add it, so that
 * the Deny is the only thing under test.
 */
const allowOthers = (Action: string | string[], Resource: string | string[], extra: Stmt = {}): Stmt =>
  allow(Action, Resource, { Principal: { AWS: [OTHER_ACCOUNT, THIRD_ACCOUNT] }, ...extra });
const allowOthersGet = (b: string): Stmt => allowOthers('s3:GetObject', objArn(b));
/** A grantee in an x-amz-grant-* header: one identity's canonical id. */
const grantee = (who: keyof typeof IDENTITIES): string => `id="${IDENTITIES[who].canonicalId}"`;
/** A bucket ACL keeping the owner's FULL_CONTROL and giving carol one more permission. */
const carolMay = (header: 'x-amz-grant-read' | 'x-amz-grant-write'): Record<string, string> => ({
  'x-amz-grant-full-control': grantee('owner'),
  [header]: grantee('carol'),
});
const denyGet = (b: string, extra: Stmt = {}): Stmt => deny('s3:GetObject', objArn(b), extra);
const cond = (Condition: Record<string, Record<string, unknown>>): Stmt => ({ Condition });

const OK: Expected = { status: 200 };
const NO_CONTENT: Expected = { status: 204 };
const DENIED: Expected = { status: 403, code: 'AccessDenied' };
const malformed = (message?: string): Expected => ({ status: 400, code: 'MalformedPolicy', message });

const get = (key = 'file.txt', as: Who = 'anonymous', headers?: Record<string, string>): Req => ({
  method: 'GET',
  path: `/${encodeKey(key)}`,
  as,
  headers,
});
const put = (key: string, as: Who = 'anonymous', headers?: Record<string, string>): Req => ({
  method: 'PUT',
  path: `/${encodeKey(key)}`,
  as,
  headers,
  body: `body of ${key}`,
});
const list = (query = '', as: Who = 'anonymous'): Req => ({
  method: 'GET',
  path: `?list-type=2${query}`,
  as,
});
const putPolicy = (text: string, as: Who = 'owner'): Req => ({
  method: 'PUT',
  path: '?policy',
  as,
  headers: { 'content-type': 'application/json' },
  body: text,
});
const deleteObjectsBody = (keys: string[]): string =>
  `<Delete>${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join('')}</Delete>`;
const md5 = (s: string): string => createHash('md5').update(s).digest('base64');
const deleteObjects = (keys: string[], as: Who = 'anonymous', integrity: 'md5' | 'sha256' | 'none' = 'md5'): Req => {
  const body = deleteObjectsBody(keys);
  const headers: Record<string, string> = { 'content-type': 'application/xml' };
  if (integrity === 'md5') headers['content-md5'] = md5(body);
  if (integrity === 'sha256') headers['x-amz-checksum-sha256'] = createHash('sha256').update(body).digest('base64');
  return { method: 'POST', path: '?delete', as, headers, body };
};

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

const policyText = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements.map((s, i) => ({ Sid: `S${i}`, ...s })) });

// -- Assertion helpers used by `check` ---------------------------------------------------------

async function exists(send: Ctx['send'], key: string): Promise<boolean> {
  const res = await send({ method: 'HEAD', path: `/${encodeKey(key)}`, as: 'owner' });
  if (res.status !== 200 && res.status !== 404) throw new Error(`HEAD ${key} as owner: ${res.status}`);
  return res.status === 200;
}

function deleteResult(res: RawResponse): { deleted: string[]; errors: { key?: string; code?: string }[] } {
  return {
    deleted: xmlTexts(res.text, 'Deleted').map((d) => xmlText(d, 'Key')!),
    errors: xmlTexts(res.text, 'Error').map((e) => ({ key: xmlText(e, 'Key'), code: xmlText(e, 'Code') })),
  };
}

async function policyIsAbsent(c: Ctx): Promise<void> {
  const res = await c.send({ method: 'GET', path: '?policy', as: 'owner' });
  expect({ status: res.status, code: xmlText(res.text, 'Code') }).toEqual({
    status: 404,
    code: 'NoSuchBucketPolicy',
  });
}

// ---------------------------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------------------------

const matrix: Record<string, Row[]> = {
  Principal: [
    { name: 'no policy, no ACL: anonymous GetObject is denied', req: get(), expect: DENIED },
    {
      name: 'Principal "*" Allow GetObject: anonymous GET allowed',
      policy: (b) => [allowGet(b)],
      req: get(),
      expect: OK,
    },
    {
      name: 'Principal {"AWS":"*"} Allow GetObject: anonymous GET allowed',
      policy: (b) => [{ ...allowGet(b), Principal: { AWS: '*' } }],
      req: get(),
      expect: OK,
    },
    {
      name: 'Principal {"AWS":[alice]} Allow: an anonymous caller is not named, denied',
      policy: (b) => [{ ...allowGet(b), Principal: { AWS: [ALICE_ARN] } }],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Principal {"Service":"logging.s3.amazonaws.com"} Allow: an anonymous caller is not that service, denied',
      policy: (b) => [{ ...allowGet(b), Principal: { Service: 'logging.s3.amazonaws.com' } }],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Principal {"CanonicalUser":alice} Deny: alice (by canonical id) denied',
      policy: (b) => [allowOthersGet(b), { ...denyGet(b), Principal: { CanonicalUser: IDENTITIES.alice.canonicalId } }],
      req: get('file.txt', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Principal {"CanonicalUser":alice} Deny: carol (another canonical id) allowed',
      policy: (b) => [allowOthersGet(b), { ...denyGet(b), Principal: { CanonicalUser: IDENTITIES.alice.canonicalId } }],
      req: get('file.txt', 'carol'),
      expect: OK,
    },
  ],

  'Another account needs a policy Allow or an ACL grant': [
    {
      name: 'no policy, no ACL: carol (another account) GetObject denied',
      req: get('file.txt', 'carol'),
      expect: DENIED,
    },
    {
      name: 'no policy, no ACL: carol PutObject denied',
      req: put('new', 'carol'),
      expect: DENIED,
      check: async ({ send }) => {
        expect(await exists(send, 'new')).toBe(false);
      },
    },
    { name: 'no policy, no ACL: carol ListObjectsV2 denied', req: list('', 'carol'), expect: DENIED },
    {
      name: 'no policy, no ACL: carol DeleteObject denied',
      req: { method: 'DELETE', path: '/file.txt', as: 'carol' },
      expect: DENIED,
      check: async ({ send }) => {
        expect(await exists(send, 'file.txt')).toBe(true);
      },
    },
    {
      name: 'bucket ACL grants READ to carol (x-amz-grant-read id=…): carol ListObjectsV2 allowed',
      acl: carolMay('x-amz-grant-read'),
      req: list('', 'carol'),
      expect: OK,
    },
    {
      name: 'bucket ACL grants READ to carol: alice (another canonical id) ListObjectsV2 denied',
      acl: carolMay('x-amz-grant-read'),
      req: list('', 'alice'),
      expect: DENIED,
    },
    {
      name: 'bucket ACL grants READ to carol: carol PUT denied (READ is not WRITE)',
      acl: carolMay('x-amz-grant-read'),
      req: put('new', 'carol'),
      expect: DENIED,
    },
    {
      name: 'bucket ACL grants READ to carol + Deny ListBucket to her account: carol ListObjectsV2 denied',
      acl: carolMay('x-amz-grant-read'),
      policy: (b) => [{ ...deny('s3:ListBucket', bucketArn(b)), Principal: { AWS: THIRD_ACCOUNT } }],
      req: list('', 'carol'),
      expect: DENIED,
    },
    {
      name: 'bucket ACL public-read (AllUsers): carol ListObjectsV2 allowed',
      acl: 'public-read',
      req: list('', 'carol'),
      expect: OK,
    },
    {
      name: 'bucket ACL authenticated-read (AuthenticatedUsers): carol ListObjectsV2 allowed',
      acl: 'authenticated-read',
      req: list('', 'carol'),
      expect: OK,
    },
    {
      name: 'bucket ACL authenticated-read: anonymous ListObjectsV2 denied (not authenticated)',
      acl: 'authenticated-read',
      req: list(),
      expect: DENIED,
    },
    {
      name: 'Allow GetObject to Principal {"AWS":"222222222222"}: alice of that account GET allowed',
      policy: (b) => [{ ...allowGet(b), Principal: { AWS: OTHER_ACCOUNT } }],
      req: get('file.txt', 'alice'),
      expect: OK,
    },
    {
      name: 'Allow GetObject to Principal {"AWS":"222222222222"}: carol (another account) GET denied',
      policy: (b) => [{ ...allowGet(b), Principal: { AWS: OTHER_ACCOUNT } }],
      req: get('file.txt', 'carol'),
      expect: DENIED,
    },
    {
      name: 'Allow GetObject to Principal {"AWS":"222222222222"}: alice ListObjectsV2 denied (only GetObject)',
      policy: (b) => [{ ...allowGet(b), Principal: { AWS: OTHER_ACCOUNT } }],
      req: list('', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Allow GetObject to Principal {"AWS":alice user ARN}: alice GET allowed',
      policy: (b) => [{ ...allowGet(b), Principal: { AWS: ALICE_ARN } }],
      req: get('file.txt', 'alice'),
      expect: OK,
    },
    {
      name: 'Allow GetObject to Principal {"AWS":alice user ARN}: bob (same account, other user) denied',
      policy: (b) => [{ ...allowGet(b), Principal: { AWS: ALICE_ARN } }],
      req: get('file.txt', 'bob'),
      expect: DENIED,
    },
    {
      name: 'Allow GetObject to Principal {"CanonicalUser":carol}: carol GET allowed',
      policy: (b) => [{ ...allowGet(b), Principal: { CanonicalUser: IDENTITIES.carol.canonicalId } }],
      req: get('file.txt', 'carol'),
      expect: OK,
    },
    {
      name: 'bucket ACL grants WRITE to carol: carol PUT allowed, and she reads her object back as its owner',
      acl: carolMay('x-amz-grant-write'),
      req: put('mine', 'carol'),
      expect: OK,
      check: async ({ send }) => {
        const own = await send(get('mine', 'carol'));
        expect(own.status, own.text).toBe(200);
        expect(own.text).toBe('body of mine');
        // The bucket owner's objects stay closed to her: WRITE on the bucket is not READ on them.
        expect((await send(get('file.txt', 'carol'))).status).toBe(403);
      },
    },
    {
      name: 'no policy: ops (an IAM user of the owner account) GetObject allowed',
      req: get('file.txt', 'ops'),
      expect: OK,
    },
    { name: 'no policy: ops PutObject allowed', req: put('new', 'ops'), expect: OK },
    { name: 'no policy: ops ListObjectsV2 allowed', req: list('', 'ops'), expect: OK },
    {
      name: 'no policy: ops DeleteObject allowed',
      req: { method: 'DELETE', path: '/file.txt', as: 'ops' },
      expect: NO_CONTENT,
      check: async ({ send }) => {
        expect(await exists(send, 'file.txt')).toBe(false);
      },
    },
  ],

  'Deny naming a signed identity': [
    {
      name: 'Deny Principal {"AWS":"222222222222"} (account id): alice of that account denied',
      policy: (b) => [allowOthersGet(b), { ...denyGet(b), Principal: { AWS: OTHER_ACCOUNT } }],
      req: get('file.txt', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Deny Principal {"AWS":"222222222222"} (account id): carol of another account allowed',
      policy: (b) => [allowOthersGet(b), { ...denyGet(b), Principal: { AWS: OTHER_ACCOUNT } }],
      req: get('file.txt', 'carol'),
      expect: OK,
    },
    {
      name: 'Deny Principal {"AWS":"arn:aws:iam::222222222222:root"}: bob of that account denied',
      policy: (b) => [allowOthersGet(b), { ...denyGet(b), Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` } }],
      req: get('file.txt', 'bob'),
      expect: DENIED,
    },
    {
      name: 'Deny Principal {"AWS":alice user ARN}: alice denied',
      policy: (b) => [allowOthersGet(b), { ...denyGet(b), Principal: { AWS: ALICE_ARN } }],
      req: get('file.txt', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Deny Principal {"AWS":alice user ARN}: bob (same account, other user) allowed',
      policy: (b) => [allowOthersGet(b), { ...denyGet(b), Principal: { AWS: ALICE_ARN } }],
      req: get('file.txt', 'bob'),
      expect: OK,
    },
    {
      name: 'Deny Principal {"AWS":alice user ARN}: anonymous is not alice; with no Allow, still denied',
      policy: (b) => [{ ...denyGet(b), Principal: { AWS: ALICE_ARN } }],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Deny Principal {"AWS":alice} + Allow "*": anonymous allowed (the Deny does not name it)',
      policy: (b) => [allowGet(b), { ...denyGet(b), Principal: { AWS: ALICE_ARN } }],
      req: get(),
      expect: OK,
    },
    {
      name: 'Deny Principal "*" applies to a signed caller (alice PUT denied)',
      policy: (b) => [allowOthers('s3:PutObject', objArn(b)), deny('s3:PutObject', objArn(b))],
      req: put('new', 'alice'),
      expect: DENIED,
    },
  ],

  Action: [
    {
      name: 'Action "S3:getOBJECT" matches GetObject (actions ignore case)',
      policy: (b) => [allow('S3:getOBJECT', objArn(b))],
      req: get(),
      expect: OK,
    },
    {
      name: 'Action "s3:Get*" matches GetObject',
      policy: (b) => [allow('s3:Get*', objArn(b))],
      req: get(),
      expect: OK,
    },
    {
      name: 'Action "s3:Get?bject" (? = one character) matches GetObject',
      policy: (b) => [allow('s3:Get?bject', objArn(b))],
      req: get(),
      expect: OK,
    },
    {
      name: 'Action "s3:Get?Object" does not match GetObject (? needs exactly one character)',
      policy: (b) => [allow('s3:Get?Object', objArn(b))],
      req: get(),
      expect: DENIED,
    },
    { name: 'Action "*" matches GetObject', policy: (b) => [allow('*', objArn(b))], req: get(), expect: OK },
    {
      name: 'Action ["s3:PutObject","s3:GetObject"] matches GetObject',
      policy: (b) => [allow(['s3:PutObject', 's3:GetObject'], objArn(b))],
      req: get(),
      expect: OK,
    },
    {
      name: 'Action "s3:PutObject" does not grant GetObject',
      policy: (b) => [allow('s3:PutObject', objArn(b))],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Deny Action "S3:GETOBJECT" (any case) beats Allow s3:GetObject',
      policy: (b) => [allowGet(b), deny('S3:GETOBJECT', objArn(b))],
      req: get(),
      expect: DENIED,
    },
  ],

  NotAction: [
    {
      name: 'Allow NotAction s3:PutObject: anonymous GET allowed',
      policy: (b) => [{ ...allow('x', objArn(b)), Action: undefined, NotAction: 's3:PutObject' }],
      req: get(),
      expect: OK,
    },
    {
      name: 'Allow NotAction s3:PutObject: anonymous PUT denied',
      policy: (b) => [{ ...allow('x', objArn(b)), Action: undefined, NotAction: 's3:PutObject' }],
      req: put('new'),
      expect: DENIED,
    },
    {
      name: 'Deny NotAction [GetObject, ListBucket]: alice GET allowed',
      policy: (b) => [
        allowOthers(['s3:GetObject', 's3:PutObject'], objArn(b)),
        { ...deny('x', both(b)), Action: undefined, NotAction: ['s3:GetObject', 's3:ListBucket'] },
      ],
      req: get('file.txt', 'alice'),
      expect: OK,
    },
    {
      name: 'Deny NotAction [GetObject, ListBucket]: alice PUT denied',
      policy: (b) => [
        allowOthers(['s3:GetObject', 's3:PutObject'], objArn(b)),
        { ...deny('x', both(b)), Action: undefined, NotAction: ['s3:GetObject', 's3:ListBucket'] },
      ],
      req: put('new', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Deny NotAction "s3:getobject" (any case): alice GET allowed',
      policy: (b) => [allowOthersGet(b), { ...deny('x', objArn(b)), Action: undefined, NotAction: 's3:getobject' }],
      req: get('file.txt', 'alice'),
      expect: OK,
    },
  ],

  Resource: [
    {
      name: 'Resource bucket/public/*: GET public/x allowed',
      policy: (b) => [allow('s3:GetObject', objArn(b, 'public/*'))],
      req: get('public/x'),
      expect: OK,
    },
    {
      name: 'Resource bucket/public/*: GET PUBLIC/secret denied (ARNs match case-sensitively)',
      policy: (b) => [allow('s3:GetObject', objArn(b, 'public/*'))],
      req: get('PUBLIC/secret'),
      expect: DENIED,
    },
    {
      name: 'Resource bucket/file.tx? matches file.txt',
      policy: (b) => [allow('s3:GetObject', objArn(b, 'file.tx?'))],
      req: get(),
      expect: OK,
    },
    {
      name: 'Resource bucket/file.t? does not match file.txt (? is one character)',
      policy: (b) => [allow('s3:GetObject', objArn(b, 'file.t?'))],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Resource bucket/file.txt (exact): GET file.txt allowed',
      policy: (b) => [allow('s3:GetObject', objArn(b, 'file.txt'))],
      req: get(),
      expect: OK,
    },
    { name: 'Resource "*": GET allowed', policy: () => [allow('s3:GetObject', '*')], req: get(), expect: OK },
    {
      name: 'Resource = bucket ARN only: GetObject on an object denied',
      policy: (b) => [allow(['s3:GetObject', 's3:ListBucket'], bucketArn(b))],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Resource = bucket ARN only: ListBucket allowed',
      policy: (b) => [allow(['s3:GetObject', 's3:ListBucket'], bucketArn(b))],
      req: list(),
      expect: OK,
    },
    {
      // GetObject keeps the statement valid on AWS (an action must apply to some listed resource).
      name: 'Resource bucket/public/* does not grant ListBucket on the bucket',
      policy: (b) => [allow(['s3:GetObject', 's3:ListBucket'], objArn(b, 'public/*'))],
      req: list(),
      expect: DENIED,
    },
    {
      name: 'Resource with a space in the key (bucket/a b/*) matches the decoded key',
      policy: (b) => [allow('s3:GetObject', objArn(b, 'a b/*'))],
      setup: async ({ send }) => {
        expect((await send(put('a b/c', 'owner'))).status).toBe(200);
      },
      req: get('a b/c'),
      expect: OK,
    },
    {
      name: 'Deny bucket/PUBLIC/* + Allow bucket/*: GET public/x allowed (the Deny is case-sensitive too)',
      policy: (b) => [allowGet(b), deny('s3:GetObject', objArn(b, 'PUBLIC/*'))],
      req: get('public/x'),
      expect: OK,
    },
    {
      name: 'Deny bucket/PUBLIC/* + Allow bucket/*: GET PUBLIC/secret denied',
      policy: (b) => [allowGet(b), deny('s3:GetObject', objArn(b, 'PUBLIC/*'))],
      req: get('PUBLIC/secret'),
      expect: DENIED,
    },
  ],

  NotResource: [
    {
      name: 'Allow NotResource bucket/private/*: GET file.txt allowed',
      policy: (b) => [{ ...allow('s3:GetObject', 'x'), Resource: undefined, NotResource: objArn(b, 'private/*') }],
      req: get(),
      expect: OK,
    },
    {
      name: 'Allow NotResource bucket/private/*: GET private/y denied',
      policy: (b) => [{ ...allow('s3:GetObject', 'x'), Resource: undefined, NotResource: objArn(b, 'private/*') }],
      req: get('private/y'),
      expect: DENIED,
    },
    {
      name: 'Deny NotResource bucket/public/* + Allow bucket/*: GET public/x allowed',
      policy: (b) => [
        allowGet(b),
        { ...deny('s3:GetObject', 'x'), Resource: undefined, NotResource: objArn(b, 'public/*') },
      ],
      req: get('public/x'),
      expect: OK,
    },
    {
      name: 'Deny NotResource bucket/public/* + Allow bucket/*: GET private/y denied',
      policy: (b) => [
        allowGet(b),
        { ...deny('s3:GetObject', 'x'), Resource: undefined, NotResource: objArn(b, 'public/*') },
      ],
      req: get('private/y'),
      expect: DENIED,
    },
    {
      name: 'Deny NotResource bucket/public/*: alice GET PUBLIC/secret denied (case-sensitive, so not excluded)',
      policy: (b) => [
        allowOthersGet(b),
        { ...deny('s3:GetObject', 'x'), Resource: undefined, NotResource: objArn(b, 'public/*') },
      ],
      req: get('PUBLIC/secret', 'alice'),
      expect: DENIED,
    },
  ],

  NotPrincipal: [
    // NotPrincipal lists the account ARN too, as the IAM guide asks
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
    {
      name: 'Deny NotPrincipal {alice, her account} + Allow "*": anonymous denied',
      policy: (b) => [allowGet(b), notPrincipalDeny(b)],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Deny NotPrincipal {alice, her account}: alice allowed',
      policy: (b) => [allowGet(b), notPrincipalDeny(b)],
      req: get('file.txt', 'alice'),
      expect: OK,
    },
    {
      name: 'Deny NotPrincipal {alice, her account}: carol (another account) denied',
      policy: (b) => [allowGet(b), notPrincipalDeny(b)],
      req: get('file.txt', 'carol'),
      expect: DENIED,
    },
    {
      name: 'Deny NotPrincipal {alice, her account}: the bucket owner root denied GetObject',
      policy: (b) => [notPrincipalDeny(b)],
      req: get('file.txt', 'owner'),
      expect: DENIED,
    },
    {
      name: 'Allow NotPrincipal {alice}: anonymous (not alice) allowed',
      policy: (b) => [{ ...allowGet(b), Principal: undefined, NotPrincipal: { AWS: ALICE_ARN } }],
      req: get(),
      expect: OK,
    },
    {
      name: 'Allow NotPrincipal {"AWS":"*"}: excludes everyone, anonymous denied',
      policy: (b) => [{ ...allowGet(b), Principal: undefined, NotPrincipal: { AWS: '*' } }],
      req: get(),
      expect: DENIED,
    },
  ],

  'Deny beats Allow': [
    { name: 'control: Allow alone lets anonymous GET through', policy: (b) => [allowGet(b)], req: get(), expect: OK },
    {
      name: '[Allow, Deny]: anonymous GET denied',
      policy: (b) => [allowGet(b), denyGet(b)],
      req: get(),
      expect: DENIED,
    },
    {
      name: '[Deny, Allow]: anonymous GET denied',
      policy: (b) => [denyGet(b), allowGet(b)],
      req: get(),
      expect: DENIED,
    },
    {
      name: '[Deny s3:*, Allow s3:GetObject]: alice GET denied',
      policy: (b) => [deny('s3:*', both(b)), allowGet(b)],
      req: get('file.txt', 'alice'),
      expect: DENIED,
    },
  ],

  'Bucket owner root and the policy lockout rule': [
    {
      name: 'Deny s3:* "*": the owner root GetObject denied',
      policy: (b) => [deny('s3:*', both(b))],
      req: get('file.txt', 'owner'),
      expect: DENIED,
    },
    {
      name: 'Deny s3:* "*": the owner root GetBucketPolicy still allowed',
      policy: (b) => [deny('s3:*', both(b))],
      req: { method: 'GET', path: '?policy', as: 'owner' },
      expect: OK,
    },
    {
      name: 'Deny s3:* "*": the owner root PutBucketPolicy still allowed',
      policy: (b) => [deny('s3:*', both(b))],
      req: (b) => putPolicy(policyText([allowGet(b)])),
      expect: NO_CONTENT,
      check: async ({ send }) => {
        expect((await send(get())).status).toBe(200);
      },
    },
    {
      name: 'Deny s3:* "*": the owner root DeleteBucketPolicy still allowed, and access comes back',
      policy: (b) => [deny('s3:*', both(b))],
      req: { method: 'DELETE', path: '?policy', as: 'owner' },
      expect: NO_CONTENT,
      check: async (c) => {
        await policyIsAbsent(c);
        expect((await c.send(get('file.txt', 'owner'))).status).toBe(200);
      },
    },
    {
      name: 'Deny s3:* "*": an IAM user of the owner account cannot DeleteBucketPolicy',
      policy: (b) => [deny('s3:*', both(b))],
      req: { method: 'DELETE', path: '?policy', as: 'ops' },
      expect: DENIED,
    },
    {
      name: 'Deny s3:* "*": another account root cannot DeleteBucketPolicy',
      policy: (b) => [deny('s3:*', both(b))],
      req: { method: 'DELETE', path: '?policy', as: 'carol' },
      expect: DENIED,
    },
    {
      name: 'Deny s3:* "*": anonymous cannot DeleteBucketPolicy',
      policy: (b) => [deny('s3:*', both(b))],
      req: { method: 'DELETE', path: '?policy' },
      expect: DENIED,
    },
    {
      name: 'DenyInsecureTransport: the owner root can still replace the policy over HTTP',
      policy: (b) => [denyInsecure(b)],
      req: (b) => putPolicy(policyText([allowGet(b)])),
      expect: NO_CONTENT,
    },
    {
      name: 'Deny Principal {"AWS":owner account}: the owner root GetObject denied',
      policy: (b) => [{ ...denyGet(b), Principal: { AWS: OWNER_ACCOUNT } }],
      req: get('file.txt', 'owner'),
      expect: DENIED,
    },
  ],

  'Bool aws:SecureTransport': [
    {
      name: 'DenyInsecureTransport (Bool aws:SecureTransport "false"): signed alice GET denied',
      policy: (b) => [allowOthers(['s3:GetObject', 's3:ListBucket'], both(b)), denyInsecure(b)],
      req: get('file.txt', 'alice'),
      expect: DENIED,
    },
    {
      name: 'DenyInsecureTransport: signed alice ListObjectsV2 denied',
      policy: (b) => [allowOthers(['s3:GetObject', 's3:ListBucket'], both(b)), denyInsecure(b)],
      req: list('', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Deny Bool aws:SecureTransport "true": plain HTTP alice GET allowed',
      policy: (b) => [allowOthersGet(b), denyGet(b, cond({ Bool: { 'aws:SecureTransport': 'true' } }))],
      req: get('file.txt', 'alice'),
      expect: OK,
    },
    {
      name: 'Allow Bool aws:SecureTransport "true": plain HTTP anonymous GET denied',
      policy: (b) => [allowGet(b, cond({ Bool: { 'aws:SecureTransport': 'true' } }))],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Allow Bool aws:SecureTransport false (a JSON boolean): plain HTTP anonymous GET allowed',
      policy: (b) => [allowGet(b, cond({ Bool: { 'aws:SecureTransport': false } }))],
      req: get(),
      expect: OK,
    },
  ],

  'IpAddress / NotIpAddress aws:SourceIp (caller 127.0.0.1)': [
    {
      name: 'Allow IpAddress 127.0.0.0/8: anonymous GET allowed',
      policy: (b) => [allowGet(b, cond({ IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } }))],
      req: get(),
      expect: OK,
    },
    {
      name: 'Allow IpAddress 10.0.0.0/8: anonymous GET denied',
      policy: (b) => [allowGet(b, cond({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }))],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Allow IpAddress 127.0.0.1/32: anonymous GET allowed',
      policy: (b) => [allowGet(b, cond({ IpAddress: { 'aws:SourceIp': '127.0.0.1/32' } }))],
      req: get(),
      expect: OK,
    },
    {
      name: 'Allow IpAddress [10.0.0.0/8, 127.0.0.0/8] (values OR): anonymous GET allowed',
      policy: (b) => [allowGet(b, cond({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '127.0.0.0/8'] } }))],
      req: get(),
      expect: OK,
    },
    {
      name: 'Allow NotIpAddress 10.0.0.0/8: anonymous GET allowed',
      policy: (b) => [allowGet(b, cond({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }))],
      req: get(),
      expect: OK,
    },
    {
      name: 'Allow NotIpAddress 127.0.0.0/8: anonymous GET denied',
      policy: (b) => [allowGet(b, cond({ NotIpAddress: { 'aws:SourceIp': '127.0.0.0/8' } }))],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Deny IpAddress 127.0.0.0/8: signed alice GET denied',
      policy: (b) => [allowOthersGet(b), denyGet(b, cond({ IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } }))],
      req: get('file.txt', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Deny IpAddress 10.0.0.0/8: signed alice GET allowed',
      policy: (b) => [allowOthersGet(b), denyGet(b, cond({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }))],
      req: get('file.txt', 'alice'),
      expect: OK,
    },
    {
      name: 'Deny NotIpAddress 10.0.0.0/8 + Allow: anonymous GET denied',
      policy: (b) => [allowGet(b), denyGet(b, cond({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }))],
      req: get(),
      expect: DENIED,
    },
  ],

  'Condition key names ignore case': [
    {
      name: 'Allow IpAddress "AWS:SOURCEIP" 127.0.0.0/8: anonymous GET allowed',
      policy: (b) => [allowGet(b, cond({ IpAddress: { 'AWS:SOURCEIP': '127.0.0.0/8' } }))],
      req: get(),
      expect: OK,
    },
    {
      name: 'Allow IpAddress "aws:sourceip" 10.0.0.0/8: anonymous GET denied',
      policy: (b) => [allowGet(b, cond({ IpAddress: { 'aws:sourceip': '10.0.0.0/8' } }))],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Allow StringEquals "S3:X-AMZ-ACL" public-read: anonymous PUT with x-amz-acl public-read allowed',
      policy: (b) => [
        allow(
          ['s3:PutObject', 's3:PutObjectAcl'],
          objArn(b),
          cond({ StringEquals: { 'S3:X-AMZ-ACL': 'public-read' } }),
        ),
      ],
      req: put('new', 'anonymous', { 'x-amz-acl': 'public-read' }),
      expect: OK,
    },
    {
      name: 'Allow StringEquals "S3:Prefix" "public/": anonymous list of public/ allowed',
      policy: (b) => [allow('s3:ListBucket', bucketArn(b), cond({ StringEquals: { 'S3:Prefix': 'public/' } }))],
      req: list('&prefix=public%2F'),
      expect: OK,
    },
    {
      name: 'Deny Bool "AWS:SecureTransport" false: signed alice GET denied',
      policy: (b) => [allowOthersGet(b), denyGet(b, cond({ Bool: { 'AWS:SecureTransport': 'false' } }))],
      req: get('file.txt', 'alice'),
      expect: DENIED,
    },
  ],

  'String operators (aws:UserAgent, aws:Referer)': [
    {
      name: 'Allow StringEquals aws:UserAgent "MatrixAgent/1.0": same agent allowed',
      policy: (b) => [allowGet(b, cond({ StringEquals: { 'aws:UserAgent': 'MatrixAgent/1.0' } }))],
      req: get('file.txt', 'anonymous', { 'user-agent': 'MatrixAgent/1.0' }),
      expect: OK,
    },
    {
      name: 'Allow StringEquals aws:UserAgent "MatrixAgent/1.0": "matrixagent/1.0" denied (values are case-sensitive)',
      policy: (b) => [allowGet(b, cond({ StringEquals: { 'aws:UserAgent': 'MatrixAgent/1.0' } }))],
      req: get('file.txt', 'anonymous', { 'user-agent': 'matrixagent/1.0' }),
      expect: DENIED,
    },
    {
      name: 'Allow StringEqualsIgnoreCase aws:UserAgent: "matrixagent/1.0" allowed',
      policy: (b) => [allowGet(b, cond({ StringEqualsIgnoreCase: { 'aws:UserAgent': 'MatrixAgent/1.0' } }))],
      req: get('file.txt', 'anonymous', { 'user-agent': 'matrixagent/1.0' }),
      expect: OK,
    },
    {
      name: 'Allow StringEqualsIgnoreCase aws:UserAgent: "OtherAgent" denied',
      policy: (b) => [allowGet(b, cond({ StringEqualsIgnoreCase: { 'aws:UserAgent': 'MatrixAgent/1.0' } }))],
      req: get('file.txt', 'anonymous', { 'user-agent': 'OtherAgent' }),
      expect: DENIED,
    },
    {
      name: 'Allow StringNotEquals aws:UserAgent "BadBot": "MatrixAgent" allowed',
      policy: (b) => [allowGet(b, cond({ StringNotEquals: { 'aws:UserAgent': 'BadBot' } }))],
      req: get('file.txt', 'anonymous', { 'user-agent': 'MatrixAgent' }),
      expect: OK,
    },
    {
      name: 'Allow StringNotEquals aws:UserAgent "BadBot": "BadBot" denied',
      policy: (b) => [allowGet(b, cond({ StringNotEquals: { 'aws:UserAgent': 'BadBot' } }))],
      req: get('file.txt', 'anonymous', { 'user-agent': 'BadBot' }),
      expect: DENIED,
    },
    {
      name: 'Allow StringLike aws:Referer "https://*.example.com/*": https://www.example.com/page allowed',
      policy: (b) => [allowGet(b, cond({ StringLike: { 'aws:Referer': 'https://*.example.com/*' } }))],
      req: get('file.txt', 'anonymous', { referer: 'https://www.example.com/page' }),
      expect: OK,
    },
    {
      name: 'Allow StringLike aws:Referer "https://*.example.com/*": https://example.org/ denied',
      policy: (b) => [allowGet(b, cond({ StringLike: { 'aws:Referer': 'https://*.example.com/*' } }))],
      req: get('file.txt', 'anonymous', { referer: 'https://example.org/' }),
      expect: DENIED,
    },
    {
      name: 'Allow StringLike aws:Referer "https://?.example.com/": https://ab.example.com/ denied (? is one character)',
      policy: (b) => [allowGet(b, cond({ StringLike: { 'aws:Referer': 'https://?.example.com/' } }))],
      req: get('file.txt', 'anonymous', { referer: 'https://ab.example.com/' }),
      expect: DENIED,
    },
    {
      name: 'Deny StringNotLike aws:UserAgent "Matrix*": alice with "MatrixAgent" allowed',
      policy: (b) => [allowOthersGet(b), denyGet(b, cond({ StringNotLike: { 'aws:UserAgent': 'Matrix*' } }))],
      req: get('file.txt', 'alice', { 'user-agent': 'MatrixAgent' }),
      expect: OK,
    },
    {
      name: 'Deny StringNotLike aws:UserAgent "Matrix*": alice with "curl/8" denied',
      policy: (b) => [allowOthersGet(b), denyGet(b, cond({ StringNotLike: { 'aws:UserAgent': 'Matrix*' } }))],
      req: get('file.txt', 'alice', { 'user-agent': 'curl/8' }),
      expect: DENIED,
    },
    {
      name: 'Two keys in a Condition AND together: only one matching is denied',
      policy: (b) => [
        allowGet(b, cond({ StringEquals: { 'aws:UserAgent': 'MatrixAgent', 'aws:Referer': 'https://ok.example/' } })),
      ],
      req: get('file.txt', 'anonymous', { 'user-agent': 'MatrixAgent', referer: 'https://no.example/' }),
      expect: DENIED,
    },
    {
      name: 'Two keys in a Condition AND together: both matching is allowed',
      policy: (b) => [
        allowGet(b, cond({ StringEquals: { 'aws:UserAgent': 'MatrixAgent', 'aws:Referer': 'https://ok.example/' } })),
      ],
      req: get('file.txt', 'anonymous', { 'user-agent': 'MatrixAgent', referer: 'https://ok.example/' }),
      expect: OK,
    },
  ],

  'Arn operators and principal keys (aws:PrincipalArn, aws:PrincipalAccount)': [
    {
      name: 'Deny ArnEquals aws:PrincipalArn alice: alice denied',
      policy: (b) => [allowOthersGet(b), denyGet(b, cond({ ArnEquals: { 'aws:PrincipalArn': ALICE_ARN } }))],
      req: get('file.txt', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Deny ArnEquals aws:PrincipalArn alice: bob allowed',
      policy: (b) => [allowOthersGet(b), denyGet(b, cond({ ArnEquals: { 'aws:PrincipalArn': ALICE_ARN } }))],
      req: get('file.txt', 'bob'),
      expect: OK,
    },
    {
      name: 'Deny ArnLike aws:PrincipalArn ".../user/a*": alice denied',
      policy: (b) => [
        allowOthersGet(b),
        denyGet(b, cond({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OTHER_ACCOUNT}:user/a*` } })),
      ],
      req: get('file.txt', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Deny ArnLike aws:PrincipalArn ".../user/a*": bob allowed',
      policy: (b) => [
        allowOthersGet(b),
        denyGet(b, cond({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OTHER_ACCOUNT}:user/a*` } })),
      ],
      req: get('file.txt', 'bob'),
      expect: OK,
    },
    {
      name: 'Deny ArnNotEquals aws:PrincipalArn alice (the NotPrincipal alternative): alice allowed',
      policy: (b) => [allowGet(b), denyGet(b, cond({ ArnNotEquals: { 'aws:PrincipalArn': ALICE_ARN } }))],
      req: get('file.txt', 'alice'),
      expect: OK,
    },
    {
      name: 'Deny ArnNotEquals aws:PrincipalArn alice: carol denied',
      policy: (b) => [allowGet(b), denyGet(b, cond({ ArnNotEquals: { 'aws:PrincipalArn': ALICE_ARN } }))],
      req: get('file.txt', 'carol'),
      expect: DENIED,
    },
    {
      name: 'Deny ArnNotEquals aws:PrincipalArn alice: anonymous (no principal ARN) denied',
      policy: (b) => [allowGet(b), denyGet(b, cond({ ArnNotEquals: { 'aws:PrincipalArn': ALICE_ARN } }))],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Deny StringEquals aws:PrincipalAccount 222222222222: alice denied',
      policy: (b) => [allowOthersGet(b), denyGet(b, cond({ StringEquals: { 'aws:PrincipalAccount': OTHER_ACCOUNT } }))],
      req: get('file.txt', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Deny StringEquals aws:PrincipalAccount 222222222222: carol allowed',
      policy: (b) => [allowOthersGet(b), denyGet(b, cond({ StringEquals: { 'aws:PrincipalAccount': OTHER_ACCOUNT } }))],
      req: get('file.txt', 'carol'),
      expect: OK,
    },
    {
      name: 'Allow StringEquals aws:PrincipalAccount: anonymous (no account) denied',
      policy: (b) => [allowGet(b, cond({ StringEquals: { 'aws:PrincipalAccount': OTHER_ACCOUNT } }))],
      req: get(),
      expect: DENIED,
    },
  ],

  'Numeric and Date operators': [
    {
      name: 'Allow NumericLessThanEquals s3:max-keys 10: max-keys=10 allowed',
      policy: (b) => [allow('s3:ListBucket', bucketArn(b), cond({ NumericLessThanEquals: { 's3:max-keys': '10' } }))],
      req: list('&max-keys=10'),
      expect: OK,
    },
    {
      name: 'Allow NumericLessThanEquals s3:max-keys 10: max-keys=11 denied',
      policy: (b) => [allow('s3:ListBucket', bucketArn(b), cond({ NumericLessThanEquals: { 's3:max-keys': '10' } }))],
      req: list('&max-keys=11'),
      expect: DENIED,
    },
    {
      name: 'Allow NumericLessThanEquals s3:max-keys 10: no max-keys denied (key absent)',
      policy: (b) => [allow('s3:ListBucket', bucketArn(b), cond({ NumericLessThanEquals: { 's3:max-keys': '10' } }))],
      req: list(),
      expect: DENIED,
    },
    {
      name: 'Deny NumericGreaterThan s3:max-keys 100: alice max-keys=500 denied',
      policy: (b) => [
        allowOthers('s3:ListBucket', bucketArn(b)),
        deny('s3:ListBucket', bucketArn(b), cond({ NumericGreaterThan: { 's3:max-keys': 100 } })),
      ],
      req: list('&max-keys=500', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Deny NumericGreaterThan s3:max-keys 100: alice max-keys=50 allowed',
      policy: (b) => [
        allowOthers('s3:ListBucket', bucketArn(b)),
        deny('s3:ListBucket', bucketArn(b), cond({ NumericGreaterThan: { 's3:max-keys': 100 } })),
      ],
      req: list('&max-keys=50', 'alice'),
      expect: OK,
    },
    {
      name: 'Allow DateGreaterThan aws:CurrentTime 2000-01-01: allowed',
      policy: (b) => [allowGet(b, cond({ DateGreaterThan: { 'aws:CurrentTime': '2000-01-01T00:00:00Z' } }))],
      req: get(),
      expect: OK,
    },
    {
      name: 'Allow DateLessThan aws:CurrentTime 2000-01-01: denied',
      policy: (b) => [allowGet(b, cond({ DateLessThan: { 'aws:CurrentTime': '2000-01-01T00:00:00Z' } }))],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Deny DateGreaterThan aws:CurrentTime 2000-01-01 (expired grant): alice denied',
      policy: (b) => [
        allowOthersGet(b),
        denyGet(b, cond({ DateGreaterThan: { 'aws:CurrentTime': '2000-01-01T00:00:00Z' } })),
      ],
      req: get('file.txt', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Allow NumericGreaterThan aws:EpochTime 946684800: allowed',
      policy: (b) => [allowGet(b, cond({ NumericGreaterThan: { 'aws:EpochTime': '946684800' } }))],
      req: get(),
      expect: OK,
    },
  ],

  Null: [
    {
      name: 'Deny Null s3:x-amz-server-side-encryption "true": alice PUT without the header denied',
      policy: (b) => [
        allowOthers('s3:PutObject', objArn(b)),
        deny('s3:PutObject', objArn(b), cond({ Null: { 's3:x-amz-server-side-encryption': 'true' } })),
      ],
      req: put('new', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Deny Null s3:x-amz-server-side-encryption "true": alice PUT with AES256 allowed',
      policy: (b) => [
        allowOthers('s3:PutObject', objArn(b)),
        deny('s3:PutObject', objArn(b), cond({ Null: { 's3:x-amz-server-side-encryption': 'true' } })),
      ],
      req: put('new', 'alice', { 'x-amz-server-side-encryption': 'AES256' }),
      expect: OK,
    },
    {
      name: 'Allow Null aws:Referer "false": anonymous GET with a Referer allowed',
      policy: (b) => [allowGet(b, cond({ Null: { 'aws:Referer': 'false' } }))],
      req: get('file.txt', 'anonymous', { referer: 'https://any.example/' }),
      expect: OK,
    },
    {
      name: 'Allow Null aws:Referer "false": anonymous GET without a Referer denied',
      policy: (b) => [allowGet(b, cond({ Null: { 'aws:Referer': 'false' } }))],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Deny Null aws:PrincipalArn "true" + Allow: anonymous (no principal) denied',
      policy: (b) => [allowGet(b), denyGet(b, cond({ Null: { 'aws:PrincipalArn': 'true' } }))],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Deny Null aws:PrincipalArn "true": signed alice allowed',
      policy: (b) => [allowGet(b), denyGet(b, cond({ Null: { 'aws:PrincipalArn': 'true' } }))],
      req: get('file.txt', 'alice'),
      expect: OK,
    },
  ],

  '…IfExists': [
    {
      name: 'Allow StringEqualsIfExists aws:Referer: no Referer allowed (absent key holds)',
      policy: (b) => [allowGet(b, cond({ StringEqualsIfExists: { 'aws:Referer': 'https://ok.example/' } }))],
      req: get(),
      expect: OK,
    },
    {
      name: 'Allow StringEqualsIfExists aws:Referer: the right Referer allowed',
      policy: (b) => [allowGet(b, cond({ StringEqualsIfExists: { 'aws:Referer': 'https://ok.example/' } }))],
      req: get('file.txt', 'anonymous', { referer: 'https://ok.example/' }),
      expect: OK,
    },
    {
      name: 'Allow StringEqualsIfExists aws:Referer: a wrong Referer denied',
      policy: (b) => [allowGet(b, cond({ StringEqualsIfExists: { 'aws:Referer': 'https://ok.example/' } }))],
      req: get('file.txt', 'anonymous', { referer: 'https://evil.example/' }),
      expect: DENIED,
    },
    {
      name: 'Allow StringEquals aws:Referer (no IfExists): no Referer denied',
      policy: (b) => [allowGet(b, cond({ StringEquals: { 'aws:Referer': 'https://ok.example/' } }))],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Deny StringEqualsIfExists aws:Referer evil: alice without a Referer denied (absent key holds)',
      policy: (b) => [
        allowOthersGet(b),
        denyGet(b, cond({ StringEqualsIfExists: { 'aws:Referer': 'https://evil.example/' } })),
      ],
      req: get('file.txt', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Deny StringEquals aws:Referer evil (no IfExists): alice without a Referer allowed',
      policy: (b) => [
        allowOthersGet(b),
        denyGet(b, cond({ StringEquals: { 'aws:Referer': 'https://evil.example/' } })),
      ],
      req: get('file.txt', 'alice'),
      expect: OK,
    },
    {
      name: 'Deny StringNotEqualsIfExists s3:x-amz-server-side-encryption AES256: alice PUT aws:kms denied',
      policy: (b) => [
        allowOthers('s3:PutObject', objArn(b)),
        deny(
          's3:PutObject',
          objArn(b),
          cond({ StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'AES256' } }),
        ),
      ],
      req: put('new', 'alice', { 'x-amz-server-side-encryption': 'aws:kms' }),
      expect: DENIED,
    },
    {
      name: 'Deny StringNotEqualsIfExists s3:x-amz-server-side-encryption AES256: alice PUT AES256 allowed',
      policy: (b) => [
        allowOthers('s3:PutObject', objArn(b)),
        deny(
          's3:PutObject',
          objArn(b),
          cond({ StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'AES256' } }),
        ),
      ],
      req: put('new', 'alice', { 'x-amz-server-side-encryption': 'AES256' }),
      expect: OK,
    },
    {
      name: 'Allow IpAddressIfExists aws:SourceIp 10.0.0.0/8: present and outside, denied',
      policy: (b) => [allowGet(b, cond({ IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }))],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Allow NumericLessThanEqualsIfExists s3:max-keys 10: no max-keys allowed',
      policy: (b) => [
        allow('s3:ListBucket', bucketArn(b), cond({ NumericLessThanEqualsIfExists: { 's3:max-keys': '10' } })),
      ],
      req: list(),
      expect: OK,
    },
    {
      name: 'Allow NumericLessThanEqualsIfExists s3:max-keys 10: max-keys=20 denied',
      policy: (b) => [
        allow('s3:ListBucket', bucketArn(b), cond({ NumericLessThanEqualsIfExists: { 's3:max-keys': '10' } })),
      ],
      req: list('&max-keys=20'),
      expect: DENIED,
    },
  ],

  's3:prefix / s3:delimiter on ListObjectsV2': [
    {
      name: 'Allow StringEquals s3:prefix "public/": prefix=public/ allowed',
      policy: (b) => [allow('s3:ListBucket', bucketArn(b), cond({ StringEquals: { 's3:prefix': 'public/' } }))],
      req: list('&prefix=public%2F'),
      expect: OK,
      check: async ({ res }) => {
        expect(xmlTexts(res.text, 'Key')).toEqual(['public/x']);
      },
    },
    {
      name: 'Allow StringEquals s3:prefix "public/": prefix=private/ denied',
      policy: (b) => [allow('s3:ListBucket', bucketArn(b), cond({ StringEquals: { 's3:prefix': 'public/' } }))],
      req: list('&prefix=private%2F'),
      expect: DENIED,
    },
    {
      name: 'Allow StringEquals s3:prefix "public/": no prefix denied',
      policy: (b) => [allow('s3:ListBucket', bucketArn(b), cond({ StringEquals: { 's3:prefix': 'public/' } }))],
      req: list(),
      expect: DENIED,
    },
    {
      name: 'Allow StringLike s3:prefix "logs/*": prefix=logs/keep/ allowed',
      policy: (b) => [allow('s3:ListBucket', bucketArn(b), cond({ StringLike: { 's3:prefix': 'logs/*' } }))],
      req: list('&prefix=logs%2Fkeep%2F'),
      expect: OK,
    },
    {
      name: 'Deny StringLike s3:prefix "private/*": alice prefix=private/ denied',
      policy: (b) => [
        allowOthers('s3:ListBucket', bucketArn(b)),
        deny('s3:ListBucket', bucketArn(b), cond({ StringLike: { 's3:prefix': 'private/*' } })),
      ],
      req: list('&prefix=private%2F', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Deny StringLike s3:prefix "private/*": alice prefix=public/ allowed',
      policy: (b) => [
        allowOthers('s3:ListBucket', bucketArn(b)),
        deny('s3:ListBucket', bucketArn(b), cond({ StringLike: { 's3:prefix': 'private/*' } })),
      ],
      req: list('&prefix=public%2F', 'alice'),
      expect: OK,
    },
    {
      name: 'Allow StringEquals s3:delimiter "/": delimiter=/ allowed',
      policy: (b) => [allow('s3:ListBucket', bucketArn(b), cond({ StringEquals: { 's3:delimiter': '/' } }))],
      req: list('&delimiter=%2F'),
      expect: OK,
    },
    {
      name: 'Allow StringEquals s3:delimiter "/": no delimiter denied',
      policy: (b) => [allow('s3:ListBucket', bucketArn(b), cond({ StringEquals: { 's3:delimiter': '/' } }))],
      req: list(),
      expect: DENIED,
    },
  ],

  's3:x-amz-acl and ACL-setting headers': [
    {
      name: 'Allow PutObject+PutObjectAcl if s3:x-amz-acl = public-read: PUT with public-read allowed',
      policy: (b) => [allow(['s3:PutObject', 's3:PutObjectAcl'], objArn(b), aclIs('public-read'))],
      req: put('new', 'anonymous', { 'x-amz-acl': 'public-read' }),
      expect: OK,
      check: async ({ send }) => {
        // The object ACL now grants AllUsers READ; the policy says nothing about GetObject.
        expect((await send(get('new'))).status).toBe(200);
      },
    },
    {
      name: 'Allow PutObject+PutObjectAcl if s3:x-amz-acl = public-read: PUT without the header denied',
      policy: (b) => [allow(['s3:PutObject', 's3:PutObjectAcl'], objArn(b), aclIs('public-read'))],
      req: put('new'),
      expect: DENIED,
    },
    {
      name: 'Allow PutObject+PutObjectAcl if s3:x-amz-acl = public-read: PUT with private denied',
      policy: (b) => [allow(['s3:PutObject', 's3:PutObjectAcl'], objArn(b), aclIs('public-read'))],
      req: put('new', 'anonymous', { 'x-amz-acl': 'private' }),
      expect: DENIED,
    },
    {
      name: 'Deny StringNotEquals s3:x-amz-acl bucket-owner-full-control: alice PUT without the header denied',
      policy: (b) => [
        allowOthers(['s3:PutObject', 's3:PutObjectAcl'], objArn(b)),
        deny('s3:PutObject', objArn(b), cond({ StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } })),
      ],
      req: put('new', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Deny StringNotEquals s3:x-amz-acl bucket-owner-full-control: alice PUT with it allowed',
      policy: (b) => [
        allowOthers(['s3:PutObject', 's3:PutObjectAcl'], objArn(b)),
        deny('s3:PutObject', objArn(b), cond({ StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } })),
      ],
      req: put('new', 'alice', { 'x-amz-acl': 'bucket-owner-full-control' }),
      expect: OK,
    },
    {
      name: 'Allow PutObject only: anonymous plain PUT allowed',
      policy: (b) => [allow('s3:PutObject', objArn(b))],
      req: put('new'),
      expect: OK,
    },
    {
      name: 'Allow PutObject only: anonymous PUT with x-amz-acl denied (needs s3:PutObjectAcl)',
      policy: (b) => [allow('s3:PutObject', objArn(b))],
      req: put('new', 'anonymous', { 'x-amz-acl': 'public-read' }),
      expect: DENIED,
      check: async ({ send }) => {
        expect(await exists(send, 'new')).toBe(false);
      },
    },
    {
      name: 'Allow PutObject only: anonymous PUT with x-amz-grant-read denied (needs s3:PutObjectAcl)',
      policy: (b) => [allow('s3:PutObject', objArn(b))],
      req: put('new', 'anonymous', { 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' }),
      expect: DENIED,
    },
    {
      name: 'Allow GetObject+PutObject: anonymous CopyObject allowed',
      policy: (b) => [allow(['s3:GetObject', 's3:PutObject'], objArn(b))],
      req: (b) => ({ method: 'PUT', path: '/copy', headers: { 'x-amz-copy-source': `/${b}/file.txt` } }),
      expect: OK,
    },
    {
      name: 'Allow GetObject+PutObject: anonymous CopyObject with x-amz-acl denied (needs s3:PutObjectAcl)',
      policy: (b) => [allow(['s3:GetObject', 's3:PutObject'], objArn(b))],
      req: (b) => ({
        method: 'PUT',
        path: '/copy',
        headers: { 'x-amz-copy-source': `/${b}/file.txt`, 'x-amz-acl': 'public-read' },
      }),
      expect: DENIED,
    },
    {
      name: 'Allow PutObject only: anonymous CopyObject denied (the source needs s3:GetObject)',
      policy: (b) => [allow('s3:PutObject', objArn(b))],
      req: (b) => ({ method: 'PUT', path: '/copy', headers: { 'x-amz-copy-source': `/${b}/file.txt` } }),
      expect: DENIED,
    },
    {
      name: 'Allow PutObject only: anonymous CreateMultipartUpload allowed',
      policy: (b) => [allow('s3:PutObject', objArn(b))],
      req: { method: 'POST', path: '/mpu?uploads' },
      expect: OK,
    },
    {
      name: 'Allow PutObject only: anonymous CreateMultipartUpload with x-amz-acl denied',
      policy: (b) => [allow('s3:PutObject', objArn(b))],
      req: { method: 'POST', path: '/mpu?uploads', headers: { 'x-amz-acl': 'public-read' } },
      expect: DENIED,
    },
    {
      name: 'Allow PutObject+PutObjectAcl: anonymous CreateMultipartUpload with x-amz-acl allowed',
      policy: (b) => [allow(['s3:PutObject', 's3:PutObjectAcl'], objArn(b))],
      req: { method: 'POST', path: '/mpu?uploads', headers: { 'x-amz-acl': 'public-read' } },
      expect: OK,
    },
    {
      name: 'no policy: alice PUT with x-amz-acl denied (another account needs a grant)',
      req: put('new', 'alice', { 'x-amz-acl': 'public-read' }),
      expect: DENIED,
    },
    {
      name: "Allow PutObject+PutObjectAcl to alice's account: alice PUT with x-amz-acl allowed",
      policy: (b) => [allowOthers(['s3:PutObject', 's3:PutObjectAcl'], objArn(b))],
      req: put('new', 'alice', { 'x-amz-acl': 'public-read' }),
      expect: OK,
    },
    {
      name: "Allow PutObject only to alice's account: alice PUT with x-amz-acl denied (needs s3:PutObjectAcl)",
      policy: (b) => [allowOthers('s3:PutObject', objArn(b))],
      req: put('new', 'alice', { 'x-amz-acl': 'public-read' }),
      expect: DENIED,
      check: async ({ send }) => {
        expect(await exists(send, 'new')).toBe(false);
      },
    },
    {
      name: 'no policy: ops (an IAM user of the owner account) PUT with x-amz-acl allowed',
      req: put('new', 'ops', { 'x-amz-acl': 'public-read' }),
      expect: OK,
    },
  ],

  's3:RequestObjectTag and s3:x-amz-server-side-encryption': [
    {
      name: 'Allow PutObject if s3:RequestObjectTag/team = blue: x-amz-tagging team=blue allowed',
      policy: (b) => [allow(['s3:PutObject', 's3:PutObjectTagging'], objArn(b), tagIs('blue'))],
      req: put('new', 'anonymous', { 'x-amz-tagging': 'team=blue&env=dev' }),
      expect: OK,
    },
    {
      name: 'Allow PutObject if s3:RequestObjectTag/team = blue: team=red denied',
      policy: (b) => [allow(['s3:PutObject', 's3:PutObjectTagging'], objArn(b), tagIs('blue'))],
      req: put('new', 'anonymous', { 'x-amz-tagging': 'team=red' }),
      expect: DENIED,
    },
    {
      name: 'Allow PutObject if s3:RequestObjectTag/team = blue: no tagging denied',
      policy: (b) => [allow(['s3:PutObject', 's3:PutObjectTagging'], objArn(b), tagIs('blue'))],
      req: put('new'),
      expect: DENIED,
    },
    {
      name: 'Deny StringNotEquals s3:x-amz-server-side-encryption AES256: alice PUT AES256 allowed',
      policy: (b) => [
        allowOthers('s3:PutObject', objArn(b)),
        deny('s3:PutObject', objArn(b), cond({ StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } })),
      ],
      req: put('new', 'alice', { 'x-amz-server-side-encryption': 'AES256' }),
      expect: OK,
    },
    {
      name: 'Deny StringNotEquals s3:x-amz-server-side-encryption AES256: alice PUT aws:kms denied',
      policy: (b) => [
        allowOthers('s3:PutObject', objArn(b)),
        deny('s3:PutObject', objArn(b), cond({ StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } })),
      ],
      req: put('new', 'alice', { 'x-amz-server-side-encryption': 'aws:kms' }),
      expect: DENIED,
    },
    {
      name: 'Deny StringNotEquals s3:x-amz-server-side-encryption AES256: alice PUT without the header denied',
      policy: (b) => [
        allowOthers('s3:PutObject', objArn(b)),
        deny('s3:PutObject', objArn(b), cond({ StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } })),
      ],
      req: put('new', 'alice'),
      expect: DENIED,
    },
  ],

  's3:authType / s3:signatureversion': [
    {
      name: 'Deny StringEquals s3:authType REST-QUERY-STRING: alice with an Authorization header allowed',
      policy: (b) => [allowOthersGet(b), denyGet(b, cond({ StringEquals: { 's3:authType': 'REST-QUERY-STRING' } }))],
      req: get('file.txt', 'alice'),
      expect: OK,
    },
    {
      name: 'Deny StringEquals s3:authType REST-QUERY-STRING: alice with a presigned URL denied',
      policy: (b) => [allowOthersGet(b), denyGet(b, cond({ StringEquals: { 's3:authType': 'REST-QUERY-STRING' } }))],
      req: { ...get('file.txt', 'alice'), auth: 'presigned' },
      expect: DENIED,
    },
    {
      name: 'Deny StringNotEquals s3:authType REST-HEADER: alice with a presigned URL denied',
      policy: (b) => [allowOthersGet(b), denyGet(b, cond({ StringNotEquals: { 's3:authType': 'REST-HEADER' } }))],
      req: { ...get('file.txt', 'alice'), auth: 'presigned' },
      expect: DENIED,
    },
    {
      name: "control: Allow GetObject to alice's account, no Deny: alice with a presigned URL allowed",
      policy: (b) => [allowOthersGet(b)],
      req: { ...get('file.txt', 'alice'), auth: 'presigned' },
      expect: OK,
    },
    {
      name: 'control: no policy: alice with a presigned URL denied (another account needs a grant)',
      req: { ...get('file.txt', 'alice'), auth: 'presigned' },
      expect: DENIED,
    },
    {
      name: 'Deny StringNotEquals s3:signatureversion AWS4-HMAC-SHA256: alice SigV4 allowed',
      policy: (b) => [
        allowOthersGet(b),
        denyGet(b, cond({ StringNotEquals: { 's3:signatureversion': 'AWS4-HMAC-SHA256' } })),
      ],
      req: get('file.txt', 'alice'),
      expect: OK,
    },
    {
      name: 'Deny StringNotEquals s3:signatureversion AWS4-HMAC-SHA256: alice SigV2 denied',
      policy: (b) => [
        allowOthersGet(b),
        denyGet(b, cond({ StringNotEquals: { 's3:signatureversion': 'AWS4-HMAC-SHA256' } })),
      ],
      req: { ...get('file.txt', 'alice'), auth: 'sigv2' },
      expect: DENIED,
    },
  ],

  'Keys s3scribe cannot fill (aws:PrincipalTag/*) never widen access': [
    {
      name: 'Allow if aws:PrincipalTag/team = blue: anonymous denied (the Allow does not apply)',
      policy: (b) => [allowGet(b, cond({ StringEquals: { 'aws:PrincipalTag/team': 'blue' } }))],
      req: get(),
      expect: DENIED,
    },
    {
      name: 'Deny if aws:PrincipalTag/team = blue: signed alice denied (the Deny applies)',
      policy: (b) => [allowOthersGet(b), denyGet(b, cond({ StringEquals: { 'aws:PrincipalTag/team': 'blue' } }))],
      req: get('file.txt', 'alice'),
      expect: DENIED,
    },
    {
      name: 'Deny if aws:PrincipalTag/team = blue AND IpAddress 10.0.0.0/8: a false key still decides, alice allowed',
      policy: (b) => [
        allowOthersGet(b),
        denyGet(
          b,
          cond({
            StringEquals: { 'aws:PrincipalTag/team': 'blue' },
            IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
          }),
        ),
      ],
      req: get('file.txt', 'alice'),
      expect: OK,
    },
  ],

  'DeleteObjects authorizes each key': [
    {
      name: 'Allow DeleteObject on logs/*, Deny on logs/keep/*: anonymous per-key results',
      policy: (b) => [allow('s3:DeleteObject', objArn(b, 'logs/*')), deny('s3:DeleteObject', objArn(b, 'logs/keep/*'))],
      req: deleteObjects(['logs/a', 'logs/keep/b', 'other/c']),
      expect: OK,
      check: async ({ res, send }) => {
        expect(deleteResult(res)).toEqual({
          deleted: ['logs/a'],
          errors: [
            { key: 'logs/keep/b', code: 'AccessDenied' },
            { key: 'other/c', code: 'AccessDenied' },
          ],
        });
        expect(await exists(send, 'logs/a')).toBe(false);
        expect(await exists(send, 'logs/keep/b')).toBe(true);
        expect(await exists(send, 'other/c')).toBe(true);
      },
    },
    {
      name: 'Deny DeleteObject on logs/keep/*: signed alice per-key results',
      policy: (b) => [allowOthers('s3:DeleteObject', objArn(b)), deny('s3:DeleteObject', objArn(b, 'logs/keep/*'))],
      req: deleteObjects(['logs/a', 'logs/keep/b', 'other/c'], 'alice'),
      expect: OK,
      check: async ({ res, send }) => {
        expect(deleteResult(res)).toEqual({
          deleted: ['logs/a', 'other/c'],
          errors: [{ key: 'logs/keep/b', code: 'AccessDenied' }],
        });
        expect(await exists(send, 'logs/keep/b')).toBe(true);
      },
    },
    {
      name: 'Allow DeleteObject on logs/*: single anonymous DELETE of logs/keep/b allowed',
      policy: (b) => [allow('s3:DeleteObject', objArn(b, 'logs/*'))],
      req: { method: 'DELETE', path: '/logs/keep/b' },
      expect: NO_CONTENT,
    },
    {
      name: 'Allow logs/*, Deny logs/keep/*: single anonymous DELETE of logs/keep/b denied',
      policy: (b) => [allow('s3:DeleteObject', objArn(b, 'logs/*')), deny('s3:DeleteObject', objArn(b, 'logs/keep/*'))],
      req: { method: 'DELETE', path: '/logs/keep/b' },
      expect: DENIED,
    },
    {
      name: 'DeleteObjects with x-amz-checksum-sha256 instead of Content-MD5 is accepted',
      req: deleteObjects(['logs/a'], 'owner', 'sha256'),
      expect: OK,
      check: async ({ res }) => {
        expect(deleteResult(res)).toEqual({ deleted: ['logs/a'], errors: [] });
      },
    },
    {
      name: 'DeleteObjects without Content-MD5 or a checksum header is InvalidRequest',
      req: deleteObjects(['logs/a'], 'owner', 'none'),
      expect: { status: 400, code: 'InvalidRequest' },
      check: async ({ send }) => {
        expect(await exists(send, 'logs/a')).toBe(true);
      },
    },
    {
      name: 'no policy, bucket ACL public-read-write: anonymous DeleteObjects deletes through the ACL',
      acl: 'public-read-write',
      req: deleteObjects(['logs/a', 'other/c']),
      expect: OK,
      check: async ({ res }) => {
        expect(deleteResult(res)).toEqual({ deleted: ['logs/a', 'other/c'], errors: [] });
      },
    },
  ],

  'ACLs for anonymous callers': [
    {
      name: 'no policy, bucket ACL public-read: anonymous ListObjectsV2 allowed',
      acl: 'public-read',
      req: list(),
      expect: OK,
    },
    { name: 'no policy, private bucket: anonymous ListObjectsV2 denied', req: list(), expect: DENIED },
    {
      name: 'no policy, bucket ACL public-read: anonymous PUT denied (READ is not WRITE)',
      acl: 'public-read',
      req: put('new'),
      expect: DENIED,
    },
    {
      name: 'no policy, bucket ACL public-read-write: anonymous PUT allowed',
      acl: 'public-read-write',
      req: put('new'),
      expect: OK,
    },
    {
      name: 'bucket ACL public-read + Deny ListBucket: anonymous ListObjectsV2 denied (Deny beats the ACL)',
      acl: 'public-read',
      policy: (b) => [deny('s3:ListBucket', bucketArn(b))],
      req: list(),
      expect: DENIED,
    },
    {
      name: 'bucket ACL public-read + a policy saying nothing about ListBucket: anonymous ListObjectsV2 allowed',
      acl: 'public-read',
      policy: (b) => [allowGet(b)],
      req: list(),
      expect: OK,
    },
    {
      name: 'bucket ACL public-read-write + Deny PutObject: anonymous PUT denied',
      acl: 'public-read-write',
      policy: (b) => [deny('s3:PutObject', objArn(b))],
      req: put('new'),
      expect: DENIED,
    },
    {
      name: 'object uploaded with x-amz-acl public-read: anonymous GET allowed through the object ACL',
      setup: async ({ send }) => {
        expect((await send(put('shared', 'owner', { 'x-amz-acl': 'public-read' }))).status).toBe(200);
      },
      req: get('shared'),
      expect: OK,
    },
    {
      name: 'object uploaded with x-amz-acl public-read + Deny GetObject: anonymous GET denied',
      policy: (b) => [denyGet(b)],
      setup: async ({ send }) => {
        expect((await send(put('shared', 'owner', { 'x-amz-acl': 'public-read' }))).status).toBe(200);
      },
      req: get('shared'),
      expect: DENIED,
    },
  ],

  'Missing buckets and keys': [
    {
      name: 'signed GET in a bucket that does not exist is NoSuchBucket',
      req: { method: 'GET', url: '/no-such-bucket-authz-matrix/file.txt', as: 'alice' },
      expect: { status: 404, code: 'NoSuchBucket' },
    },
    {
      name: 'Allow GetObject + ListBucket: anonymous GET of a missing key is NoSuchKey',
      policy: (b) => [allowGet(b), allow('s3:ListBucket', bucketArn(b))],
      req: get('missing'),
      expect: { status: 404, code: 'NoSuchKey' },
    },
    {
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (Permissions): without
      // s3:ListBucket, a missing key is 403 Access Denied, not 404.
      name: 'Allow GetObject without ListBucket: anonymous GET of a missing key is AccessDenied',
      policy: (b) => [allowGet(b)],
      req: get('missing'),
      expect: DENIED,
    },
  ],

  'MalformedPolicy at PutBucketPolicy': [
    malformedRow('an unknown condition operator', 'Invalid Condition type : StringEqualz', (b) => [
      allowGet(b, cond({ StringEqualz: { 'aws:UserAgent': 'x' } })),
    ]),
    malformedRow('an unknown s3: condition key', 'Policy has an invalid condition key', (b) => [
      allowGet(b, cond({ StringEquals: { 's3:x-amz-no-such-key': 'x' } })),
    ]),
    malformedRow('a CIDR with /33', 'Invalid IP address in Conditions', (b) => [
      allowGet(b, cond({ IpAddress: { 'aws:SourceIp': '127.0.0.1/33' } })),
    ]),
    malformedRow('an IpAddress value that is not an address', 'Invalid IP address in Conditions', (b) => [
      allowGet(b, cond({ IpAddress: { 'aws:SourceIp': 'localhost' } })),
    ]),
    malformedRow('a Resource in another bucket', 'Policy has invalid resource', () => [
      allow('s3:GetObject', 'arn:aws:s3:::some-other-bucket-authz/*'),
    ]),
    malformedRow('a NotResource in another bucket', 'Policy has invalid resource', () => [
      { ...allow('s3:GetObject', 'x'), Resource: undefined, NotResource: 'arn:aws:s3:::some-other-bucket-authz/*' },
    ]),
    malformedRow('Principal "someone" (a string that is not "*")', 'Invalid principal in policy', (b) => [
      { ...allowGet(b), Principal: 'someone' },
    ]),
    malformedRow('Principal {"Federated": …}', 'Invalid principal in policy', (b) => [
      { ...allowGet(b), Principal: { Federated: 'cognito-identity.amazonaws.com' } },
    ]),
    malformedRow('Principal {"AWS": "not-an-arn"}', 'Invalid principal in policy', (b) => [
      { ...allowGet(b), Principal: { AWS: 'not-an-arn' } },
    ]),
    {
      name: 'Version "2020-01-01" is MalformedPolicy',
      req: (b) => putPolicy(JSON.stringify({ Version: '2020-01-01', Statement: [allowGet(b)] })),
      expect: malformed(),
      check: policyIsAbsent,
    },
    {
      name: 'a policy over 20 KB is MalformedPolicy',
      req: (b) =>
        putPolicy(
          policyText(
            Array.from({ length: 400 }, (_, i) => allow('s3:GetObject', objArn(b, `prefix-${i}/${'x'.repeat(30)}/*`))),
          ),
        ),
      expect: malformed(),
      check: policyIsAbsent,
    },
    {
      name: 'a policy just under 20 KB is accepted',
      req: (b) => putPolicy(sizedPolicy(b, 20 * 1024 - 64)),
      expect: NO_CONTENT,
    },
    {
      name: 'a malformed replacement keeps the stored policy in force',
      policy: (b) => [allowGet(b)],
      req: (b) => putPolicy(policyText([allowGet(b, cond({ StringEqualz: { 'aws:UserAgent': 'x' } }))])),
      expect: malformed('Invalid Condition type : StringEqualz'),
      check: async ({ send }) => {
        expect((await send(get())).status).toBe(200);
      },
    },
  ],
};

function notPrincipalDeny(b: string): Stmt {
  return {
    ...denyGet(b),
    Principal: undefined,
    NotPrincipal: { AWS: [ALICE_ARN, `arn:aws:iam::${OTHER_ACCOUNT}:root`] },
  };
}

function denyInsecure(b: string): Stmt {
  return deny('s3:*', both(b), cond({ Bool: { 'aws:SecureTransport': 'false' } }));
}

function aclIs(value: string): Stmt {
  return cond({ StringEquals: { 's3:x-amz-acl': value } });
}

function tagIs(value: string): Stmt {
  return cond({ StringEquals: { 's3:RequestObjectTag/team': value } });
}

function malformedRow(what: string, message: string, statements: (b: string) => object[]): Row {
  return {
    name: `${what} is MalformedPolicy "${message}"`,
    req: (b) => putPolicy(policyText(statements(b))),
    expect: malformed(message),
    check: policyIsAbsent,
  };
}

/** A valid policy of exactly `bytes` bytes (a long Sid pads it). */
function sizedPolicy(b: string, bytes: number): string {
  const base = Buffer.byteLength(policyText([{ ...allowGet(b), Sid: '' }]));
  return policyText([{ ...allowGet(b), Sid: 'P'.repeat(bytes - base) }]);
}

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

let dataRoot: string;
let server: RunningServer;
let s3: S3Client;
let raw: RawRequest;
let closeRaw: () => Promise<void>;

beforeAll(async () => {
  dataRoot = await makeDataRoot();
  server = await startServer({
    port: 0,
    dataDir: join(dataRoot, 'data'),
    logLevel: 'silent',
    flushInterval: 60_000,
    identities: Object.values(IDENTITIES),
  });
  s3 = s3ClientFor(server);
  ({ raw, close: closeRaw } = rawClient(server.url));
});

afterAll(async () => {
  s3?.destroy();
  await closeRaw?.();
  await server?.close();
  if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
});

const amzDate = (): string =>
  new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

function send(b: string, req: Req): Promise<RawResponse> {
  const who = req.as ?? 'anonymous';
  let path = req.url ?? `/${b}${req.path ?? '/file.txt'}`;
  const headers: Record<string, string> = { ...req.headers };
  if (who !== 'anonymous') {
    const key = IDENTITIES[who].accessKeyId;
    const auth = req.auth ?? 'sigv4';
    if (auth === 'sigv4') {
      headers.authorization = `AWS4-HMAC-SHA256 Credential=${key}/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00`;
    } else if (auth === 'sigv2') {
      headers.authorization = `AWS ${key}:c2lnbmF0dXJl`;
    } else {
      const date = amzDate();
      const credential = encodeURIComponent(`${key}/${date.slice(0, 8)}/us-east-1/s3/aws4_request`);
      path +=
        `${path.includes('?') ? '&' : '?'}X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${credential}` +
        `&X-Amz-Date=${date}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=00`;
    }
  }
  return raw(req.method ?? 'GET', path, { anonymous: true, headers, body: req.body });
}

async function prepare(b: string, row: Row): Promise<void> {
  for (const key of SEED) {
    const res = await send(b, put(key, 'owner'));
    expect(res.status, `seeding ${key}: ${res.text}`).toBe(200);
  }
  if (row.acl) {
    const headers = typeof row.acl === 'string' ? { 'x-amz-acl': row.acl } : row.acl;
    const res = await send(b, { method: 'PUT', path: '?acl', as: 'owner', headers });
    expect(res.status, `bucket ACL: ${res.text}`).toBe(200);
  }
  if (row.policy) {
    const res = await send(b, putPolicy(policyText(row.policy(b))));
    expect(res.status, `bucket policy: ${res.text}`).toBe(204);
  }
  await row.setup?.({ b, send: (r) => send(b, r) });
}

function outcome(res: RawResponse, expected: Expected): Expected {
  const got: Expected = { status: res.status };
  if (expected.code !== undefined) got.code = xmlText(res.text, 'Code');
  if (expected.message !== undefined) got.message = xmlText(res.text, 'Message');
  return got;
}

const rowCount = Object.values(matrix).reduce((n, rows) => n + rows.length, 0);

describe(`authorization matrix (${rowCount} rows)`, () => {
  for (const [section, rows] of Object.entries(matrix)) {
    describe(section, () => {
      for (const row of rows) {
        const run = async (): Promise<void> => {
          const b = await freshBucket(s3, 'authz');
          await prepare(b, row);
          const req = typeof row.req === 'function' ? row.req(b) : row.req;
          const res = await send(b, req);
          const { message, ...rest } = row.expect;
          expect(outcome(res, rest), res.text).toEqual(rest);
          if (message !== undefined) expect(xmlText(res.text, 'Message')).toBe(message);
          await row.check?.({ b, res, send: (r) => send(b, r) });
        };
        if (row.fails) test.fails(row.name, run);
        else test(row.name, run);
      }
    });
  }
});
