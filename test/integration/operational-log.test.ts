import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { s3ClientForUrl, startCliServer, stopCliServer } from '../helpers/child-server.js';
import { expect, makeDataRoot, test } from '../helpers/server.js';

/** The JSON lines the server wrote to stdout (its operational log). */
const logLines = (stdout: string): Array<Record<string, unknown>> =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('operational log', () => {
  // What a failing request logs must carry the request id its client was given, so that a user
  // can find the cause of a 500 from the error the SDK raised.
  test('Operational log: an internal error is logged at warn level with the x-amz-request-id the client got', async () => {
    const root = await makeDataRoot();
    const dataDir = join(root, 'data');
    const child = await startCliServer(['--data-dir', dataDir, '--log-level', 'warn']);
    const s3 = s3ClientForUrl(child.url);
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'oplog' }));
      await s3.send(new PutObjectCommand({ Bucket: 'oplog', Key: 'k', Body: 'hello' }));
      // Successful requests log nothing at warn.
      expect(logLines(child.stdout())).toEqual([]);

      // A directory where the object's file was: reading it fails inside the server.
      const objects = join(dataDir, 'buckets', 'oplog', 'objects');
      const files = (await readdir(objects, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
      expect(files).toHaveLength(1);
      const file = join(files[0]!.parentPath, files[0]!.name);
      await rm(file);
      await mkdir(file);

      const err = await s3.send(new GetObjectCommand({ Bucket: 'oplog', Key: 'k' })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(S3ServiceException);
      const failure = err as S3ServiceException;
      expect(failure.name).toBe('InternalError');
      expect(failure.$metadata.httpStatusCode).toBe(500);
      const requestId = failure.$metadata.requestId;
      expect(requestId).toMatch(/^[0-9A-F]{16}$/);

      let lines: Array<Record<string, unknown>> = [];
      for (let i = 0; i < 100 && lines.length === 0; i++) {
        lines = logLines(child.stdout()).filter((l) => l.msg === 'internal error');
        if (lines.length === 0) await new Promise((r) => setTimeout(r, 20));
      }
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 50, reqId: requestId, err: { code: 'EISDIR' } });
    } finally {
      s3.destroy();
      await stopCliServer(child);
      await rm(root, { recursive: true, force: true });
    }
  });
});
