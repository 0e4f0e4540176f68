// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
import type { Handler } from '../s3/handler.js';
import { readObject } from './get-object.js';

export const headObject: Handler = (req) => readObject(req, false);
