// https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
import type { Handler } from '../kit/handler.js';

export const abortMultipartUpload: Handler = async (req) => {
  const upload = req.upload!;
  await req.services.storage.abortMultipartUpload(req.bucket!, upload.uploadId);
  return { status: 204 };
};
