// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
import { isoDate, ownerOf } from '../kit/bucket-access.js';
import type { Handler } from '../kit/handler.js';
import { ownerXml } from '../xml/shapes/owner.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const listBuckets: Handler = async (req) => {
  const owner = ownerOf(req.identity);
  const buckets = (await req.services.storage.listBuckets()).filter((b) => b.owner.id === owner.id);
  return xmlResponse('ListAllMyBucketsResult', {
    Buckets: {
      Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: isoDate(b.created), BucketRegion: b.region })),
    },
    Owner: ownerXml(owner),
  });
};
