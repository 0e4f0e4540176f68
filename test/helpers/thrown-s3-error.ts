import { S3Error } from '../../errors/s3-error.js';

/** The S3Error a synchronous call throws; fails the test if it throws nothing or something else. */
export function thrownS3Error(fn: () => unknown): S3Error {
  try {
    fn();
  } catch (err) {
    if (err instanceof S3Error) return err;
    throw err;
  }
  throw new Error('expected an S3Error');
}
