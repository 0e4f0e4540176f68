import { createHmac, timingSafeEqual } from 'node:crypto';
import { S3Error } from '../../errors/s3-error.js';
import type { Identity } from '../kit/identity.js';
import { signHex, signingKey } from './signing-key.js';

/**
 * A browser POST signs its base64 policy document: SigV4 with the signing key of
 * `x-amz-credential`'s scope (hex), SigV2 with HMAC-SHA1 of the secret (base64).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html
 */
export function verifyPostPolicySignature(
  fields: ReadonlyMap<string, string>,
  lookup: (accessKeyId: string) => Identity | undefined,
): Identity {
  const policy = fields.get('policy') ?? '';
  const credential = fields.get('x-amz-credential');
  if (credential !== undefined) {
    const [accessKeyId = '', date = '', region = '', service = ''] = credential.split('/');
    const identity = known(lookup, accessKeyId);
    const provided = fields.get('x-amz-signature') ?? '';
    const key = signingKey(identity.secretAccessKey ?? '', date, region, service);
    check(Buffer.from(signHex(key, policy), 'hex'), Buffer.from(provided, 'hex'), accessKeyId, policy, provided);
    return identity;
  }
  const accessKeyId = fields.get('awsaccesskeyid') ?? '';
  const identity = known(lookup, accessKeyId);
  const provided = fields.get('signature') ?? '';
  const expected = createHmac('sha1', identity.secretAccessKey ?? '')
    .update(policy, 'utf8')
    .digest();
  check(expected, Buffer.from(provided, 'base64'), accessKeyId, policy, provided);
  return identity;
}

function known(lookup: (accessKeyId: string) => Identity | undefined, accessKeyId: string): Identity {
  const identity = lookup(accessKeyId);
  if (!identity) throw new S3Error('InvalidAccessKeyId', { AWSAccessKeyId: accessKeyId });
  return identity;
}

function check(expected: Buffer, given: Buffer, accessKeyId: string, policy: string, provided: string): void {
  if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  throw new S3Error('SignatureDoesNotMatch', {
    AWSAccessKeyId: accessKeyId,
    StringToSign: policy,
    SignatureProvided: provided,
  });
}
