// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html

import type { Handler } from '../kit/handler.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const getBucketLocation: Handler = async (req) => {
  const bucket = req.bucketInfo!;
  // Buckets in us-east-1 report an empty constraint, for historical reasons.
  return xmlResponse('LocationConstraint', bucket.region === 'us-east-1' ? {} : { _: bucket.region });
};
