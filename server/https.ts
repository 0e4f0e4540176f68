import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.js';
import { tlsFiles } from './tls.js';

/**
 * HTTPS beside HTTP: a second listener that hands every request to the same Fastify app, so both
 * share routes, admin endpoints and the access log (whose records then carry the cipher suite and
 * TLS version, and for which aws:SecureTransport is true).
 */
export async function listenTls(
  app: FastifyInstance,
  config: ServerConfig,
  dataDir: string,
): Promise<{ server: Server; port: number; certPath: string }> {
  const { cert, key, certPath } = await tlsFiles(dataDir, config.tlsCert, config.tlsKey);
  const server = createServer({ cert, key }, (req, res) => app.routing(req, res));
  // As on the HTTP listener (app.ts): Expect is handled by the S3 scope, not by Node.
  server.on('checkContinue', (req, res) => app.routing(req, res));
  server.on('checkExpectation', (req, res) => app.routing(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.httpsPort, config.host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port, certPath };
}
