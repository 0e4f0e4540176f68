// Object Lock as a request sees it: the bucket's state, the settings a write gets, the governance
// bypass and the check that keeps locked versions.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
import { S3Error } from '../../errors/s3-error.js';
import type { ObjectLock, VersionCheck } from '../../storage/storage.js';
import { hasIntegrityHeader } from '../protocol/integrity.js';
import { defaultRetentionAt, hasLockHeaders, isLocked, lockFromHeaders } from '../protocol/object-lock.js';
import { authorize } from './authorize.js';
import { header, type S3Request } from './handler.js';

const lockConfigOf = (req: S3Request) =>
  req.bucket === undefined ? undefined : req.services.storage.peekBucket(req.bucket)?.config.objectLock;

/** The retention and legal-hold operations answer this on a bucket without Object Lock. */
export function requireLockEnabled(req: S3Request): void {
  if (!lockConfigOf(req)) throw new S3Error('InvalidRequest', {}, 'Bucket is missing Object Lock Configuration');
}

/**
 * The Object Lock settings a new version gets: those its headers name (on a bucket with Object
 * Lock only), else the bucket's default retention, computed from now.
 */
export function objectLockFor(req: S3Request, now = Date.now()): ObjectLock {
  const lock = lockFromHeaders(req.headers, now);
  const config = lockConfigOf(req);
  if (!config) {
    if (lock.retention || lock.legalHold) requireLockEnabled(req);
    return {};
  }
  if (!lock.retention && config.rule) lock.retention = defaultRetentionAt(config.rule, now);
  return lock;
}

/**
 * S3 takes an object body with Object Lock parameters (headers, or the bucket's default retention)
 * only with Content-MD5 or a checksum. Its error, as AWS words it (seen in versity/versitygw#1776,
 * aws/aws-sdk-php#1694; "Put Part" for UploadPart in s3tools/s3cmd#1436).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (Content-MD5)
 */
export function requireIntegrityForLock(req: S3Request, request: 'Put Object' | 'Put Part', locked: boolean): void {
  const withLock = locked || hasLockHeaders(req.headers) || lockConfigOf(req)?.rule !== undefined;
  if (withLock && !hasIntegrityHeader(req.headers))
    throw new S3Error(
      'InvalidRequest',
      {},
      `Content-MD5 OR x-amz-checksum- HTTP header is required for ${request} requests with Object Lock parameters`,
    );
}

/**
 * `x-amz-bypass-governance-retention: true` from a caller allowed s3:BypassGovernanceRetention.
 * Without that permission the header changes nothing: a GOVERNANCE lock then refuses as usual.
 */
export async function bypassesGovernance(req: S3Request, key = req.key): Promise<boolean> {
  if (header(req, 'x-amz-bypass-governance-retention')?.toLowerCase() !== 'true') return false;
  try {
    await authorize(req, { action: 's3:BypassGovernanceRetention' }, { bucket: req.bucket, key });
    return true;
  } catch {
    return false;
  }
}

/** The error S3 answers for a change Object Lock forbids. */
export const lockedError = (): S3Error =>
  new S3Error('AccessDenied', {}, 'Access Denied because object protected by object lock.');

/** Refuses removing a version that Object Lock protects (a legal hold, or an unexpired retention). */
export const keepLockedVersion =
  (bypass: boolean, now = Date.now()): VersionCheck =>
  (target) => {
    if (target && isLocked(target, now, bypass)) throw lockedError();
  };
