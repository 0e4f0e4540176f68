import { errorTable, type S3ErrorCode } from './table.js';

/** Extra elements rendered into the XML error body after Code and Message (e.g. Key, BucketName). */
export type S3ErrorDetails = Record<string, string | number | undefined>;

export class S3Error extends Error {
  readonly code: S3ErrorCode;
  readonly status: number;
  readonly details: S3ErrorDetails;
  /** Response headers that belong to this error (e.g. x-amz-delete-marker, Last-Modified on 304). */
  readonly headers: Record<string, string>;

  constructor(code: S3ErrorCode, details: S3ErrorDetails = {}, message?: string, headers: Record<string, string> = {}) {
    const [status, defaultMessage] = errorTable[code];
    super(message ?? defaultMessage);
    this.code = code;
    this.status = status;
    this.details = details;
    this.headers = headers;
  }
}

export const isS3Error = (err: unknown): err is S3Error => err instanceof S3Error;
