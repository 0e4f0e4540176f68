// CORS preflight: https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html
import { S3Error } from '../../errors/s3-error.js';
import { header, type Handler } from '../kit/handler.js';
import { corsAsk, corsResponseHeaders, matchCorsRule } from '../protocol/cors.js';

const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

/**
 * Answers an OPTIONS request from the bucket's CORS rules, unauthenticated. The order of the
 * checks and the error documents follow S3's recorded answers (LocalStack's AWS-validated
 * test_cors_http_options_no_config, _non_existent_bucket and test_cors_match_origins): no Origin is
 * 400 before anything else; a missing bucket or a bucket without rules is 403 with ResourceType
 * BUCKET and the requested method (OPTIONS when none was named); no matching rule is 403 with the
 * resource's type. The key is never looked up.
 */
export const optionsPreflight: Handler = async (req) => {
  const ask = corsAsk(req.headers, req.method);
  if (!ask) throw new S3Error('BadRequest', {}, 'Insufficient information. Origin request header needed.');
  const requested = header(req, 'access-control-request-method');
  const forbidden = (message: string, resourceType: string): S3Error =>
    new S3Error('AccessForbidden', { Method: requested ?? 'OPTIONS', ResourceType: resourceType }, message);
  const bucket = req.bucket === undefined ? undefined : req.services.storage.peekBucket(req.bucket);
  if (!bucket) throw forbidden('CORSResponse: Bucket not found', 'BUCKET');
  const rules = bucket.config.cors;
  if (!rules?.length) throw forbidden('CORSResponse: CORS is not enabled for this bucket.', 'BUCKET');
  // With rules but without the method to check them against: ceph/s3-tests' test_cors_origin_response
  // (not fails_on_aws) expects 400, with the wording Zenko CloudServer and Huawei OBS give.
  if (requested === undefined) throw new S3Error('BadRequest', {}, 'Invalid Access-Control-Request-Method: null');
  const rule = matchCorsRule(rules, ask);
  if (!rule) throw forbidden(NOT_ALLOWED, req.key === undefined ? 'BUCKET' : 'OBJECT');
  return { status: 200, headers: corsResponseHeaders(rule, ask) };
};
