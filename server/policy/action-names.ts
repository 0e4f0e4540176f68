/**
 * IAM action checked for each S3 operation, where it is not simply `s3:<OperationName>`.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
const ACTIONS: Record<string, string> = {
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  HeadBucket: 's3:ListBucket',
  HeadObject: 's3:GetObject',
  CopyObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  UploadPartCopy: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  ListParts: 's3:ListMultipartUploadParts',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  DeleteObjects: 's3:DeleteObject',
  ListObjectVersions: 's3:ListBucketVersions',
  GetBucketLogging: 's3:GetBucketLogging',
  PutBucketLogging: 's3:PutBucketLogging',
  ListBuckets: 's3:ListAllMyBuckets',
};

export const iamActionOf = (operation: string): string => ACTIONS[operation] ?? `s3:${operation}`;

export const resourceArn = (bucket: string, key?: string): string =>
  key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
