// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
import { listingParams } from '../protocol/listing-params.js';

import type { Handler } from '../kit/handler.js';
import { commonPrefixesXml, contentsXml } from '../xml/shapes/listing.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const listObjects: Handler = async (req) => {
  const q = req.query;
  const { prefix, delimiter, maxKeys, encoding, encode } = listingParams(q);
  const marker = q.get('marker') ?? '';
  const page = await req.services.storage.listObjects(req.bucket!, {
    prefix,
    delimiter,
    after: marker || undefined,
    maxKeys,
  });
  return xmlResponse('ListBucketResult', {
    Name: req.bucket,
    // ListObjects v1 encodes Delimiter, Marker, NextMarker, Key and CommonPrefixes, not Prefix.
    Prefix: prefix,
    Marker: encode(marker),
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter),
    IsTruncated: page.isTruncated,
    // S3 returns NextMarker only with a delimiter; without one the last key is the marker.
    NextMarker: page.isTruncated && delimiter ? encode(page.lastReturned) : undefined,
    EncodingType: encoding,
    Contents: page.contents.map((o) => contentsXml(o, (s) => encode(s), true)),
    CommonPrefixes: commonPrefixesXml(page.commonPrefixes, (s) => encode(s)),
  });
};
