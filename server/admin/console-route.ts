import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Where `npm run build` puts the console: beside `dist/server/` when the server runs from the
 * package, under `dist/` when it runs from source (tests).
 */
const CANDIDATES = ['../../console/', '../../dist/console/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
};

/** The page talks only to this origin: S3 requests, the tail and flush are all same-origin. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

interface Asset {
  type: string;
  body: Buffer;
  gzipped: Buffer;
}

/** The built files, read on the first request (start-up reads nothing), then served from memory. */
class ConsoleFiles {
  #loaded?: Promise<Map<string, Asset> | undefined>;

  get(): Promise<Map<string, Asset> | undefined> {
    this.#loaded ??= this.#load();
    return this.#loaded;
  }

  async #load(): Promise<Map<string, Asset> | undefined> {
    const root = CANDIDATES.find((dir) => existsSync(`${dir}index.html`));
    if (!root) return undefined;
    // zlib loads here, not at start: few runs ever open the console.
    const { gzipSync } = await import('node:zlib');
    const files = new Map<string, Asset>();
    const add = async (name: string, path: string, type: string) => {
      const body = await readFile(path);
      files.set(name, { type, body, gzipped: gzipSync(body) });
    };
    await add('index.html', `${root}index.html`, 'text/html; charset=utf-8');
    for (const name of await readdir(`${root}assets`).catch(() => [] as string[])) {
      const type = TYPES[name.slice(name.lastIndexOf('.'))];
      if (type) await add(`assets/${name}`, `${root}assets/${name}`, type);
    }
    return files;
  }
}

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset): FastifyReply {
  reply.header('content-type', asset.type).header('vary', 'accept-encoding');
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    return reply.header('content-encoding', 'gzip').send(asset.gzipped);
  }
  return reply.send(asset.body);
}

/**
 * The web console: `GET /_s3scribe/` (the page) and `/_s3scribe/assets/*` (content-hashed, so
 * cached for a year). The page speaks signed S3 to this same server; no CORS headers, ever.
 */
export function consoleRoute(app: FastifyInstance): void {
  const files = new ConsoleFiles();
  const missing = { error: 'the web console is not built: run npm run build' };
  app.get('/_s3scribe', async (_request, reply) => reply.redirect('/_s3scribe/', 301));
  // HEAD too: the app turns off Fastify's automatic HEAD routes, and S3 would answer these paths.
  const method = ['GET', 'HEAD'];
  app.route({
    method,
    url: '/_s3scribe/',
    handler: async (request, reply) => {
      const page = (await files.get())?.get('index.html');
      if (!page) return reply.code(404).send(missing);
      return send(request, reply.headers(PAGE_HEADERS), page);
    },
  });
  app.route({
    method,
    url: '/_s3scribe/assets/*',
    handler: async (request, reply) => {
      const name = (request.params as Record<string, string>)['*'] ?? '';
      const asset = /^[\w.-]+$/.test(name) ? (await files.get())?.get(`assets/${name}`) : undefined;
      if (!asset) return reply.code(404).send({ error: 'no such console asset' });
      reply.header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff');
      return send(request, reply, asset);
    },
  });
}
