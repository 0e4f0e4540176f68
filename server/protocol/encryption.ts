import { createHash } from 'node:crypto';
import { S3Error } from '../../errors/s3-error.js';
import type { ObjectEncryption } from '../../storage/storage.js';

type Headers = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

const ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

/**
 * The server-side encryption a write asks for (SSE-S3, SSE-KMS, DSSE-KMS or SSE-C), checked as S3
 * checks it. s3scribe stores the bytes as sent: it records and echoes the encryption settings so
 * clients and logs see what AWS would show, without encrypting anything.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html
 */
export function encryptionFrom(h: Headers, secure: boolean): ObjectEncryption | undefined {
  const algorithm = one(h['x-amz-server-side-encryption']);
  const kmsKeyId = one(h['x-amz-server-side-encryption-aws-kms-key-id']);
  const bucketKey = one(h['x-amz-server-side-encryption-bucket-key-enabled']);
  const customer = customerKeyFrom(h, secure);
  if (algorithm === undefined) {
    if (kmsKeyId !== undefined)
      throw new S3Error(
        'InvalidArgument',
        { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: 'null' },
        'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      );
    return customer;
  }
  if (!ALGORITHMS.has(algorithm)) {
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: algorithm },
      'The encryption method specified is not supported',
    );
  }
  if (customer) {
    throw new S3Error(
      'InvalidArgument',
      {},
      'Server Side Encryption with Customer provided key is incompatible with the encryption method specified',
    );
  }
  if (kmsKeyId !== undefined && algorithm === 'AES256') {
    throw new S3Error(
      'InvalidArgument',
      {},
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
    );
  }
  return {
    algorithm: algorithm as ObjectEncryption['algorithm'],
    kmsKeyId: algorithm === 'AES256' ? undefined : kmsKeyId,
    bucketKeyEnabled: bucketKey === undefined ? undefined : bucketKey.toLowerCase() === 'true',
  };
}

/**
 * SSE-C: AES256 with a 256-bit key whose MD5 the request repeats. AWS refuses SSE-C over plain HTTP.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html
 */
function customerKeyFrom(h: Headers, secure: boolean): ObjectEncryption | undefined {
  const algorithm = one(h['x-amz-server-side-encryption-customer-algorithm']);
  const key = one(h['x-amz-server-side-encryption-customer-key']);
  const md5 = one(h['x-amz-server-side-encryption-customer-key-md5']);
  if (algorithm === undefined && key === undefined && md5 === undefined) return undefined;
  if (!secure)
    throw new S3Error(
      'InvalidRequest',
      {},
      'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.',
    );
  if (algorithm !== 'AES256') {
    throw new S3Error(
      'InvalidEncryptionAlgorithmError',
      {},
      'The encryption request you specified is not valid. Supported value: AES256.',
    );
  }
  const raw = key === undefined ? Buffer.alloc(0) : Buffer.from(key, 'base64');
  if (raw.length !== 32)
    throw new S3Error('InvalidArgument', {}, 'The secret key was invalid for the specified algorithm.');
  const actual = createHash('md5').update(raw).digest('base64');
  if (md5 !== actual)
    throw new S3Error(
      'InvalidArgument',
      {},
      'The calculated MD5 hash of the key did not match the hash that was provided.',
    );
  return { algorithm: 'AES256', customerAlgorithm: 'AES256', customerKeyMd5: actual };
}

/**
 * Reading an SSE-C object needs its key again (the same MD5); anything else is refused as S3 does.
 */
export function checkCustomerKey(h: Headers, stored: ObjectEncryption | undefined, secure: boolean): void {
  if (!stored?.customerKeyMd5) return;
  const given = customerKeyFrom(h, secure);
  if (!given) {
    throw new S3Error(
      'InvalidRequest',
      {},
      'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
    );
  }
  if (given.customerKeyMd5 !== stored.customerKeyMd5) throw new S3Error('AccessDenied');
}

/** The encryption headers of a response about an object. */
export function encryptionHeaders(sse: ObjectEncryption | undefined): Record<string, string> {
  if (!sse) return {};
  if (sse.customerKeyMd5) {
    return {
      'x-amz-server-side-encryption-customer-algorithm': sse.customerAlgorithm ?? 'AES256',
      'x-amz-server-side-encryption-customer-key-MD5': sse.customerKeyMd5,
    };
  }
  const out: Record<string, string> = { 'x-amz-server-side-encryption': sse.algorithm };
  if (sse.kmsKeyId) out['x-amz-server-side-encryption-aws-kms-key-id'] = sse.kmsKeyId;
  if (sse.bucketKeyEnabled !== undefined)
    out['x-amz-server-side-encryption-bucket-key-enabled'] = String(sse.bucketKeyEnabled);
  return out;
}
