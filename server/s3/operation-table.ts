import { postObject } from '../operations/post-object.js';
import { getObjectAttributes } from '../operations/get-object-attributes.js';
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from '../operations/object-tagging.js';
import { getBucketVersioning, putBucketVersioning } from '../operations/bucket-versioning.js';
import { abortMultipartUpload } from '../operations/abort-multipart-upload.js';
import { getBucketAcl, putBucketAcl } from '../operations/bucket-acl.js';
import {
  getBucketAccelerateConfiguration,
  getBucketCors,
  getBucketEncryption,
  getBucketLifecycleConfiguration,
  getBucketNotificationConfiguration,
  getBucketOwnershipControls,
  getBucketReplication,
  getBucketRequestPayment,
  getBucketTagging,
  getBucketWebsite,
  getObjectLockConfiguration,
  getPublicAccessBlock,
} from '../operations/bucket-config-defaults.js';
import { completeMultipartUpload } from '../operations/complete-multipart-upload.js';
import { copyObject } from '../operations/copy-object.js';
import { createBucket } from '../operations/create-bucket.js';
import { createMultipartUpload } from '../operations/create-multipart-upload.js';
import { deleteBucketPolicy } from '../operations/delete-bucket-policy.js';
import { deleteBucket } from '../operations/delete-bucket.js';
import { deleteObject } from '../operations/delete-object.js';
import { deleteObjects } from '../operations/delete-objects.js';
import { getBucketLocation } from '../operations/get-bucket-location.js';
import { getBucketLogging } from '../operations/get-bucket-logging.js';
import { getBucketPolicy } from '../operations/get-bucket-policy.js';
import { getObject } from '../operations/get-object.js';
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
import { putBucketLogging } from '../operations/put-bucket-logging.js';
import { putBucketPolicy } from '../operations/put-bucket-policy.js';
import { putObject } from '../operations/put-object.js';
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
  GetBucketPolicyStatus: { log: 'REST.GET.POLICY_STATUS', action: 's3:GetBucketPolicyStatus', needs: 'bucket' },
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
  },
  DeletePublicAccessBlock: {
    log: 'REST.DELETE.PUBLIC_ACCESS_BLOCK',
    action: 's3:PutBucketPublicAccessBlock',
    needs: 'bucket',
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
  PutBucketTagging: { log: 'REST.PUT.TAGGING', action: 's3:PutBucketTagging', needs: 'bucket' },
  DeleteBucketTagging: { log: 'REST.DELETE.TAGGING', action: 's3:PutBucketTagging', needs: 'bucket' },
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
  PutBucketCors: { log: 'REST.PUT.CORS', action: 's3:PutBucketCORS', needs: 'bucket' },
  DeleteBucketCors: { log: 'REST.DELETE.CORS', action: 's3:PutBucketCORS', needs: 'bucket' },
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
  },
  DeleteBucketLifecycle: { log: 'REST.DELETE.LIFECYCLE', action: 's3:PutLifecycleConfiguration', needs: 'bucket' },
  GetBucketEncryption: {
    log: 'REST.GET.ENCRYPTION',
    action: 's3:GetEncryptionConfiguration',
    needs: 'bucket',
    handler: getBucketEncryption,
  },
  PutBucketEncryption: { log: 'REST.PUT.ENCRYPTION', action: 's3:PutEncryptionConfiguration', needs: 'bucket' },
  DeleteBucketEncryption: { log: 'REST.DELETE.ENCRYPTION', action: 's3:PutEncryptionConfiguration', needs: 'bucket' },
  GetBucketWebsite: {
    log: 'REST.GET.WEBSITE',
    action: 's3:GetBucketWebsite',
    needs: 'bucket',
    handler: getBucketWebsite,
  },
  PutBucketWebsite: { log: 'REST.PUT.WEBSITE', action: 's3:PutBucketWebsite', needs: 'bucket' },
  DeleteBucketWebsite: { log: 'REST.DELETE.WEBSITE', action: 's3:DeleteBucketWebsite', needs: 'bucket' },
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
  PutBucketRequestPayment: { log: 'REST.PUT.REQUEST_PAYMENT', action: 's3:PutBucketRequestPayment', needs: 'bucket' },
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
  },
  DeleteBucketOwnershipControls: {
    log: 'REST.DELETE.OWNERSHIP_CONTROLS',
    action: 's3:PutBucketOwnershipControls',
    needs: 'bucket',
  },
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
  GetObjectRetention: { log: 'REST.GET.RETENTION', action: 's3:GetObjectRetention', needs: 'object' },
  PutObjectRetention: { log: 'REST.PUT.RETENTION', action: 's3:PutObjectRetention', needs: 'object' },
  GetObjectLegalHold: { log: 'REST.GET.LEGAL_HOLD', action: 's3:GetObjectLegalHold', needs: 'object' },
  PutObjectLegalHold: { log: 'REST.PUT.LEGAL_HOLD', action: 's3:PutObjectLegalHold', needs: 'object' },
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
