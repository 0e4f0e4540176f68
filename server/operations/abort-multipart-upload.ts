// https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
import type { Handler } from '../s3/handler.js';
import { requireUpload } from './upload-part.js';

export const abortMultipartUpload: Handler = async (req) => {
  const upload = await requireUpload(req);
  await req.services.storage.abortMultipartUpload(req.bucket!, upload.uploadId);
  return { status: 204 };
};
