import type { NewObject, ObjectEncryption } from '../../storage/storage.js';
import { encryptionFrom } from '../protocol/encryption.js';
import { newObjectFrom } from '../protocol/object-headers.js';
import { ownerOf } from './bucket-access.js';
import type { S3Request } from './handler.js';
import { objectLockFor } from './object-lock.js';

/** Whether the request came over TLS (SSE-C and aws:SecureTransport depend on it). */
export const isSecure = (req: S3Request): boolean => req.ctx.tlsCipher !== undefined;

/**
 * The encryption a new object gets: what the request asks for, else the bucket's default
 * (SSE-S3 for every bucket since January 2023).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html
 */
export function encryptionFor(req: S3Request): ObjectEncryption {
  const requested = encryptionFrom(req.headers, isSecure(req));
  if (requested) return requested;
  const byDefault =
    req.bucket === undefined ? undefined : req.services.storage.peekBucket(req.bucket)?.config.encryption;
  if (!byDefault) return { algorithm: 'AES256' };
  return {
    algorithm: byDefault.sseAlgorithm as ObjectEncryption['algorithm'],
    kmsKeyId: byDefault.sseAlgorithm === 'AES256' ? undefined : byDefault.kmsMasterKeyId,
    bucketKeyEnabled: byDefault.bucketKeyEnabled,
  };
}

/** Everything a PUT, CreateMultipartUpload or a replacing copy stores besides the bytes. */
export const newObjectFor = (req: S3Request): NewObject =>
  // Object.assign, not spreads: see read-object.ts.
  Object.assign(newObjectFrom(req.headers, ownerOf(req.identity)), { sse: encryptionFor(req) }, objectLockFor(req));
