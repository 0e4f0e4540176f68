import { S3Error } from '../../errors/s3-error.js';

type Headers = Record<string, string | string[] | undefined>;

// The headers that let S3 check a body it insists on checking: Content-MD5, a flexible checksum,
// or a trailer that will carry one (seen on AWS; `x-amz-content-sha256` alone does not count).
const INTEGRITY_HEADER = /^(content-md5|x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)|x-amz-trailer)$/;

/** True when the request carries one of the body checks S3 accepts for "Content-MD5 OR x-amz-checksum-*". */
export const hasIntegrityHeader = (headers: Headers): boolean =>
  Object.keys(headers).some((h) => INTEGRITY_HEADER.test(h));

/** Refuses a request S3 accepts only with a body check (DeleteObjects, the Object Lock PUTs). */
export function requireIntegrityHeader(headers: Headers): void {
  if (!hasIntegrityHeader(headers))
    throw new S3Error(
      'InvalidRequest',
      {},
      'Missing required header for this request: Content-MD5 OR x-amz-checksum-*',
    );
}
