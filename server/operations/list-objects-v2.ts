// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
import { S3Error } from '../../errors/s3-error.js';
import { listingParams } from '../protocol/listing-params.js';

import type { Handler } from '../kit/handler.js';
import { commonPrefixesXml, contentsXml } from '../xml/shapes/listing.js';
import { xmlResponse } from '../xml/shapes/response.js';

// Continuation tokens are opaque to clients: the last key or prefix returned, base64url-encoded.
const toToken = (after: string): string => Buffer.from(`v1:${after}`).toString('base64url');

function fromToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith('v1:'))
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'continuation-token' },
      'The continuation token provided is incorrect',
    );
  return text.slice(3);
}

export const listObjectsV2: Handler = async (req) => {
  const q = req.query;
  const { prefix, delimiter, maxKeys, encoding, encode } = listingParams(q);
  const token = q.get('continuation-token');
  const startAfter = q.get('start-after') ?? undefined;
  // An empty token starts from the beginning and is echoed back as given.
  const after = token ? fromToken(token) : startAfter || undefined;
  const fetchOwner = q.get('fetch-owner') === 'true';
  const page = await req.services.storage.listObjects(req.bucket!, { prefix, delimiter, after, maxKeys });
  return xmlResponse('ListBucketResult', {
    Name: req.bucket,
    Prefix: encode(prefix),
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter),
    IsTruncated: page.isTruncated,
    EncodingType: encoding,
    KeyCount: page.contents.length + page.commonPrefixes.length,
    ContinuationToken: token ?? undefined,
    NextContinuationToken: page.isTruncated && page.lastReturned !== undefined ? toToken(page.lastReturned) : undefined,
    StartAfter: startAfter === undefined ? undefined : encode(startAfter),
    Contents: page.contents.map((o) => contentsXml(o, (s) => encode(s), fetchOwner)),
    CommonPrefixes: commonPrefixesXml(page.commonPrefixes, (s) => encode(s)),
  });
};
