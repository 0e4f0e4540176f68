// CORS preflight: https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html
import { S3Error } from '../../errors/s3-error.js';
import { header, type Handler } from '../kit/handler.js';

/** No bucket here has a CORS configuration yet, so every well-formed preflight is refused. */
export const optionsPreflight: Handler = async (req) => {
  if (!header(req, 'origin'))
    throw new S3Error('BadRequest', {}, 'Insufficient information. Origin request header needed.');
  throw new S3Error(
    'AccessForbidden',
    {
      Method: header(req, 'access-control-request-method') ?? req.method,
      ResourceType: req.key === undefined ? 'BUCKET' : 'OBJECT',
    },
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
  );
};
