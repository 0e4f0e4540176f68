// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
import type { Handler } from '../kit/handler.js';
import { readObject } from '../kit/read-object.js';

export const getObject: Handler = (req) => readObject(req, true);
