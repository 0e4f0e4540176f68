import { rm } from 'node:fs/promises';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import { startServer, type RunningServer } from '../../server/index.js';
import type { ParsedAccessLogRecord } from './access-log-parser.js';
import {
  adminFlush,
  enableLogging,
  raw,
  type RawResult,
  readLogObjects,
  recordingClient,
  tempDir,
  uniqueBucket,
} from './access-logs.js';

/** What a test of bucket configuration operations needs: a server, a client and a log bucket. */
export interface ConfigHarness {
  server: RunningServer;
  s3: S3Client;
  /** Receives the access logs of every bucket `loggedBucket` makes. */
  logs: string;
  bucket(prefix?: string): Promise<string>;
  /** A new bucket whose access logs go to `logs` under `<bucket>/`. */
  loggedBucket(prefix?: string): Promise<string>;
  /** Flushes and returns the one delivered record of `requestId` in the logs of `bucket`. */
  deliveredRecord(bucket: string, requestId: string): Promise<ParsedAccessLogRecord>;
  /** A request as written, signed-looking (an XML body for a Put, a raw OPTIONS). */
  raw(
    method: string,
    path: string,
    opts?: { headers?: Record<string, string>; body?: string; anonymous?: boolean },
  ): Promise<RawResult>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<ConfigHarness> {
  const dataDir = await tempDir('s3scribe-cfg-');
  const server = await startServer({ port: 0, dataDir, logLevel: 'silent', flushInterval: 60_000 });
  const { s3 } = recordingClient(server);
  const bucket = async (prefix = 'cfg'): Promise<string> => {
    const name = uniqueBucket(prefix);
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    return name;
  };
  const logs = await bucket('logs');
  return {
    server,
    s3,
    logs,
    bucket,
    async loggedBucket(prefix = 'cfg') {
      const name = await bucket(prefix);
      await enableLogging(s3, name, logs, `${name}/`);
      return name;
    },
    async deliveredRecord(source, requestId) {
      await adminFlush(server.url);
      const rows = (await readLogObjects(s3, logs, `${source}/`))
        .flatMap((o) => o.records)
        .filter((r) => r.requestId === requestId);
      expect(rows, `records with request id ${requestId}`).toHaveLength(1);
      return rows[0]!;
    },
    raw: (method, path, opts) => raw(server.url, method, path, opts),
    async close() {
      s3.destroy();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Refusal {
  name?: string;
  status?: number;
  message?: string;
  requestId?: string;
}

/** The S3 error a call ends with, or `{}` when it succeeds. */
export function refusal(call: Promise<unknown>): Promise<Refusal> {
  return call.then(
    () => ({}),
    (e: { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string } }) => ({
      name: e.name,
      status: e.$metadata?.httpStatusCode,
      message: e.message,
      requestId: e.$metadata?.requestId,
    }),
  );
}

/** Code and message of an XML error document. */
export function errorOf(text: string): { code?: string; message?: string } {
  return { code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1] };
}

/** The request id the SDK read from a response. */
export const requestIdOf = (out: { $metadata: { requestId?: string } }): string => out.$metadata.requestId ?? '';
