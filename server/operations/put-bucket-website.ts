// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketWebsite.html
import type { Handler } from '../kit/handler.js';
import { readXmlDocument } from '../protocol/xml-document.js';
import { websiteFrom } from '../xml/shapes/website.js';

/** Stored and echoed only: s3scribe has no website endpoint (no WEBSITE.GET.OBJECT records). */
export const putBucketWebsite: Handler = async (req) => {
  const { root, body } = await readXmlDocument(req);
  await req.services.storage.putBucketConfig(req.bucket!, 'website', websiteFrom(root, body));
  return { status: 200 };
};
