// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
import type { Handler } from '../kit/handler.js';
import { readObject } from '../kit/read-object.js';

export const headObject: Handler = (req) => readObject(req, false);
