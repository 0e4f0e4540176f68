// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html

import type { Handler } from '../kit/handler.js';

/** Deleting a key that does not exist succeeds too: S3 answers 204 either way. */
export const deleteObject: Handler = async (req) => {
  await req.services.storage.deleteObject(req.bucket!, req.key!);
  return { status: 204 };
};
