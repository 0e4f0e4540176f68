#!/usr/bin/env node
// The ceiling baseline: the least work any correct Fastify + filesystem S3 store has to do.
// PUT streams the body through MD5 into a temp file and renames it into place; GET streams the file
// back; HEAD stats; DELETE unlinks; ListObjectsV2 pages come from an in-memory sorted key array.
// No auth, no XML parsing, no metadata files, no access logs: s3scribe cannot be faster than this
// on the same machine, so `s3scribe / ceiling` says how much of the possible speed it reaches.
//
//   node bench/ceiling-server.mjs --port 0 --data-dir DIR
//   -> prints "ceiling listening on http://127.0.0.1:PORT (data: DIR)"
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
if (!args['data-dir']) {
  process.stderr.write('ceiling: --data-dir is required\n');
  process.exit(2);
}
const dataDir = args['data-dir'];
const tmpDir = join(dataDir, '.tmp');
await mkdir(tmpDir, { recursive: true });

/** bucket name -> { dir, keys: sorted string[], meta: Map<key, { size, etag, mtime }> } */
const buckets = new Map();

const objectPath = (bucket, key) => join(bucket.dir, createHash('sha256').update(key).digest('hex'));

/** Index of the first element of the sorted array `keys` that is > key (after = true) or >= key. */
function lowerBound(keys, key, after) {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key || (after && keys[mid] === key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const XML_SPECIAL = /[&<>"']/;
const XML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xml = (s) => (XML_SPECIAL.test(s) ? s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]) : s);

function notFound(reply, code) {
  return reply
    .code(404)
    .header('content-type', 'application/xml')
    .send(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code></Error>`);
}

const app = Fastify({
  logger: false,
  exposeHeadRoutes: false,
  routerOptions: { maxParamLength: 1024 },
  requestTimeout: 0,
  bodyLimit: Number.MAX_SAFE_INTEGER,
});
// Bodies stay untouched streams: no parser reads them.
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', (_req, _payload, done) => done(null));

app.get('/', async (_req, reply) => reply.send('ok'));

// ---- buckets ---------------------------------------------------------------------------------
app.put('/:bucket', async (req, reply) => {
  const name = req.params.bucket;
  if (!buckets.has(name)) {
    const dir = join(dataDir, name);
    await mkdir(dir, { recursive: true });
    buckets.set(name, { dir, keys: [], meta: new Map() });
  }
  return reply.code(200).header('location', `/${name}`).send();
});

app.get('/:bucket', async (req, reply) => {
  const name = req.params.bucket;
  const bucket = buckets.get(name);
  if (!bucket) return notFound(reply, 'NoSuchBucket');
  const q = req.query;
  const maxKeys = Math.min(1000, Math.max(0, q['max-keys'] === undefined ? 1000 : Number(q['max-keys']) || 0));
  const token = q['continuation-token'] ?? q['start-after'];
  const keys = bucket.keys;
  const start = token ? lowerBound(keys, token, true) : 0;
  const end = Math.min(keys.length, start + maxKeys);
  const truncated = end < keys.length;
  let body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>${xml(name)}</Name><Prefix></Prefix><KeyCount>${end - start}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
    `<IsTruncated>${truncated}</IsTruncated>`;
  if (token && q['continuation-token'] !== undefined) body += `<ContinuationToken>${xml(token)}</ContinuationToken>`;
  if (truncated) body += `<NextContinuationToken>${xml(keys[end - 1])}</NextContinuationToken>`;
  for (let i = start; i < end; i++) {
    const key = keys[i];
    const m = bucket.meta.get(key);
    body +=
      `<Contents><Key>${xml(key)}</Key><LastModified>${m.mtime}</LastModified><ETag>&quot;${m.etag}&quot;</ETag>` +
      `<Size>${m.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
  }
  body += '</ListBucketResult>';
  return reply.code(200).header('content-type', 'application/xml').send(body);
});

// ---- objects ---------------------------------------------------------------------------------
app.put('/:bucket/*', async (req, reply) => {
  const bucket = buckets.get(req.params.bucket);
  if (!bucket) {
    req.raw.resume();
    return notFound(reply, 'NoSuchBucket');
  }
  const key = req.params['*'];
  const md5 = createHash('md5');
  let size = 0;
  const tmp = join(tmpDir, randomBytes(12).toString('hex'));
  try {
    await pipeline(
      req.raw,
      async function* hash(source) {
        for await (const chunk of source) {
          md5.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(tmp),
    );
    await rename(tmp, objectPath(bucket, key));
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const etag = md5.digest('hex');
  if (!bucket.meta.has(key)) {
    const keys = bucket.keys;
    keys.splice(lowerBound(keys, key, false), 0, key);
  }
  bucket.meta.set(key, { size, etag, mtime: new Date().toISOString() });
  return reply.code(200).header('etag', `"${etag}"`).send();
});

async function statObject(req) {
  const bucket = buckets.get(req.params.bucket);
  if (!bucket) return null;
  const path = objectPath(bucket, req.params['*']);
  try {
    return { path, st: await stat(path) };
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
}

app.get('/:bucket/*', async (req, reply) => {
  const found = await statObject(req);
  if (!found) return notFound(reply, 'NoSuchKey');
  return reply
    .code(200)
    .header('content-type', 'application/octet-stream')
    .header('content-length', found.st.size)
    .send(createReadStream(found.path));
});

app.head('/:bucket/*', async (req, reply) => {
  const found = await statObject(req);
  if (!found) return reply.code(404).send();
  return reply.code(200).header('content-length', found.st.size).send();
});

app.delete('/:bucket/*', async (req, reply) => {
  const bucket = buckets.get(req.params.bucket);
  if (!bucket) return notFound(reply, 'NoSuchBucket');
  const key = req.params['*'];
  try {
    await unlink(objectPath(bucket, key));
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  if (bucket.meta.delete(key)) {
    const i = lowerBound(bucket.keys, key, false);
    if (bucket.keys[i] === key) bucket.keys.splice(i, 1);
  }
  return reply.code(204).send();
});

const url = await app.listen({ port: Number(args.port), host: args.host });
process.stdout.write(`ceiling listening on ${url} (data: ${dataDir})\n`);

const stop = () =>
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
