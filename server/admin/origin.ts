import type { FastifyRequest } from 'fastify';

/**
 * Any web page the developer opens can send requests to localhost. A request that names a foreign
 * origin or comes from a cross-site fetch is refused (why, or undefined when it is the server's
 * own page or no page at all, like curl).
 */
export function foreignOrigin(request: FastifyRequest): string | undefined {
  const { origin, host } = request.headers;
  if (origin !== undefined) {
    let sameHost = false;
    try {
      sameHost = new URL(origin).host === host;
    } catch {
      // `null` and other opaque origins are foreign.
    }
    if (!sameHost) return `cross-origin request from ${origin} refused`;
  }
  if (request.headers['sec-fetch-site'] === 'cross-site') return 'cross-site request refused';
  return undefined;
}
