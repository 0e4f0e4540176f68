import { getBucketPolicyStatus } from '../operations/get-bucket-policy-status.js';
import { postObject } from '../operations/post-object.js';
import { getObjectAttributes } from '../operations/get-object-attributes.js';
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from '../operations/object-tagging.js';
import { getBucketVersioning, putBucketVersioning } from '../operations/bucket-versioning.js';
import { abortMultipartUpload } from '../operations/abort-multipart-upload.js';
import { getBucketAcl, putBucketAcl } from '../operations/bucket-acl.js';
import { getBucketReplication } from '../operations/bucket-config-defaults.js';
import { getObjectLegalHold, putObjectLegalHold } from '../operations/object-legal-hold.js';
import { getObjectLockConfiguration, putObjectLockConfiguration } from '../operations/object-lock-configuration.js';
import { getObjectRetention, putObjectRetention } from '../operations/object-retention.js';
import { completeMultipartUpload } from '../operations/complete-multipart-upload.js';
import { copyObject } from '../operations/copy-object.js';
import { createBucket } from '../operations/create-bucket.js';
import { createMultipartUpload } from '../operations/create-multipart-upload.js';
import { deleteBucketCors } from '../operations/delete-bucket-cors.js';
import { deleteBucketEncryption } from '../operations/delete-bucket-encryption.js';
import { deleteBucketLifecycle } from '../operations/delete-bucket-lifecycle.js';
import { deleteBucketOwnershipControls } from '../operations/delete-bucket-ownership-controls.js';
import { deleteBucketPolicy } from '../operations/delete-bucket-policy.js';
import { deleteBucketTagging } from '../operations/delete-bucket-tagging.js';
import { deleteBucketWebsite } from '../operations/delete-bucket-website.js';
import { deleteBucket } from '../operations/delete-bucket.js';
import { deleteObject } from '../operations/delete-object.js';
import { deleteObjects } from '../operations/delete-objects.js';
import { deletePublicAccessBlock } from '../operations/delete-public-access-block.js';
import { getBucketAccelerateConfiguration } from '../operations/get-bucket-accelerate-configuration.js';
import { getBucketCors } from '../operations/get-bucket-cors.js';
import { getBucketEncryption } from '../operations/get-bucket-encryption.js';
import { getBucketLifecycleConfiguration } from '../operations/get-bucket-lifecycle-configuration.js';
import { getBucketLocation } from '../operations/get-bucket-location.js';
import { getBucketLogging } from '../operations/get-bucket-logging.js';
import { getBucketNotificationConfiguration } from '../operations/get-bucket-notification-configuration.js';
import { getBucketOwnershipControls } from '../operations/get-bucket-ownership-controls.js';
import { getBucketPolicy } from '../operations/get-bucket-policy.js';
import { getBucketRequestPayment } from '../operations/get-bucket-request-payment.js';
import { getBucketTagging } from '../operations/get-bucket-tagging.js';
import { getBucketWebsite } from '../operations/get-bucket-website.js';
import { getObject } from '../operations/get-object.js';
import { getPublicAccessBlock } from '../operations/get-public-access-block.js';
import { headBucket } from '../operations/head-bucket.js';
import { headObject } from '../operations/head-object.js';
import { listBuckets } from '../operations/list-buckets.js';
import { listMultipartUploads } from '../operations/list-multipart-uploads.js';
import { listObjectVersions } from '../operations/list-object-versions.js';
import { listObjectsV2 } from '../operations/list-objects-v2.js';
import { listObjects } from '../operations/list-objects.js';
import { listParts } from '../operations/list-parts.js';
import { getObjectAcl, putObjectAcl } from '../operations/object-acl.js';
import { optionsPreflight } from '../operations/options-preflight.js';
import { postBucketLogging } from '../operations/post-bucket-logging.js';
import { putBucketAccelerateConfiguration } from '../operations/put-bucket-accelerate-configuration.js';
import { putBucketCors } from '../operations/put-bucket-cors.js';
import { putBucketEncryption } from '../operations/put-bucket-encryption.js';
import { putBucketLifecycleConfiguration } from '../operations/put-bucket-lifecycle-configuration.js';
import { putBucketLogging } from '../operations/put-bucket-logging.js';
import { putBucketNotificationConfiguration } from '../operations/put-bucket-notification-configuration.js';
import { putBucketOwnershipControls } from '../operations/put-bucket-ownership-controls.js';
import { putBucketPolicy } from '../operations/put-bucket-policy.js';
import { putBucketRequestPayment } from '../operations/put-bucket-request-payment.js';
import { putBucketTagging } from '../operations/put-bucket-tagging.js';
import { putBucketWebsite } from '../operations/put-bucket-website.js';
import { putObject } from '../operations/put-object.js';
import { putPublicAccessBlock } from '../operations/put-public-access-block.js';
import { uploadPartCopy } from '../operations/upload-part-copy.js';
import { uploadPart } from '../operations/upload-part.js';
import type { OperationRow } from '../kit/handler.js';

