// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
import type { Handler } from '../kit/handler.js';
import { readXmlDocument } from '../protocol/xml-document.js';
import { notificationFrom } from '../xml/shapes/notification.js';

/** Stored and echoed: no event is ever published. An empty configuration turns notifications off. */
export const putBucketNotificationConfiguration: Handler = async (req) => {
  const { root, body } = await readXmlDocument(req);
  const config = notificationFrom(root, body);
  const empty = config.configurations.length === 0 && !config.eventBridge;
  await req.services.storage.putBucketConfig(req.bucket!, 'notification', empty ? undefined : config);
  return { status: 200 };
};
