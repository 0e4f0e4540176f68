import type { FastifyBaseLogger } from 'fastify';
import { S3Error } from '../../errors/s3-error.js';

/** Maps anything thrown to the S3 error the client sees; unknown causes become InternalError. */
export function toS3Error(err: unknown, log: FastifyBaseLogger): S3Error {
  if (err instanceof S3Error) return err;
  const code = (err as { code?: string }).code;
  if (code === 'FST_ERR_BAD_URL') return new S3Error('InvalidURI');
  // Fastify refusing a request before dispatch (an unknown method, a body it cannot frame) is the
  // client's error, never an internal one.
  const status = (err as { statusCode?: number }).statusCode;
  if (code?.startsWith('FST_ERR_') && status !== undefined && status >= 400 && status < 500)
    return new S3Error('InvalidRequest', {}, (err as Error).message);
  if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || (err as Error).message === 'aborted')
    return new S3Error('IncompleteBody');
  log.error({ err }, 'internal error');
  return new S3Error('InternalError');
}
