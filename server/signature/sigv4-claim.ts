import { S3Error } from '../../errors/s3-error.js';

/** What a SigV4 request says about itself, from its Authorization header or its presigned query. */
export interface SigV4Claim {
  accessKeyId: string;
  /** The credential scope's parts: `date/region/service/aws4_request`. */
  scopeDate: string;
  region: string;
  service: string;
  terminal: string;
  signedHeaders: string[];
  signature: string;
  /** `YYYYMMDDTHHMMSSZ`, as signed. */
  amzDate: string;
  presigned: boolean;
  /** Presigned URLs only: seconds the signature stays valid. */
  expires?: number;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const CREDENTIAL_SHAPE = 'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".';
const PRESIGN_PARAMETERS =
  'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.';

const malformedHeader = (why: string, details = {}): S3Error =>
  new S3Error('AuthorizationHeaderMalformed', details, `The authorization header is malformed; ${why}`);
const malformedQuery = (why: string, details = {}): S3Error =>
  new S3Error('AuthorizationQueryParametersError', details, why);

function splitCredential(credential: string, presigned: boolean) {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((p) => p === ''))
    throw presigned
      ? malformedQuery(
          `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; ${CREDENTIAL_SHAPE}`,
        )
      : malformedHeader(`the Credential is mal-formed; ${CREDENTIAL_SHAPE}`);
  const [accessKeyId, scopeDate, region, service, terminal] = parts as [string, string, string, string, string];
  return { accessKeyId, scopeDate, region, service, terminal };
}

/**
 * `AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request,
 * SignedHeaders=host;x-amz-date, Signature=…`; the date comes from x-amz-date (or Date).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html
 */
export function headerClaim(authorization: string, amzDate: string): SigV4Claim {
  const fields = new Map<string, string>();
  for (const part of authorization.slice(ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential) throw malformedHeader(`the Credential is mal-formed; ${CREDENTIAL_SHAPE}`);
  if (!signedHeaders || !signature)
    throw malformedHeader(
      'the authorization header requires three components: Credential, SignedHeaders, and Signature.',
    );
  // Properties named one by one: spreading splitCredential's result cost ~3 µs a request in V8.
  const { accessKeyId, scopeDate, region, service, terminal } = splitCredential(credential, false);
  return {
    accessKeyId,
    scopeDate,
    region,
    service,
    terminal,
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    presigned: false,
  };
}

/** X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders, -Signature in the query string. */
export function presignedClaim(query: URLSearchParams): SigV4Claim {
  const algorithm = query.get('X-Amz-Algorithm');
  const credential = query.get('X-Amz-Credential');
  const amzDate = query.get('X-Amz-Date');
  const expires = query.get('X-Amz-Expires');
  const signedHeaders = query.get('X-Amz-SignedHeaders');
  const signature = query.get('X-Amz-Signature');
  if (algorithm !== ALGORITHM)
    throw malformedQuery(`X-Amz-Algorithm only supports "${ALGORITHM}"`, {
      ArgumentName: 'X-Amz-Algorithm',
      ArgumentValue: algorithm ?? '',
    });
  if (!credential || !amzDate || !expires || !signedHeaders || !signature) throw malformedQuery(PRESIGN_PARAMETERS);
  if (!/^\d{8}T\d{6}Z$/.test(amzDate))
    throw malformedQuery(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  if (!/^\d+$/.test(expires)) throw malformedQuery('X-Amz-Expires should be a number');
  const { accessKeyId, scopeDate, region, service, terminal } = splitCredential(credential, true);
  return {
    accessKeyId,
    scopeDate,
    region,
    service,
    terminal,
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    presigned: true,
    expires: Number(expires),
  };
}

/**
 * The scope must name this request's day, the S3 service and the expected region (S3 answers a
 * wrong region with the right one in a Region element, and SDKs retry with it).
 */
export function checkScope(claim: SigV4Claim, expectedRegion: string | undefined): void {
  const fail = claim.presigned
    ? (why: string, details = {}) => malformedQuery(`Error parsing the X-Amz-Credential parameter; ${why}`, details)
    : malformedHeader;
  if (claim.scopeDate !== claim.amzDate.slice(0, 8))
    throw fail(
      `Invalid credential date "${claim.scopeDate}". This date is not the same as X-Amz-Date: "${claim.amzDate.slice(0, 8)}".`,
    );
  if (expectedRegion !== undefined && claim.region !== expectedRegion)
    throw fail(`the region '${claim.region}' is wrong; expecting '${expectedRegion}'`, { Region: expectedRegion });
  if (claim.service !== 's3') throw fail(`incorrect service "${claim.service}". This endpoint belongs to "s3".`);
  if (claim.terminal !== 'aws4_request')
    throw fail(`incorrect terminal "${claim.terminal}". This endpoint uses "aws4_request".`);
}
