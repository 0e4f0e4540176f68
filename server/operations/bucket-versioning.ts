// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html
import { S3Error } from '../../errors/s3-error.js';
import type { VersioningStatus } from '../../storage/storage.js';
import type { Handler } from '../kit/handler.js';
import { readSmallBody } from '../protocol/read-body.js';
import { parseXml, textOf } from '../xml/parse.js';
import { xmlResponse } from '../xml/shapes/response.js';

/** A bucket whose versioning was never enabled answers an empty configuration (no Status). */
export const getBucketVersioning: Handler = async (req) => {
  const status = await req.services.storage.getBucketConfig(req.bucket!, 'versioning');
  return xmlResponse('VersioningConfiguration', status ? { Status: status } : {});
};

/**
 * Enabled or Suspended; a bucket never returns to unversioned. MFA delete needs an MFA device,
 * which a local server cannot check: asking for it is refused rather than silently ignored.
 */
export const putBucketVersioning: Handler = async (req) => {
  const { root, body } = await parseXml(await readSmallBody(req));
  if (root !== 'VersioningConfiguration') throw new S3Error('MalformedXML');
  const status = textOf(body.Status);
  if (status !== 'Enabled' && status !== 'Suspended') throw new S3Error('MalformedXML');
  if (textOf(body.MfaDelete) === 'Enabled') {
    throw new S3Error('InvalidRequest', {}, 'MFA delete is not supported by s3scribe.');
  }
  const { storage } = req.services;
  // Object Lock needs every version kept: its bucket's versioning stays Enabled.
  if (status === 'Suspended' && (await storage.getBucketConfig(req.bucket!, 'objectLock')))
    throw new S3Error(
      'InvalidBucketState',
      { BucketName: req.bucket },
      'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.',
    );
  await storage.putBucketConfig(req.bucket!, 'versioning', status as VersioningStatus);
  return { status: 200 };
};
