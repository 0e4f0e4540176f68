// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
import { S3Error } from '../../errors/s3-error.js';
import { parsePartNumber } from '../protocol/part-number.js';
import { isoDate } from '../kit/bucket-access.js';
import { header, type Handler } from '../kit/handler.js';
import { xmlResponse } from '../xml/shapes/response.js';
import type { ByteRange } from '../../storage/storage.js';
import { openCopySource } from '../kit/copy-source.js';

/** x-amz-copy-source-range must be `bytes=first-last` inside the source object. */
function copyRange(value: string | undefined, size: number): ByteRange | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(value);
  if (!m)
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: value },
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
    );
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start || end >= size) throw new S3Error('InvalidRange', { RangeRequested: value, ActualObjectSize: size });
  return { start, end };
}

export const uploadPartCopy: Handler = async (req) => {
  const partNumber = parsePartNumber(req.query.get('partNumber'))!;
  const upload = req.upload!;
  const { opened } = await openCopySource(req);
  try {
    const range = copyRange(header(req, 'x-amz-copy-source-range'), opened.meta.size);
    const length = range ? range.end - range.start + 1 : opened.meta.size;
    const algorithms = upload.checksumAlgorithm ? [upload.checksumAlgorithm] : [];
    const part = await req.services.storage.putPart(req.bucket!, upload.uploadId, partNumber, opened.body(range), {
      contentLength: length,
      checksumAlgorithms: algorithms,
    });
    req.ctx.objectSize = part.size;
    const checksums = Object.fromEntries(Object.entries(part.checksums).map(([a, v]) => [`Checksum${a}`, v]));
    return xmlResponse('CopyPartResult', {
      ETag: `"${part.etag}"`,
      LastModified: isoDate(part.lastModified),
      ...checksums,
    });
  } catch (err) {
    await opened.close();
    throw err;
  }
};
