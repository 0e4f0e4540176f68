// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
import { S3Error } from '../../errors/s3-error.js';
import { parseMaxKeys } from '../protocol/listing-params.js';
import { isoDate } from '../kit/bucket-access.js';
import type { Handler } from '../kit/handler.js';
import { ownerXml } from '../xml/shapes/owner.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const listParts: Handler = async (req) => {
  const upload = req.upload!;
  const maxParts = parseMaxKeys(req.query.get('max-parts'), 'max-parts');
  const markerText = req.query.get('part-number-marker') ?? '0';
  const marker = Number(markerText);
  if (!Number.isInteger(marker) || marker < 0)
    throw new S3Error('InvalidArgument', { ArgumentName: 'part-number-marker', ArgumentValue: markerText });
  const all = (await req.services.storage.listParts(req.bucket!, upload.uploadId)).filter((p) => p.partNumber > marker);
  const page = all.slice(0, maxParts);
  const truncated = all.length > page.length;
  const owner = ownerXml(upload.object.owner);
  return xmlResponse('ListPartsResult', {
    Bucket: req.bucket,
    Key: upload.key,
    UploadId: upload.uploadId,
    Initiator: owner,
    Owner: owner,
    StorageClass: upload.object.storageClass ?? 'STANDARD',
    PartNumberMarker: marker,
    NextPartNumberMarker: page.length ? page[page.length - 1]!.partNumber : undefined,
    MaxParts: maxParts,
    IsTruncated: truncated,
    ChecksumAlgorithm: upload.checksumAlgorithm,
    ChecksumType: upload.object.checksumType,
    Part: page.map((p) => ({
      PartNumber: p.partNumber,
      LastModified: isoDate(p.lastModified),
      ETag: `"${p.etag}"`,
      Size: p.size,
      ...Object.fromEntries(Object.entries(p.checksums).map(([a, v]) => [`Checksum${a}`, v])),
    })),
  });
};
