import type { FastifyInstance } from 'fastify';
import type { Storage } from '../../storage/storage.js';

export interface AdminPluginOptions {
  storage: Storage;
  version: string;
  flushLogs: () => Promise<{ records: number; objects: number }>;
  reset: () => Promise<void>;
}

/** s3scribe's own endpoints under /_s3scribe/ (JSON, not S3). */
export async function adminPlugin(app: FastifyInstance, opts: AdminPluginOptions): Promise<void> {
  app.get('/_s3scribe/health', async () => ({ status: 'ok', version: opts.version, storage: opts.storage.root }));
  app.post('/_s3scribe/logs/flush', async () => ({ flushed: await opts.flushLogs() }));
  app.post('/_s3scribe/reset', async () => {
    await opts.reset();
    return { reset: true };
  });
}
