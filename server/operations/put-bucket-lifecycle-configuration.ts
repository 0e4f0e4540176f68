// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
// Also the older PutBucketLifecycle, which S3 serves at the same `PUT /?lifecycle`.
import type { Handler } from '../kit/handler.js';
import { readXmlDocument } from '../protocol/xml-document.js';
import { lifecycleRulesFrom } from '../xml/shapes/lifecycle.js';

/** Stored and validated; the rules are not executed (no S3.EXPIRE.OBJECT records yet). */
export const putBucketLifecycleConfiguration: Handler = async (req) => {
  const { root, body } = await readXmlDocument(req);
  await req.services.storage.putBucketConfig(req.bucket!, 'lifecycle', lifecycleRulesFrom(root, body));
  return { status: 200 };
};
