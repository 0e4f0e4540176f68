import { createHash } from 'node:crypto';
import { HeadObjectCommand, PutBucketPolicyCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { expect, type RawRequest, type RawResponse, test, xmlText, xmlTexts } from '../helpers/server.js';

// Bucket policies as AWS evaluates them for anonymous callers: case-sensitive resources, Deny
// statements that must not fail open, per-key decisions in DeleteObjects, malformed documents
// refused at PutBucketPolicy, and ACL-setting headers needing their own permission.

const arn = (bucket: string, key?: string): string =>
  key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;

const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });

const allowGet = (bucket: string, resource = `${bucket}/*`): object => ({
  Sid: 'PublicRead',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${resource}`,
});

const codeOf = (res: RawResponse): string | undefined => xmlText(res.text, 'Code');

async function setPolicy(s3: S3Client, bucket: string, policy: string): Promise<void> {
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
}

async function put(s3: S3Client, bucket: string, key: string, body = key): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

const anonGet = (raw: RawRequest, bucket: string, key: string): Promise<RawResponse> =>
  raw('GET', `/${bucket}/${key}`, { anonymous: true });

async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  return s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    (e: { $metadata?: { httpStatusCode?: number } }) => {
      if (e.$metadata?.httpStatusCode === 404) return false;
      throw e;
    },
  );
}

describe('policy hardening', () => {
  // Defect 2: IAM matches Resource ARNs case-sensitively; only Action names are case-insensitive.
  test('Policy: a Resource of pub/public/* does not grant pub/PUBLIC/…', async ({ s3, raw, bucket }) => {
    await put(s3, bucket, 'public/x', 'public');
    await put(s3, bucket, 'PUBLIC/secret', 'secret');
    await setPolicy(s3, bucket, doc(allowGet(bucket, `${bucket}/public/*`)));

    const control = await anonGet(raw, bucket, 'public/x');
    expect(control.status).toBe(200);
    expect(control.text).toBe('public');

    const res = await anonGet(raw, bucket, 'PUBLIC/secret');
    expect({ status: res.status, code: codeOf(res) }).toEqual({ status: 403, code: 'AccessDenied' });
  });

  // Defect 3: an explicit Deny must apply whenever its conditions hold; a Deny the evaluator does
  // not understand must never be skipped in favour of an Allow.
  describe('Deny statements do not fail open', () => {
    const denyCases: { name: string; deny: (bucket: string) => object }[] = [
      {
        // Defect 3(a): NotPrincipal with Deny denies everyone but the named principal.
        name: 'Policy: Deny with NotPrincipal denies an anonymous GetObject',
        deny: (b) => ({
          Sid: 'OnlyThatAccount',
          Effect: 'Deny',
          NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 's3:GetObject',
          Resource: arn(b, '*'),
        }),
      },
      {
        // Defect 3(b): 127.0.0.1 is not in 10.0.0.0/8, so NotIpAddress holds and the Deny applies.
        name: 'Policy: Deny with Condition NotIpAddress aws:SourceIp denies a caller outside the range',
        deny: (b) => ({
          Sid: 'OnlyFromTheVpc',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: arn(b, '*'),
          Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
        }),
      },
      {
        // Defect 3(c): AWS's documented DenyInsecureTransport statement; s3scribe speaks plain HTTP.
        name: 'Policy: DenyInsecureTransport (Bool aws:SecureTransport "false") denies a plain-HTTP GetObject',
        deny: (b) => ({
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [arn(b), arn(b, '*')],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      },
    ];
    for (const c of denyCases) {
      test(c.name, async ({ s3, raw, bucket }) => {
        await put(s3, bucket, 'file.txt', 'hello');
        // Control: the Allow on its own lets the anonymous GET through.
        await setPolicy(s3, bucket, doc(allowGet(bucket)));
        expect((await anonGet(raw, bucket, 'file.txt')).status).toBe(200);

        await setPolicy(s3, bucket, doc(allowGet(bucket), c.deny(bucket)));
        const res = await anonGet(raw, bucket, 'file.txt');
        expect({ status: res.status, code: codeOf(res) }).toEqual({ status: 403, code: 'AccessDenied' });
      });
    }
  });

  // Defect 4: DeleteObjects is authorized key by key (s3:DeleteObject on each object's ARN); a
  // key the policy denies is reported in <Error> with AccessDenied and stays, the others go.
  describe('DeleteObjects authorizes each key', () => {
    const deleteBody = (keys: string[]): string =>
      `<Delete>${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join('')}</Delete>`;
    const md5 = (s: string): string => createHash('md5').update(s).digest('base64');

    async function anonDeleteObjects(raw: RawRequest, bucket: string, keys: string[]): Promise<RawResponse> {
      const body = deleteBody(keys);
      return raw('POST', `/${bucket}?delete`, {
        anonymous: true,
        headers: { 'content-type': 'application/xml', 'content-md5': md5(body) },
        body,
      });
    }

    const allowDelete = (resource: string | string[]): object => ({
      Sid: 'AnyoneDeletes',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:DeleteObject',
      Resource: resource,
    });
    const denyProtected = (b: string): object => ({
      Sid: 'KeepProtected',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:DeleteObject',
      Resource: arn(b, 'protected/*'),
    });

    async function expectPerKeyOutcome(s3: S3Client, res: RawResponse, bucket: string): Promise<void> {
      expect(res.status, res.text).toBe(200);
      expect(xmlTexts(res.text, 'Deleted').map((d) => xmlText(d, 'Key'))).toEqual(['open/c']);
      const errors = xmlTexts(res.text, 'Error').map((e) => ({ key: xmlText(e, 'Key'), code: xmlText(e, 'Code') }));
      expect(errors).toEqual([{ key: 'protected/b', code: 'AccessDenied' }]);
      expect(await exists(s3, bucket, 'protected/b')).toBe(true);
      expect(await exists(s3, bucket, 'open/c')).toBe(false);
    }

    test('DeleteObjects: a key under a Deny prefix is AccessDenied in the result and kept; the allowed key goes', async ({
      s3,
      raw,
      bucket,
    }) => {
      await put(s3, bucket, 'protected/b');
      await put(s3, bucket, 'open/c');
      await setPolicy(s3, bucket, doc(allowDelete(arn(bucket, '*')), denyProtected(bucket)));

      // Control: the single-object DELETE of the protected key is refused.
      const single = await raw('DELETE', `/${bucket}/protected/b`, { anonymous: true });
      expect({ status: single.status, code: codeOf(single) }).toEqual({ status: 403, code: 'AccessDenied' });

      await expectPerKeyOutcome(s3, await anonDeleteObjects(raw, bucket, ['protected/b', 'open/c']), bucket);
    });

    test('DeleteObjects: a Deny on a key prefix holds even when the Allow also names the bucket ARN', async ({
      s3,
      raw,
      bucket,
    }) => {
      await put(s3, bucket, 'protected/b');
      await put(s3, bucket, 'open/c');
      await setPolicy(s3, bucket, doc(allowDelete([arn(bucket), arn(bucket, '*')]), denyProtected(bucket)));

      const single = await raw('DELETE', `/${bucket}/protected/b`, { anonymous: true });
      expect({ status: single.status, code: codeOf(single) }).toEqual({ status: 403, code: 'AccessDenied' });

      await expectPerKeyOutcome(s3, await anonDeleteObjects(raw, bucket, ['protected/b', 'open/c']), bucket);
    });
  });

  // Defect 7: PutBucketPolicy validates element types; a stored policy must never turn later
  // requests into 500s.
  describe('malformed policy documents are MalformedPolicy', () => {
    const base = (b: string): Record<string, unknown> => ({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: arn(b, '*'),
    });
    const cases: { name: string; statement: (b: string) => Record<string, unknown> }[] = [
      { name: '"Principal": null', statement: (b) => ({ ...base(b), Principal: null }) },
      {
        name: '"Condition": {"StringEquals": null}',
        statement: (b) => ({ ...base(b), Condition: { StringEquals: null } }),
      },
      { name: '"Resource": null', statement: (b) => ({ ...base(b), Resource: null }) },
      { name: '"Resource": 5', statement: (b) => ({ ...base(b), Resource: 5 }) },
    ];
    for (const c of cases) {
      test(`PutBucketPolicy: ${c.name} is MalformedPolicy (400) and later requests are not 500`, async ({
        s3,
        raw,
        bucket,
      }) => {
        await put(s3, bucket, 'file.txt', 'hello');
        const res = await raw('PUT', `/${bucket}?policy`, {
          headers: { 'content-type': 'application/json' },
          body: doc(c.statement(bucket)),
        });
        const later = await anonGet(raw, bucket, 'file.txt');
        expect.soft({ status: res.status, code: codeOf(res) }).toEqual({ status: 400, code: 'MalformedPolicy' });
        expect.soft({ status: later.status, code: codeOf(later) }).toEqual({ status: 403, code: 'AccessDenied' });
      });
    }
  });

  // Defect 12: x-amz-acl on PutObject needs s3:PutObjectAcl as well; a policy that grants
  // anonymous s3:PutObject alone does not let the writer make the object public.
  test('PutObject: anonymous x-amz-acl public-read needs s3:PutObjectAcl, not just s3:PutObject', async ({
    s3,
    raw,
    bucket,
  }) => {
    await setPolicy(
      s3,
      bucket,
      doc({ Sid: 'DropBox', Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: arn(bucket, '*') }),
    );
    const plain = await raw('PUT', `/${bucket}/inbox/plain`, { anonymous: true, body: 'plain' });
    expect(plain.status).toBe(200);

    const res = await raw('PUT', `/${bucket}/inbox/public`, {
      anonymous: true,
      headers: { 'x-amz-acl': 'public-read' },
      body: 'made public',
    });
    const read = await anonGet(raw, bucket, 'inbox/public');
    expect.soft({ status: res.status, code: codeOf(res) }).toEqual({ status: 403, code: 'AccessDenied' });
    // Whatever was stored must not have become world-readable.
    expect.soft(read.status).toBe(403);
  });
});
