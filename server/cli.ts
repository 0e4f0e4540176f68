#!/usr/bin/env node
import { helpText, parseCli } from './cli-options.js';
import { widenHeapGrowth } from './heap-growth.js';
import { startServer } from './index.js';
import { UnusableDataDirError } from '../storage/storage.js';
import { VERSION } from './version.js';

/** A usage error: one line naming the option (no help dump), exit code 2. */
function usageError(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`s3scribe: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'tail') {
    const { runTail } = await import('./tail-command.js');
    process.exitCode = await runTail(process.argv.slice(3), process.env);
    return;
  }
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(process.argv.slice(2), process.env);
  } catch (err) {
    usageError(err);
  }
  if (parsed.help) {
    process.stdout.write(helpText());
    return;
  }
  if (parsed.version) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  widenHeapGrowth();
  const server = await startServer(parsed.config).catch((err: unknown) => {
    // A data dir that is not ours (or of another layout) is bad input too, not a crash.
    if (err instanceof UnusableDataDirError) usageError(err);
    throw err;
  });
  // On all interfaces (the container's 0.0.0.0) the line says so, and how to reach it from here.
  const everywhere = parsed.config.host === '0.0.0.0' || parsed.config.host === '::';
  const where = everywhere
    ? `${server.url.replace('127.0.0.1', parsed.config.host === '::' ? '[::]' : '0.0.0.0')} (all interfaces; ${server.url} from this host)`
    : server.url;
  process.stdout.write(`s3scribe listening on ${where} (data: ${server.dataDir})\n`);
  if (server.httpsUrl)
    process.stdout.write(`s3scribe HTTPS on ${server.httpsUrl} (certificate: ${server.tlsCertPath})\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`s3scribe: ${signal}, finishing requests and delivering pending access logs\n`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`s3scribe: shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  // A stray rejection is a bug to report, not a reason to drop every client's connection.
  process.on('unhandledRejection', (err) => process.stderr.write(`s3scribe: unhandled rejection: ${String(err)}\n`));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`s3scribe: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
