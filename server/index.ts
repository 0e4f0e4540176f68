import { mkdtemp, rm } from 'node:fs/promises';
import { pino } from 'pino';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AccessLogPipeline } from '../logging/index.js';
import { loadChecksums } from '../storage/checksums.js';
import { FsStorage } from '../storage/fs/fs-storage.js';
import { logDeliveryAllowed } from './policy/log-delivery.js';
import { buildApp } from './app.js';
import { defaultConfig, type ServerConfig } from './config.js';
import { createIdSource } from './ids.js';
import { IdentityTable } from './kit/identity.js';
import type { RequestContext } from './kit/context.js';
import { VERSION } from './version.js';
import { listenTls } from './https.js';
import { LifecycleRunner } from './lifecycle/lifecycle-runner.js';
import { ServerMetrics } from './metrics.js';
import { InFlight } from './s3/in-flight.js';

export type { ServerConfig } from './config.js';
export type { IdentityConfig, Identity } from './kit/identity.js';

export interface StartOptions extends Partial<ServerConfig> {
  /** Alias of logFlushIntervalMs. */
  flushInterval?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  /** With `httpsPort`: the HTTPS endpoint, its port and the certificate clients should trust. */
  httpsUrl?: string;
  httpsPort?: number;
  tlsCertPath?: string;
  dataDir: string;
  /** Spread into `new S3Client({...})`. */
  s3ClientConfig: {
    endpoint: string;
    region: string;
    forcePathStyle: boolean;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  flushLogs(): Promise<{ records: number; objects: number }>;
  /** Stops accepting, finishes in-flight requests, delivers pending access logs. */
  close(): Promise<void>;
}

export const DEFAULT_ACCESS_KEY = 's3scribe';

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config: ServerConfig = { ...defaultConfig(), ...stripUndefined(options) };
  if (options.flushInterval !== undefined) config.logFlushIntervalMs = options.flushInterval;
  const dataDir = config.ephemeral ? await mkdtemp(join(tmpdir(), 's3scribe-')) : resolve(config.dataDir);
  try {
    return await start(config, dataDir);
  } catch (err) {
    if (config.ephemeral) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** In-flight requests get this long once shutdown begins; then their connections are cut. */
const SHUTDOWN_GRACE_MS = 5000;

async function start(config: ServerConfig, dataDir: string): Promise<RunningServer> {
  const logger = pino({ level: config.logLevel });
  const inFlight = new InFlight();
  const storage = await FsStorage.open(dataDir, { alone: () => inFlight.alone });
  const identities = new IdentityTable(config.identities);
  if (config.verifySignatures && (config.identities.length === 0 || identities.withoutSecret().length > 0))
    throw new Error('verifySignatures needs identities, each with a secretAccessKey');
  const ids = createIdSource(config.deterministicSeed);

  for (const name of config.initialBuckets) {
    const owner = identities.resolve(config.identities[0]?.accessKeyId ?? DEFAULT_ACCESS_KEY);
    await storage.createBucket({
      name,
      created: Date.now(),
      region: config.region,
      owner: { id: owner.canonicalId, displayName: owner.displayName },
    });
  }

  const accessLogs = await AccessLogPipeline.start({
    storage,
    spoolDir: join(dataDir, 'access-log-spool'),
    flushIntervalMs: config.logFlushIntervalMs,
    fieldSet: config.accessLogFields,
    region: config.region,
    uniqueSeed: config.deterministicSeed,
    accountIdOf: (canonicalId) => identities.accountIdOf(canonicalId),
    mayDeliver: (meta) =>
      config.loggingPermissionCheck === 'lenient' ? Promise.resolve(true) : logDeliveryAllowed(storage, meta),
    warn: (msg, detail) => logger.warn(detail, msg),
    ids,
  });
  const lifecycle = new LifecycleRunner(
    storage,
    config.lifecycleDayMs,
    (action) => accessLogs.acceptServiceAction(action),
    (msg, detail) => logger.warn(detail, msg),
  );
  lifecycle.start();
  const flushLogs = async (): Promise<{ records: number; objects: number }> => {
    const { records, objects } = await accessLogs.flush();
    return { records, objects };
  };
  const metrics = new ServerMetrics(accessLogs, storage);
  const app = buildApp({
    logger,
    ids,
    services: {
      storage,
      config,
      identities,
      flushBucketLogs: async (bucket) => (await accessLogs.flush(bucket)).keys[0],
    },
    admin: {
      version: VERSION,
      enabled: config.admin,
      flushLogs,
      runLifecycle: () => lifecycle.runPass(),
      reset: async () => {
        await accessLogs.flush();
        await storage.reset();
      },
      tail: accessLogs.tail,
      metrics: () => metrics.render(),
    },
    onComplete: (ctx: RequestContext) => {
      app.log.debug({ reqId: ctx.requestId, op: ctx.operation, status: ctx.status, bytes: ctx.bytesSent }, 'request');
      metrics.observe(ctx);
      accessLogs.accept(ctx);
    },
    whenRecorded: (then) => accessLogs.whenSpooled(then),
    inFlight,
  });
  // HTTPS is up (its certificate made) before HTTP answers: a client that waits for the health
  // endpoint, as testcontainers does, can then read the certificate at once.
  await app.ready();
  const secure = config.httpsPort === undefined ? undefined : await listenTls(app, config, dataDir);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    secure?.server.close();
    throw err;
  }
  // Warm what the first checksummed upload and the first XML body would otherwise wait for, once
  // the start is over: loading them at once would delay the first answers (~50 ms on 2 cores).
  setTimeout(() => {
    void loadChecksums()
      .then(() => import('xml2js'))
      .catch(() => undefined);
  }, 500).unref();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    httpsUrl: secure && `https://${host.includes(':') ? `[${host}]` : host}:${secure.port}`,
    httpsPort: secure?.port,
    tlsCertPath: secure?.certPath,
    dataDir,
    s3ClientConfig: {
      endpoint: url,
      region: config.region,
      forcePathStyle: true,
      credentials: {
        accessKeyId: config.identities[0]?.accessKeyId ?? DEFAULT_ACCESS_KEY,
        secretAccessKey: config.identities[0]?.secretAccessKey ?? DEFAULT_ACCESS_KEY,
      },
    },
    flushLogs,
    close: () =>
      (closed ??= (async () => {
        // A stalled client must not hold shutdown (and `docker stop`) hostage.
        const cut = setTimeout(() => {
          app.server.closeAllConnections();
          secure?.server.closeAllConnections();
        }, SHUTDOWN_GRACE_MS);
        cut.unref();
        const tlsClosed = secure && new Promise<void>((resolve) => secure.server.close(() => resolve()));
        lifecycle.stop();
        await app.close();
        await tlsClosed;
        clearTimeout(cut);
        await accessLogs.close();
        await storage.close();
        if (config.ephemeral) await rm(dataDir, { recursive: true, force: true });
      })()),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
