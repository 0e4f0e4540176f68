// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
import { listingParams } from '../protocol/listing-params.js';
import { isoDate } from '../kit/bucket-access.js';
import type { Handler } from '../kit/handler.js';
import { ownerXml } from '../xml/shapes/owner.js';
import { xmlResponse } from '../xml/shapes/response.js';
import { compareUtf8 } from '../../storage/utf8-order.js';

export const listMultipartUploads: Handler = async (req) => {
  const q = req.query;
  const { prefix, delimiter, maxKeys: maxUploads, encoding, encode } = listingParams(q, 'max-uploads');
  const keyMarker = q.get('key-marker') ?? '';
  const uploadIdMarker = q.get('upload-id-marker') ?? '';
  const uploads = (await req.services.storage.listMultipartUploads(req.bucket!))
    .filter((u) => u.key.startsWith(prefix))
    .sort((a, b) => compareUtf8(a.key, b.key) || a.initiated - b.initiated || (a.uploadId < b.uploadId ? -1 : 1))
    .filter(
      (u) =>
        !keyMarker ||
        compareUtf8(u.key, keyMarker) > 0 ||
        (u.key === keyMarker && uploadIdMarker !== '' && u.uploadId > uploadIdMarker),
    );
  const entries: typeof uploads = [];
  const prefixes: string[] = [];
  let truncated = false;
  for (const u of uploads) {
    const cut = delimiter ? u.key.indexOf(delimiter, prefix.length) : -1;
    const common = cut >= 0 ? u.key.slice(0, cut + delimiter!.length) : undefined;
    if (common && prefixes.includes(common)) continue;
    if (entries.length + prefixes.length >= maxUploads) {
      truncated = true;
      break;
    }
    if (common) prefixes.push(common);
    else entries.push(u);
  }
  const last = entries[entries.length - 1];
  return xmlResponse('ListMultipartUploadsResult', {
    Bucket: req.bucket,
    KeyMarker: encode(keyMarker),
    UploadIdMarker: uploadIdMarker,
    NextKeyMarker: truncated && last ? encode(last.key) : undefined,
    NextUploadIdMarker: truncated && last ? last.uploadId : undefined,
    Delimiter: encode(delimiter),
    Prefix: encode(prefix),
    MaxUploads: maxUploads,
    IsTruncated: truncated,
    EncodingType: encoding,
    Upload: entries.map((u) => ({
      Key: encode(u.key),
      UploadId: u.uploadId,
      Initiator: ownerXml(u.object.owner),
      Owner: ownerXml(u.object.owner),
      StorageClass: u.object.storageClass ?? 'STANDARD',
      Initiated: isoDate(u.initiated),
      ChecksumAlgorithm: u.checksumAlgorithm,
      ChecksumType: u.object.checksumType,
    })),
    CommonPrefixes: prefixes.map((p) => ({ Prefix: encode(p) })),
  });
};
