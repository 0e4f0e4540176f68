// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html
import type { Handler } from '../kit/handler.js';
import { readXmlDocument } from '../protocol/xml-document.js';
import { corsRulesFrom } from '../xml/shapes/cors.js';

export const putBucketCors: Handler = async (req) => {
  const { root, body } = await readXmlDocument(req);
  await req.services.storage.putBucketConfig(req.bucket!, 'cors', corsRulesFrom(root, body));
  return { status: 200 };
};
