import { S3Error } from '../../errors/s3-error.js';

/** partNumber query values: integers 1..10000. */
export function parsePartNumber(value: string | null): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 10000) {
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'partNumber', ArgumentValue: value },
      'Part number must be an integer between 1 and 10000, inclusive',
    );
  }
  return n;
}
