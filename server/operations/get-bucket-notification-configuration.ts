// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html
import type { Handler } from '../kit/handler.js';
import { notificationXml } from '../xml/shapes/notification.js';
import { xmlResponse } from '../xml/shapes/response.js';

/** Never configured: an empty NotificationConfiguration. */
export const getBucketNotificationConfiguration: Handler = async (req) => {
  const config = await req.services.storage.getBucketConfig(req.bucket!, 'notification');
  return xmlResponse('NotificationConfiguration', notificationXml(config));
};
