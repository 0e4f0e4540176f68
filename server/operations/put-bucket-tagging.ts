// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketTagging.html
import type { Handler } from '../kit/handler.js';
import { readXmlDocument } from '../protocol/xml-document.js';
import { tagSetFrom } from '../xml/shapes/tagging.js';

export const putBucketTagging: Handler = async (req) => {
  const { root, body } = await readXmlDocument(req);
  const tags = tagSetFrom(root, body);
  // An empty TagSet leaves the bucket without tags, as DeleteBucketTagging does.
  await req.services.storage.putBucketConfig(req.bucket!, 'tagging', tags.length ? tags : undefined);
  return { status: 204 };
};
