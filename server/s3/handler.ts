import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Storage } from '../../storage/storage.js';
import type { ServerConfig } from '../config.js';
import type { RequestContext } from './context.js';
import type { Identity, IdentityTable } from './identity.js';

/** What every handler can reach besides its request. */
export interface Services {
  storage: Storage;
  config: ServerConfig;
  identities: IdentityTable;
  /** Delivers pending access-log records of one source bucket; returns the log object key written. */
  flushBucketLogs(bucket: string): Promise<string | undefined>;
}

export interface S3Request {
  ctx: RequestContext;
  raw: IncomingMessage;
  method: string;
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
  bucket?: string;
  key?: string;
  /** The caller; undefined for anonymous requests. */
  identity?: Identity;
  services: Services;
  /** Sends `100 Continue` if the client waits for it: call before reading the body. */
  continueBody(): void;
}

export interface S3Response {
  status?: number;
  headers?: Record<string, string | number | undefined>;
  body?: string | Buffer | Readable;
  /** Length of a stream body (a string or Buffer body is measured). */
  contentLength?: number;
}

export type Handler = (req: S3Request) => Promise<S3Response>;

export const header = (req: S3Request, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};
