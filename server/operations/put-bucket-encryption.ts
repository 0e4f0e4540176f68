// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html
import type { Handler } from '../kit/handler.js';
import { readXmlDocument } from '../protocol/xml-document.js';
import { encryptionFrom } from '../xml/shapes/encryption.js';

/** Stored and echoed: objects are not encrypted at rest, nor do their responses say they are. */
export const putBucketEncryption: Handler = async (req) => {
  const { root, body } = await readXmlDocument(req);
  await req.services.storage.putBucketConfig(req.bucket!, 'encryption', encryptionFrom(root, body));
  return { status: 200 };
};
