// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html
import { S3Error } from '../../errors/s3-error.js';
import { header, type Handler } from '../kit/handler.js';
import { versionHeader } from '../kit/versions.js';
import { xmlResponse } from '../xml/shapes/response.js';

const ATTRIBUTES = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);

function intHeader(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new S3Error('InvalidArgument', { ArgumentName: name, ArgumentValue: value });
  }
  return n;
}

/** The attributes named in `x-amz-object-attributes`, from the object's stored metadata (no body read). */
export const getObjectAttributes: Handler = async (req) => {
  const meta = req.object!;
  const wanted = (header(req, 'x-amz-object-attributes') ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (wanted.length === 0) {
    throw new S3Error('InvalidArgument', {}, 'Object attributes must be specified: x-amz-object-attributes');
  }
  for (const a of wanted) {
    if (!ATTRIBUTES.has(a))
      throw new S3Error(
        'InvalidArgument',
        { ArgumentName: 'x-amz-object-attributes', ArgumentValue: a },
        'Invalid attribute name specified.',
      );
  }
  const want = new Set(wanted);
  const checksums = Object.entries(meta.checksums);
  const body: Record<string, unknown> = {};
  if (want.has('ETag')) body.ETag = meta.etag; // unquoted, unlike the ETag header
  if (want.has('Checksum') && checksums.length > 0) {
    body.Checksum = {
      ...Object.fromEntries(checksums.map(([a, v]) => [`Checksum${a}`, v])),
      ChecksumType: meta.checksumType,
    };
  }
  if (want.has('ObjectParts') && meta.parts) {
    const maxParts = intHeader(header(req, 'x-amz-max-parts'), 'x-amz-max-parts', 1000);
    const marker = intHeader(header(req, 'x-amz-part-number-marker'), 'x-amz-part-number-marker', 0);
    const all = meta.parts.map((size, i) => ({ PartNumber: i + 1, Size: size })).filter((p) => p.PartNumber > marker);
    const page = all.slice(0, maxParts);
    body.ObjectParts = {
      PartsCount: meta.parts.length,
      PartNumberMarker: marker,
      NextPartNumberMarker: page.length ? page[page.length - 1]!.PartNumber : undefined,
      MaxParts: maxParts,
      IsTruncated: all.length > page.length,
      Part: page,
    };
  }
  if (want.has('StorageClass')) body.StorageClass = meta.storageClass;
  if (want.has('ObjectSize')) body.ObjectSize = meta.size;
  return xmlResponse('GetObjectAttributesResponse', body as never, {
    'Last-Modified': new Date(meta.lastModified).toUTCString(),
    ...versionHeader(meta),
  });
};
