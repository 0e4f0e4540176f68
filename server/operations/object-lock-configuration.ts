// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLockConfiguration.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectLockConfiguration.html
import { S3Error } from '../../errors/s3-error.js';
import type { Handler } from '../kit/handler.js';
import { requireIntegrityHeader } from '../protocol/integrity.js';
import { readXmlDocument } from '../protocol/xml-document.js';
import { objectLockConfigFrom, objectLockConfigXml } from '../xml/shapes/object-lock.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const getObjectLockConfiguration: Handler = async (req) => {
  const config = await req.services.storage.getBucketConfig(req.bucket!, 'objectLock');
  if (!config) throw new S3Error('ObjectLockConfigurationNotFoundError', { BucketName: req.bucket });
  return xmlResponse('ObjectLockConfiguration', objectLockConfigXml(config));
};

/**
 * Sets the default retention of a bucket with Object Lock, or enables Object Lock on a bucket
 * whose versioning is Enabled (never on an unversioned or suspended one: InvalidBucketState, as
 * ceph/s3-tests test_object_lock_put_obj_lock_enable_after_create expects). S3 requires a body
 * check on this request (Content-MD5 or a checksum).
 */
export const putObjectLockConfiguration: Handler = async (req) => {
  requireIntegrityHeader(req.headers);
  const { root, body } = await readXmlDocument(req);
  const config = objectLockConfigFrom(root, body);
  const { storage } = req.services;
  const enabled = (await storage.getBucketConfig(req.bucket!, 'objectLock')) !== undefined;
  if (!enabled && (await storage.getBucketConfig(req.bucket!, 'versioning')) !== 'Enabled')
    throw new S3Error(
      'InvalidBucketState',
      { BucketName: req.bucket },
      "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
    );
  await storage.putBucketConfig(req.bucket!, 'objectLock', config);
  return { status: 200 };
};
