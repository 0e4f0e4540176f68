// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketRequestPayment.html
import type { Handler } from '../kit/handler.js';
import { readXmlDocument } from '../protocol/xml-document.js';
import { payerFrom } from '../xml/shapes/request-payment.js';

/** Stored; server/kit/requester-pays.ts enforces it on every request to the bucket. */
export const putBucketRequestPayment: Handler = async (req) => {
  const { root, body } = await readXmlDocument(req);
  const payer = payerFrom(root, body);
  await req.services.storage.putBucketConfig(
    req.bucket!,
    'requestPayment',
    payer === 'BucketOwner' ? undefined : payer,
  );
  return { status: 200 };
};