/**
 * Every S3 operation the resolver can name, with every fact about it (see OperationRow). Adding
 * an operation means a row here, a handler file in operations/ and a test file.
 */
export const operationTable = {
  ListBuckets: { log: 'REST.GET.SERVICE', action: 's3:ListAllMyBuckets', handler: listBuckets },
  CreateBucket: {
    log: 'REST.PUT.BUCKET',
    action: 's3:CreateBucket',
    aclHeaderAction: 's3:PutBucketAcl',
    handler: createBucket,
  },
  DeleteBucket: { log: 'REST.DELETE.BUCKET', action: 's3:DeleteBucket', needs: 'bucket', handler: deleteBucket },
  HeadBucket: {
    log: 'REST.HEAD.BUCKET',
    action: 's3:ListBucket',
    needs: 'bucket',
    acl: 'bucket:READ',
    handler: headBucket,
  },
  GetBucketLocation: {
    log: 'REST.GET.LOCATION',
    action: 's3:GetBucketLocation',
    needs: 'bucket',
    handler: getBucketLocation,
  },
  ListObjects: {
    log: 'REST.GET.BUCKET',
    action: 's3:ListBucket',
    needs: 'bucket',
    acl: 'bucket:READ',
    handler: listObjects,
  },
  ListObjectsV2: {
    log: 'REST.GET.BUCKET',
    action: 's3:ListBucket',
    needs: 'bucket',
    acl: 'bucket:READ',
    handler: listObjectsV2,
  },
  ListObjectVersions: {
    log: 'REST.GET.BUCKETVERSIONS',
    action: 's3:ListBucketVersions',
    needs: 'bucket',
    acl: 'bucket:READ',
    handler: listObjectVersions,
  },
  ListMultipartUploads: {
    log: 'REST.GET.UPLOADS',
    action: 's3:ListBucketMultipartUploads',
    needs: 'bucket',
    acl: 'bucket:READ',
    handler: listMultipartUploads,
  },
  GetBucketLogging: {
    log: 'REST.GET.LOGGING_STATUS',
    action: 's3:GetBucketLogging',
    needs: 'bucket',
    handler: getBucketLogging,
  },
  PutBucketLogging: {
    log: 'REST.PUT.LOGGING_STATUS',
    action: 's3:PutBucketLogging',
    needs: 'bucket',
    handler: putBucketLogging,
  },
  PostBucketLogging: {
    log: 'REST.POST.LOGGING_STATUS',
    action: 's3:PutBucketLogging',
    needs: 'bucket',
    handler: postBucketLogging,
  },
  GetBucketPolicy: {
    log: 'REST.GET.BUCKETPOLICY',
    action: 's3:GetBucketPolicy',
    needs: 'bucket',
    handler: getBucketPolicy,
  },
  PutBucketPolicy: {
    log: 'REST.PUT.BUCKETPOLICY',
    action: 's3:PutBucketPolicy',
    needs: 'bucket',
    handler: putBucketPolicy,
  },
  DeleteBucketPolicy: {
    log: 'REST.DELETE.BUCKETPOLICY',
    action: 's3:DeleteBucketPolicy',
    needs: 'bucket',
    handler: deleteBucketPolicy,
  },
  GetBucketPolicyStatus: {
    log: 'REST.GET.POLICY_STATUS',
    action: 's3:GetBucketPolicyStatus',
    needs: 'bucket',
    handler: getBucketPolicyStatus,
  },
  GetPublicAccessBlock: {
    log: 'REST.GET.PUBLIC_ACCESS_BLOCK',
    action: 's3:GetBucketPublicAccessBlock',
    needs: 'bucket',
    handler: getPublicAccessBlock,
  },
  PutPublicAccessBlock: {
    log: 'REST.PUT.PUBLIC_ACCESS_BLOCK',
    action: 's3:PutBucketPublicAccessBlock',
    needs: 'bucket',
    handler: putPublicAccessBlock,
  },
  DeletePublicAccessBlock: {
    log: 'REST.DELETE.PUBLIC_ACCESS_BLOCK',
    action: 's3:PutBucketPublicAccessBlock',
    needs: 'bucket',
    handler: deletePublicAccessBlock,
  },
  GetBucketAcl: {
    log: 'REST.GET.ACL',
    action: 's3:GetBucketAcl',
    needs: 'bucket',
    acl: 'bucket:READ_ACP',
    handler: getBucketAcl,
  },
  PutBucketAcl: {
    log: 'REST.PUT.ACL',
    action: 's3:PutBucketAcl',
    needs: 'bucket',
    acl: 'bucket:WRITE_ACP',
    handler: putBucketAcl,
  },
  GetBucketTagging: {
    log: 'REST.GET.TAGGING',
    action: 's3:GetBucketTagging',
    needs: 'bucket',
    handler: getBucketTagging,
  },
  PutBucketTagging: {
    log: 'REST.PUT.TAGGING',
    action: 's3:PutBucketTagging',
    needs: 'bucket',
    handler: putBucketTagging,
  },
  DeleteBucketTagging: {
    log: 'REST.DELETE.TAGGING',
    action: 's3:PutBucketTagging',
    needs: 'bucket',
    handler: deleteBucketTagging,
  },
  GetBucketVersioning: {
    log: 'REST.GET.VERSIONING',
    action: 's3:GetBucketVersioning',
    needs: 'bucket',
    handler: getBucketVersioning,
  },
  PutBucketVersioning: {
    log: 'REST.PUT.VERSIONING',
    action: 's3:PutBucketVersioning',
    needs: 'bucket',
    handler: putBucketVersioning,
  },
  GetBucketCors: { log: 'REST.GET.CORS', action: 's3:GetBucketCORS', needs: 'bucket', handler: getBucketCors },
  PutBucketCors: { log: 'REST.PUT.CORS', action: 's3:PutBucketCORS', needs: 'bucket', handler: putBucketCors },
  DeleteBucketCors: { log: 'REST.DELETE.CORS', action: 's3:PutBucketCORS', needs: 'bucket', handler: deleteBucketCors },
  GetBucketLifecycleConfiguration: {
    log: 'REST.GET.LIFECYCLE',
    action: 's3:GetLifecycleConfiguration',
    needs: 'bucket',
    handler: getBucketLifecycleConfiguration,
  },
  PutBucketLifecycleConfiguration: {
    log: 'REST.PUT.LIFECYCLE',
    action: 's3:PutLifecycleConfiguration',
    needs: 'bucket',
    handler: putBucketLifecycleConfiguration,
  },
  DeleteBucketLifecycle: {
    log: 'REST.DELETE.LIFECYCLE',
    action: 's3:PutLifecycleConfiguration',
    needs: 'bucket',
    handler: deleteBucketLifecycle,
  },
  GetBucketEncryption: {
    log: 'REST.GET.ENCRYPTION',
    action: 's3:GetEncryptionConfiguration',
    needs: 'bucket',
    handler: getBucketEncryption,
  },
  PutBucketEncryption: {
    log: 'REST.PUT.ENCRYPTION',
    action: 's3:PutEncryptionConfiguration',
    needs: 'bucket',
    handler: putBucketEncryption,
  },
  DeleteBucketEncryption: {
    log: 'REST.DELETE.ENCRYPTION',
    action: 's3:PutEncryptionConfiguration',
    needs: 'bucket',
    handler: deleteBucketEncryption,
  },
  GetBucketWebsite: {
    log: 'REST.GET.WEBSITE',
    action: 's3:GetBucketWebsite',
    needs: 'bucket',
    handler: getBucketWebsite,
  },
  PutBucketWebsite: {
    log: 'REST.PUT.WEBSITE',
    action: 's3:PutBucketWebsite',
    needs: 'bucket',
    handler: putBucketWebsite,
  },
  DeleteBucketWebsite: {
    log: 'REST.DELETE.WEBSITE',
    action: 's3:DeleteBucketWebsite',
    needs: 'bucket',
    handler: deleteBucketWebsite,
  },
  GetBucketNotificationConfiguration: {
    log: 'REST.GET.NOTIFICATION',
    action: 's3:GetBucketNotification',
    needs: 'bucket',
    handler: getBucketNotificationConfiguration,
  },
  PutBucketNotificationConfiguration: {
    log: 'REST.PUT.NOTIFICATION',
    action: 's3:PutBucketNotification',
    needs: 'bucket',
    handler: putBucketNotificationConfiguration,
  },
  GetBucketReplication: {
    log: 'REST.GET.REPLICATION',
    action: 's3:GetReplicationConfiguration',
    needs: 'bucket',
    handler: getBucketReplication,
  },
  PutBucketReplication: { log: 'REST.PUT.REPLICATION', action: 's3:PutReplicationConfiguration', needs: 'bucket' },
  DeleteBucketReplication: {
    log: 'REST.DELETE.REPLICATION',
    action: 's3:PutReplicationConfiguration',
    needs: 'bucket',
  },
  GetBucketRequestPayment: {
    log: 'REST.GET.REQUEST_PAYMENT',
    action: 's3:GetBucketRequestPayment',
    needs: 'bucket',
    handler: getBucketRequestPayment,
  },
  PutBucketRequestPayment: {
    log: 'REST.PUT.REQUEST_PAYMENT',
    action: 's3:PutBucketRequestPayment',
    needs: 'bucket',
    handler: putBucketRequestPayment,
  },
  GetBucketAccelerateConfiguration: {
    log: 'REST.GET.ACCELERATE',
    action: 's3:GetAccelerateConfiguration',
    needs: 'bucket',
    handler: getBucketAccelerateConfiguration,
  },
  PutBucketAccelerateConfiguration: {
    log: 'REST.PUT.ACCELERATE',
    action: 's3:PutAccelerateConfiguration',
    needs: 'bucket',
    handler: putBucketAccelerateConfiguration,
  },
  GetBucketOwnershipControls: {
    log: 'REST.GET.OWNERSHIP_CONTROLS',
    action: 's3:GetBucketOwnershipControls',
    needs: 'bucket',
    handler: getBucketOwnershipControls,
  },
  PutBucketOwnershipControls: {
    log: 'REST.PUT.OWNERSHIP_CONTROLS',
    action: 's3:PutBucketOwnershipControls',
    needs: 'bucket',
    handler: putBucketOwnershipControls,
  },
  DeleteBucketOwnershipControls: {
    log: 'REST.DELETE.OWNERSHIP_CONTROLS',
    action: 's3:PutBucketOwnershipControls',
    needs: 'bucket',
    handler: deleteBucketOwnershipControls,
  },
  // REST.GET.OBJECT_LOCK_CONFIGURATION is the name AWS itself emits: CloudTrail filters in public
  // repositories (code search) list it as an S3 eventName to ignore. The PUT is named by symmetry.
  GetObjectLockConfiguration: {
    log: 'REST.GET.OBJECT_LOCK_CONFIGURATION',
    action: 's3:GetBucketObjectLockConfiguration',
    needs: 'bucket',
    handler: getObjectLockConfiguration,
  },
  PutObjectLockConfiguration: {
    log: 'REST.PUT.OBJECT_LOCK_CONFIGURATION',
    action: 's3:PutBucketObjectLockConfiguration',
    needs: 'bucket',
    handler: putObjectLockConfiguration,
  },
  GetBucketAnalyticsConfiguration: {
    log: 'REST.GET.ANALYTICS',
    action: 's3:GetAnalyticsConfiguration',
    needs: 'bucket',
  },
  GetBucketMetricsConfiguration: { log: 'REST.GET.METRICS', action: 's3:GetMetricsConfiguration', needs: 'bucket' },
  GetBucketInventoryConfiguration: {
    log: 'REST.GET.INVENTORY',
    action: 's3:GetInventoryConfiguration',
    needs: 'bucket',
  },
  GetBucketIntelligentTieringConfiguration: {
    log: 'REST.GET.INTELLIGENT_TIERING',
    action: 's3:GetIntelligentTieringConfiguration',
    needs: 'bucket',
  },
  PostObject: {
    log: 'REST.POST.OBJECT',
    action: 's3:PutObject',
    needs: 'bucket',
    acl: 'bucket:WRITE',
    aclHeaderAction: 's3:PutObjectAcl',
    // The key is in the form: the handler authorizes once it has read it.
    authorizedPerKey: true,
    handler: postObject,
  },
  DeleteObjects: {
    log: 'REST.POST.MULTI_OBJECT_DELETE',
    action: 's3:DeleteObject',
    needs: 'bucket',
    acl: 'bucket:WRITE',
    extraLog: 'BATCH.DELETE.OBJECT',
    authorizedPerKey: true,
    handler: deleteObjects,
  },
  GetObject: {
    log: 'REST.GET.OBJECT',
    action: 's3:GetObject',
    needs: 'bucket',
    acl: 'object:READ',
    handler: getObject,
  },
  HeadObject: {
    log: 'REST.HEAD.OBJECT',
    action: 's3:GetObject',
    needs: 'bucket',
    acl: 'object:READ',
    handler: headObject,
  },
  PutObject: {
    log: 'REST.PUT.OBJECT',
    action: 's3:PutObject',
    needs: 'bucket',
    acl: 'bucket:WRITE',
    aclHeaderAction: 's3:PutObjectAcl',
    handler: putObject,
  },
  CopyObject: {
    log: 'REST.COPY.OBJECT',
    action: 's3:PutObject',
    needs: 'bucket',
    acl: 'bucket:WRITE',
    extraLog: 'REST.COPY.OBJECT_GET',
    aclHeaderAction: 's3:PutObjectAcl',
    handler: copyObject,
  },
  DeleteObject: {
    log: 'REST.DELETE.OBJECT',
    action: 's3:DeleteObject',
    needs: 'bucket',
    acl: 'bucket:WRITE',
    handler: deleteObject,
  },
  GetObjectAcl: {
    log: 'REST.GET.ACL',
    action: 's3:GetObjectAcl',
    needs: 'object',
    acl: 'object:READ_ACP',
    handler: getObjectAcl,
  },
  PutObjectAcl: {
    log: 'REST.PUT.ACL',
    action: 's3:PutObjectAcl',
    needs: 'object',
    acl: 'object:WRITE_ACP',
    handler: putObjectAcl,
  },
  OptionsPreflight: { log: 'REST.OPTIONS.PREFLIGHT', handler: optionsPreflight },
  GetObjectTagging: {
    log: 'REST.GET.OBJECT_TAGGING',
    action: 's3:GetObjectTagging',
    needs: 'object',
    handler: getObjectTagging,
  },
  PutObjectTagging: {
    log: 'REST.PUT.OBJECT_TAGGING',
    action: 's3:PutObjectTagging',
    needs: 'object',
    handler: putObjectTagging,
  },
  DeleteObjectTagging: {
    log: 'REST.DELETE.OBJECT_TAGGING',
    action: 's3:DeleteObjectTagging',
    needs: 'object',
    handler: deleteObjectTagging,
  },
  GetObjectAttributes: {
    log: 'REST.GET.OBJECT_ATTRIBUTES',
    action: 's3:GetObjectAttributes',
    needs: 'object',
    handler: getObjectAttributes,
  },
  // REST.PUT.RETENTION and REST.PUT.LEGAL_HOLD: Ceph's bucket-logging operation table, which follows
  // AWS's names (ceph/ceph doc/radosgw/bucket_logging.rst; ceph/s3-tests
  // test_bucket_logging_object_meta asserts them). The GETs are named by symmetry.
  GetObjectRetention: {
    log: 'REST.GET.RETENTION',
    action: 's3:GetObjectRetention',
    needs: 'object',
    handler: getObjectRetention,
  },
  PutObjectRetention: {
    log: 'REST.PUT.RETENTION',
    action: 's3:PutObjectRetention',
    needs: 'object',
    handler: putObjectRetention,
  },
  GetObjectLegalHold: {
    log: 'REST.GET.LEGAL_HOLD',
    action: 's3:GetObjectLegalHold',
    needs: 'object',
    handler: getObjectLegalHold,
  },
  PutObjectLegalHold: {
    log: 'REST.PUT.LEGAL_HOLD',
    action: 's3:PutObjectLegalHold',
    needs: 'object',
    handler: putObjectLegalHold,
  },
  GetObjectTorrent: { log: 'REST.GET.TORRENT', action: 's3:GetObjectTorrent', needs: 'object', acl: 'object:READ' },
  RestoreObject: { log: 'REST.POST.RESTORE', action: 's3:RestoreObject', needs: 'object' },
  SelectObjectContent: { log: 'REST.POST.SELECT', action: 's3:GetObject', needs: 'object' },
  CreateMultipartUpload: {
    log: 'REST.POST.UPLOADS',
    action: 's3:PutObject',
    needs: 'bucket',
    acl: 'bucket:WRITE',
    aclHeaderAction: 's3:PutObjectAcl',
    handler: createMultipartUpload,
  },
  UploadPart: {
    log: 'REST.PUT.PART',
    action: 's3:PutObject',
    needs: 'upload',
    acl: 'bucket:WRITE',
    handler: uploadPart,
  },
  UploadPartCopy: {
    log: 'REST.COPY.PART',
    action: 's3:PutObject',
    needs: 'upload',
    acl: 'bucket:WRITE',
    extraLog: 'REST.COPY.PART_GET',
    handler: uploadPartCopy,
  },
  CompleteMultipartUpload: {
    log: 'REST.POST.UPLOAD',
    action: 's3:PutObject',
    needs: 'bucket',
    acl: 'bucket:WRITE',
    handler: completeMultipartUpload,
  },
  AbortMultipartUpload: {
    log: 'REST.DELETE.UPLOAD',
    action: 's3:AbortMultipartUpload',
    needs: 'upload',
    acl: 'bucket:WRITE',
    handler: abortMultipartUpload,
  },
  ListParts: {
    log: 'REST.GET.UPLOAD',
    action: 's3:ListMultipartUploadParts',
    needs: 'upload',
    acl: 'bucket:WRITE',
    handler: listParts,
  },
} satisfies Record<string, OperationRow>;

export type OperationName = keyof typeof operationTable;

/** The row of an operation; typed wide so optional facts read as optional. */
export const rowOf = (name: OperationName): OperationRow => operationTable[name];

/** Log name for a request no row matches (an unsupported method on a bucket or object). */
export const unmatchedLogName = (method: string, key: string | undefined): string =>
  `REST.${method}.${key === undefined ? 'BUCKET' : 'OBJECT'}`;
