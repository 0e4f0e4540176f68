// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketRequestPayment.html
import type { Handler } from '../kit/handler.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const getBucketRequestPayment: Handler = async (req) => {
  const payer = await req.services.storage.getBucketConfig(req.bucket!, 'requestPayment');
  return xmlResponse('RequestPaymentConfiguration', { Payer: payer ?? 'BucketOwner' });
};
