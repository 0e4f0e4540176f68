// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html
import type { Handler } from '../kit/handler.js';
import { readXmlDocument } from '../protocol/xml-document.js';
import { publicAccessBlockFrom } from '../xml/shapes/public-access-block.js';

export const putPublicAccessBlock: Handler = async (req) => {
  const { root, body } = await readXmlDocument(req);
  await req.services.storage.putBucketConfig(req.bucket!, 'publicAccessBlock', publicAccessBlockFrom(root, body));
  return { status: 200 };
};
