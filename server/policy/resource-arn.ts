/** The ARN a policy's Resource matches for a bucket, or for an object in it. */
export const resourceArn = (bucket: string, key?: string): string =>
  key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
