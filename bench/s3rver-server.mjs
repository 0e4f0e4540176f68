#!/usr/bin/env node
// Runs s3rver (the reference "local S3" most test suites use) as its own process.
//   node bench/s3rver-server.mjs --data-dir DIR
//   -> prints "s3rver listening on http://127.0.0.1:PORT (data: DIR)"
// s3rver accepts only its built-in access key (S3RVER) and wants x-amz-date and
// x-amz-content-sha256 headers on V4-style requests; the workloads send both to every target.
import { parseArgs } from 'node:util';
import S3rver from 's3rver';

const { values: args } = parseArgs({
  options: { port: { type: 'string', default: '0' }, 'data-dir': { type: 'string' } },
});
if (!args['data-dir']) {
  process.stderr.write('s3rver-server: --data-dir is required\n');
  process.exit(2);
}

const server = new S3rver({
  port: Number(args.port),
  address: '127.0.0.1',
  silent: true,
  directory: args['data-dir'],
  allowMismatchedSignatures: true,
});
const { address, port } = await server.run();
process.stdout.write(`s3rver listening on http://${address}:${port} (data: ${args['data-dir']})\n`);

const stop = () =>
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
