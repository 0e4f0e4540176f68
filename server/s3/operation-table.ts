import { getBucketAcl, putBucketAcl } from '../operations/bucket-acl.js';
import { getObjectAcl, putObjectAcl } from '../operations/object-acl.js';
import { optionsPreflight } from '../operations/options-preflight.js';
import {
  getBucketVersioning,
  getBucketCors,
  getBucketLifecycleConfiguration,
  getBucketWebsite,
  getBucketTagging,
  getBucketReplication,
  getPublicAccessBlock,
  getBucketOwnershipControls,
  getObjectLockConfiguration,
  getBucketEncryption,
  getBucketRequestPayment,
  getBucketAccelerateConfiguration,
  getBucketNotificationConfiguration,
} from '../operations/bucket-config-defaults.js';
import { listObjectVersions } from '../operations/list-object-versions.js';
import { abortMultipartUpload } from '../operations/abort-multipart-upload.js';
import { completeMultipartUpload } from '../operations/complete-multipart-upload.js';
import { copyObject } from '../operations/copy-object.js';
import { createBucket } from '../operations/create-bucket.js';
import { createMultipartUpload } from '../operations/create-multipart-upload.js';
import { getBucketLogging } from '../operations/get-bucket-logging.js';
import { putBucketLogging } from '../operations/put-bucket-logging.js';
import { postBucketLogging } from '../operations/post-bucket-logging.js';
import { getBucketPolicy } from '../operations/get-bucket-policy.js';
import { putBucketPolicy } from '../operations/put-bucket-policy.js';
import { deleteBucketPolicy } from '../operations/delete-bucket-policy.js';
import { deleteBucket } from '../operations/delete-bucket.js';
import { deleteObject } from '../operations/delete-object.js';
import { deleteObjects } from '../operations/delete-objects.js';
import { getBucketLocation } from '../operations/get-bucket-location.js';
import { getObject } from '../operations/get-object.js';
import { headBucket } from '../operations/head-bucket.js';
import { headObject } from '../operations/head-object.js';
import { listBuckets } from '../operations/list-buckets.js';
import { listMultipartUploads } from '../operations/list-multipart-uploads.js';
import { listObjects } from '../operations/list-objects.js';
import { listObjectsV2 } from '../operations/list-objects-v2.js';
import { listParts } from '../operations/list-parts.js';
import { putObject } from '../operations/put-object.js';
import { uploadPart } from '../operations/upload-part.js';
import { uploadPartCopy } from '../operations/upload-part-copy.js';
import type { Handler } from './handler.js';

export interface OperationRow {
  /** The access log's Operation field (reference §3). */
  log: string;
  /** Unset: S3 has the operation, s3scribe does not yet (501 NotImplemented). */
  handler?: Handler;
}

