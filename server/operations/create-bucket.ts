// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
import { aclFromHeaders } from '../acl/grants.js';
import { S3Error } from '../../errors/s3-error.js';
import { isValidBucketName } from '../../common/bucket-name.js';
import { isRegionCode } from '../../common/region.js';
import { readSmallBody } from '../protocol/read-body.js';
import { ownerOf } from '../kit/bucket-access.js';
import { header, type Handler } from '../kit/handler.js';
import { parseXml, textOf } from '../xml/parse.js';
import { OBJECT_OWNERSHIPS, type ObjectOwnership } from '../xml/shapes/ownership-controls.js';

// The legacy constraint `EU` names eu-west-1; an empty one names us-east-1.
const regionOf = (constraint: string | undefined, fallback: string): string =>
  constraint === 'EU' ? 'eu-west-1' : constraint || fallback;

export const createBucket: Handler = async (req) => {
  const name = req.bucket!;
  if (!isValidBucketName(name)) throw new S3Error('InvalidBucketName', { BucketName: name });
  const text = await readSmallBody(req);
  let constraint: string | undefined;
  if (text.trim() !== '') {
    const { root, body } = await parseXml(text);
    if (root !== 'CreateBucketConfiguration') throw new S3Error('MalformedXML');
    constraint = textOf(body.LocationConstraint);
    // us-east-1 is named by an absent constraint; naming it explicitly is an error on AWS, and so
    // is anything that is not a Region code (the legacy `EU` aside).
    if (constraint !== undefined && (constraint === 'us-east-1' || (constraint !== 'EU' && !isRegionCode(constraint))))
      throw new S3Error('InvalidLocationConstraint', { LocationConstraint: constraint });
  }
  const acl = aclFromHeaders(req.headers);
  // x-amz-object-ownership sets the bucket's ownership controls; BucketOwnerEnforced takes no ACL
  // granting others (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html).
  const ownership = header(req, 'x-amz-object-ownership');
  if (ownership !== undefined && !OBJECT_OWNERSHIPS.includes(ownership as ObjectOwnership))
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'x-amz-object-ownership', ArgumentValue: ownership },
      `Invalid x-amz-object-ownership header: ${ownership}`,
    );
  if (ownership === 'BucketOwnerEnforced' && acl?.length) throw new S3Error('InvalidBucketAclWithObjectOwnership');
  const lockHeader = header(req, 'x-amz-bucket-object-lock-enabled');
  const objectLock = lockHeader?.toLowerCase() === 'true';
  const owner = ownerOf(req.identity);
  const { storage, config } = req.services;
  const region = regionOf(constraint, 'us-east-1');
  const outcome = await storage.createBucket({ name, created: Date.now(), region, owner });
  if (outcome === 'exists') {
    const existing = (await storage.getBucket(name))!;
    if (existing.owner.id !== owner.id) throw new S3Error('BucketAlreadyExists', { BucketName: name });
    // us-east-1 answers 200 to an owner re-creating its bucket; every other Region answers 409.
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html#API_CreateBucket_Errors
    if (config.region !== 'us-east-1' || existing.region !== 'us-east-1') {
      throw new S3Error('BucketAlreadyOwnedByYou', { BucketName: name });
    }
  }
  if (outcome === 'created' && acl) await storage.putBucketConfig(name, 'acl', acl);
  if (outcome === 'created' && ownership)
    await storage.putBucketConfig(name, 'ownershipControls', ownership as ObjectOwnership);
  // Object Lock at creation turns versioning on with it, for good
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html).
  if (outcome === 'created' && objectLock) {
    await storage.putBucketConfig(name, 'versioning', 'Enabled');
    await storage.putBucketConfig(name, 'objectLock', {});
  }
  return { status: 200, headers: { Location: `/${name}` } };
};
