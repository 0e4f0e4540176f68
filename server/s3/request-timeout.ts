import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { S3Error } from '../../errors/s3-error.js';
import { sendError } from './send.js';

/** The request a socket is serving now (keep-alive sockets serve one after another). */
const current = new WeakMap<Socket, { request: FastifyRequest; reply: FastifyReply }>();
const armed = new WeakSet<Socket>();

/**
 * S3 answers `RequestTimeout` and closes the connection when a client stops sending its body
 * (after about 20 s of silence), and drops idle connections. Here: a socket silent for
 * `timeoutMs` while a request body is still due gets that answer; a client that stopped reading
 * a response, or an idle keep-alive socket, is cut. A handler busy with a complete request (a
 * large CompleteMultipartUpload) is left alone.
 */
export function watchRequest(request: FastifyRequest, reply: FastifyReply, timeoutMs: number): void {
  const socket = request.raw.socket;
  if (timeoutMs <= 0 || !socket) return;
  current.set(socket, { request, reply });
  reply.raw.once('close', () => {
    if (current.get(socket)?.request === request) current.delete(socket);
  });
  if (armed.has(socket)) return;
  armed.add(socket);
  socket.setTimeout(timeoutMs);
  socket.on('timeout', () => onSilence(socket));
}

function onSilence(socket: Socket): void {
  const active = current.get(socket);
  if (!active) {
    socket.destroy();
    return;
  }
  const { request, reply } = active;
  // Answered; its end waits only for the access-log record (send.ts).
  if (request.s3?.endPending) return;
  if (reply.raw.headersSent) {
    socket.destroy();
    return;
  }
  if (request.raw.complete || !request.s3) return;
  reply.raw.setHeader('Connection', 'close');
  sendError(
    request.s3,
    reply.raw,
    request.method,
    new S3Error('RequestTimeout'),
    (request.raw.url ?? '/').split('?')[0]!,
  );
  // The rest of the body never comes: end the connection once the answer is out.
  reply.raw.once('finish', () => socket.destroySoon());
}