/** Every S3 operation the resolver can name, with its access-log name and handler. */
export const operationTable: Record<string, OperationRow> = {
  ListBuckets: { log: 'REST.GET.SERVICE', handler: listBuckets },
  CreateBucket: { log: 'REST.PUT.BUCKET', handler: createBucket },
  DeleteBucket: { log: 'REST.DELETE.BUCKET', handler: deleteBucket },
  HeadBucket: { log: 'REST.HEAD.BUCKET', handler: headBucket },
  GetBucketLocation: { log: 'REST.GET.LOCATION', handler: getBucketLocation },
  ListObjects: { log: 'REST.GET.BUCKET', handler: listObjects },
  ListObjectsV2: { log: 'REST.GET.BUCKET', handler: listObjectsV2 },
  ListObjectVersions: { log: 'REST.GET.BUCKETVERSIONS', handler: listObjectVersions },
  ListMultipartUploads: { log: 'REST.GET.UPLOADS', handler: listMultipartUploads },
  GetBucketLogging: { log: 'REST.GET.LOGGING_STATUS', handler: getBucketLogging },
  PutBucketLogging: { log: 'REST.PUT.LOGGING_STATUS', handler: putBucketLogging },
  PostBucketLogging: { log: 'REST.POST.LOGGING_STATUS', handler: postBucketLogging },
  GetBucketPolicy: { log: 'REST.GET.BUCKETPOLICY', handler: getBucketPolicy },
  PutBucketPolicy: { log: 'REST.PUT.BUCKETPOLICY', handler: putBucketPolicy },
  DeleteBucketPolicy: { log: 'REST.DELETE.BUCKETPOLICY', handler: deleteBucketPolicy },
  GetBucketPolicyStatus: { log: 'REST.GET.POLICY_STATUS' },
  GetPublicAccessBlock: { log: 'REST.GET.PUBLIC_ACCESS_BLOCK', handler: getPublicAccessBlock },
  PutPublicAccessBlock: { log: 'REST.PUT.PUBLIC_ACCESS_BLOCK' },
  DeletePublicAccessBlock: { log: 'REST.DELETE.PUBLIC_ACCESS_BLOCK' },
  GetBucketAcl: { log: 'REST.GET.ACL', handler: getBucketAcl },
  PutBucketAcl: { log: 'REST.PUT.ACL', handler: putBucketAcl },
  GetBucketTagging: { log: 'REST.GET.TAGGING', handler: getBucketTagging },
  PutBucketTagging: { log: 'REST.PUT.TAGGING' },
  DeleteBucketTagging: { log: 'REST.DELETE.TAGGING' },
  GetBucketVersioning: { log: 'REST.GET.VERSIONING', handler: getBucketVersioning },
  PutBucketVersioning: { log: 'REST.PUT.VERSIONING' },
  GetBucketCors: { log: 'REST.GET.CORS', handler: getBucketCors },
  PutBucketCors: { log: 'REST.PUT.CORS' },
  DeleteBucketCors: { log: 'REST.DELETE.CORS' },
  GetBucketLifecycleConfiguration: { log: 'REST.GET.LIFECYCLE', handler: getBucketLifecycleConfiguration },
  PutBucketLifecycleConfiguration: { log: 'REST.PUT.LIFECYCLE' },
  DeleteBucketLifecycle: { log: 'REST.DELETE.LIFECYCLE' },
  GetBucketEncryption: { log: 'REST.GET.ENCRYPTION', handler: getBucketEncryption },
  PutBucketEncryption: { log: 'REST.PUT.ENCRYPTION' },
  DeleteBucketEncryption: { log: 'REST.DELETE.ENCRYPTION' },
  GetBucketWebsite: { log: 'REST.GET.WEBSITE', handler: getBucketWebsite },
  PutBucketWebsite: { log: 'REST.PUT.WEBSITE' },
  DeleteBucketWebsite: { log: 'REST.DELETE.WEBSITE' },
  GetBucketNotificationConfiguration: { log: 'REST.GET.NOTIFICATION', handler: getBucketNotificationConfiguration },
  PutBucketNotificationConfiguration: { log: 'REST.PUT.NOTIFICATION' },
  GetBucketReplication: { log: 'REST.GET.REPLICATION', handler: getBucketReplication },
  PutBucketReplication: { log: 'REST.PUT.REPLICATION' },
  DeleteBucketReplication: { log: 'REST.DELETE.REPLICATION' },
  GetBucketRequestPayment: { log: 'REST.GET.REQUEST_PAYMENT', handler: getBucketRequestPayment },
  PutBucketRequestPayment: { log: 'REST.PUT.REQUEST_PAYMENT' },
  GetBucketAccelerateConfiguration: { log: 'REST.GET.ACCELERATE', handler: getBucketAccelerateConfiguration },
  PutBucketAccelerateConfiguration: { log: 'REST.PUT.ACCELERATE' },
  GetBucketOwnershipControls: { log: 'REST.GET.OWNERSHIP_CONTROLS', handler: getBucketOwnershipControls },
  PutBucketOwnershipControls: { log: 'REST.PUT.OWNERSHIP_CONTROLS' },
  DeleteBucketOwnershipControls: { log: 'REST.DELETE.OWNERSHIP_CONTROLS' },
  GetObjectLockConfiguration: { log: 'REST.GET.OBJECT_LOCK_CONFIGURATION', handler: getObjectLockConfiguration },
  PutObjectLockConfiguration: { log: 'REST.PUT.OBJECT_LOCK_CONFIGURATION' },
  GetBucketAnalyticsConfiguration: { log: 'REST.GET.ANALYTICS' },
  GetBucketMetricsConfiguration: { log: 'REST.GET.METRICS' },
  GetBucketInventoryConfiguration: { log: 'REST.GET.INVENTORY' },
  GetBucketIntelligentTieringConfiguration: { log: 'REST.GET.INTELLIGENT_TIERING' },
  PostObject: { log: 'REST.POST.OBJECT' },
  DeleteObjects: { log: 'REST.POST.MULTI_OBJECT_DELETE', handler: deleteObjects },
  GetObject: { log: 'REST.GET.OBJECT', handler: getObject },
  HeadObject: { log: 'REST.HEAD.OBJECT', handler: headObject },
  PutObject: { log: 'REST.PUT.OBJECT', handler: putObject },
  CopyObject: { log: 'REST.COPY.OBJECT', handler: copyObject },
  DeleteObject: { log: 'REST.DELETE.OBJECT', handler: deleteObject },
  GetObjectAcl: { log: 'REST.GET.ACL', handler: getObjectAcl },
  PutObjectAcl: { log: 'REST.PUT.ACL', handler: putObjectAcl },
  OptionsPreflight: { log: 'REST.OPTIONS.PREFLIGHT', handler: optionsPreflight },
  GetObjectTagging: { log: 'REST.GET.OBJECT_TAGGING' },
  PutObjectTagging: { log: 'REST.PUT.OBJECT_TAGGING' },
  DeleteObjectTagging: { log: 'REST.DELETE.OBJECT_TAGGING' },
  GetObjectAttributes: { log: 'REST.GET.OBJECT_ATTRIBUTES' },
  GetObjectRetention: { log: 'REST.GET.RETENTION' },
  PutObjectRetention: { log: 'REST.PUT.RETENTION' },
  GetObjectLegalHold: { log: 'REST.GET.LEGAL_HOLD' },
  PutObjectLegalHold: { log: 'REST.PUT.LEGAL_HOLD' },
  GetObjectTorrent: { log: 'REST.GET.TORRENT' },
  RestoreObject: { log: 'REST.POST.RESTORE' },
  SelectObjectContent: { log: 'REST.POST.SELECT' },
  CreateMultipartUpload: { log: 'REST.POST.UPLOADS', handler: createMultipartUpload },
  UploadPart: { log: 'REST.PUT.PART', handler: uploadPart },
  UploadPartCopy: { log: 'REST.COPY.PART', handler: uploadPartCopy },
  CompleteMultipartUpload: { log: 'REST.POST.UPLOAD', handler: completeMultipartUpload },
  AbortMultipartUpload: { log: 'REST.DELETE.UPLOAD', handler: abortMultipartUpload },
  ListParts: { log: 'REST.GET.UPLOAD', handler: listParts },
};

/** Log name for a request no row matches (an unsupported method on a bucket or object). */
export const unmatchedLogName = (method: string, key: string | undefined): string =>
  `REST.${method}.${key === undefined ? 'BUCKET' : 'OBJECT'}`;
