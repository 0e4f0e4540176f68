import { uriEncode } from '../../common/uri-encode.js';
import { S3Error } from '../../errors/s3-error.js';

/** max-keys / max-uploads / max-parts: a non-negative integer, capped at 1000 as S3 does. */
export function parseMaxKeys(value: string | null, name = 'max-keys'): number {
  if (value === null || value === '') return 1000;
  if (!/^-?\d+$/.test(value))
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: name, ArgumentValue: value },
      'Provided max-keys not an integer or within integer range',
    );
  const n = Number(value);
  if (n < 0 || n > 2147483647)
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: name, ArgumentValue: value },
      'Argument maxKeys must be an integer between 0 and 2147483647',
    );
  return Math.min(n, 1000);
}

export function parseEncodingType(value: string | null): 'url' | undefined {
  if (value === null) return undefined;
  if (value.toLowerCase() !== 'url')
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'encoding-type', ArgumentValue: value },
      'Invalid Encoding Method specified in Request',
    );
  return 'url';
}

export const encodeIf =
  (encoding: 'url' | undefined) =>
  (s: string | undefined): string | undefined =>
    s === undefined || encoding === undefined ? s : uriEncode(s);

/** The query parameters every listing shares. */
export interface ListingParams {
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  encoding?: 'url';
  encode: (s: string | undefined) => string | undefined;
}

export function listingParams(q: URLSearchParams, maxName = 'max-keys'): ListingParams {
  const encoding = parseEncodingType(q.get('encoding-type'));
  return {
    prefix: q.get('prefix') ?? '',
    delimiter: q.get('delimiter') || undefined,
    maxKeys: parseMaxKeys(q.get(maxName), maxName),
    encoding,
    encode: encodeIf(encoding),
  };
}
