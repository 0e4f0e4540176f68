// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketOwnershipControls.html
import { S3Error } from '../../errors/s3-error.js';
import type { Handler } from '../kit/handler.js';
import { readXmlDocument } from '../protocol/xml-document.js';
import { objectOwnershipFrom } from '../xml/shapes/ownership-controls.js';

/**
 * BucketOwnerEnforced disables ACLs, so a bucket whose ACL grants anyone but its owner is refused
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html;
 * ceph/s3-tests test_put_bucket_ownership_bucket_owner_enforced).
 */
export const putBucketOwnershipControls: Handler = async (req) => {
  const { root, body } = await readXmlDocument(req);
  const ownership = objectOwnershipFrom(root, body);
  const { storage } = req.services;
  if (ownership === 'BucketOwnerEnforced' && (await storage.getBucketConfig(req.bucket!, 'acl'))?.length)
    throw new S3Error('InvalidBucketAclWithObjectOwnership');
  await storage.putBucketConfig(req.bucket!, 'ownershipControls', ownership);
  return { status: 200 };
};
