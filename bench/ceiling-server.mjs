#!/usr/bin/env node
// The ceiling baseline: the least work any correct Fastify + filesystem S3 store has to do.
// PUT streams the body through MD5 into a temp file and renames it into place; GET streams the file
// back; HEAD stats; DELETE unlinks; ListObjectsV2 pages come from an in-memory sorted key array.
// No auth, no XML parsing, no metadata files, no access logs: s3scribe cannot be faster than this
// on the same machine, so `s3scribe / ceiling` says how much of the possible speed it reaches.
// `--index lmdb` keeps the listing in LMDB instead (one commit per PUT and DELETE, pages read from
// the map), as a store whose memory must not grow with its keys has to: the least an on-disk index
// costs, without s3scribe's crash marks.
//
//   node bench/ceiling-server.mjs --port 0 --data-dir DIR [--index lmdb]
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
    index: { type: 'string', default: 'memory' },
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
const keyIndex = args.index === 'lmdb' ? await lmdbIndex(join(dataDir, '.index')) : memoryIndex();

/** The in-memory listing: a sorted key array and a map of what each key lists. */
function memoryIndex() {
  return {
    put(bucket, key, row) {
      if (!bucket.meta.has(key)) bucket.keys.splice(lowerBound(bucket.keys, key, false), 0, key);
      bucket.meta.set(key, row);
    },
    remove(bucket, key) {
      if (!bucket.meta.delete(key)) return;
      const i = lowerBound(bucket.keys, key, false);
      if (bucket.keys[i] === key) bucket.keys.splice(i, 1);
    },
    *page(bucket, after, limit) {
      const keys = bucket.keys;
      const start = after ? lowerBound(keys, after, true) : 0;
      for (let i = start; i < Math.min(keys.length, start + limit); i++) yield [keys[i], bucket.meta.get(keys[i])];
    },
  };
}

/** The listing in LMDB, keyed `bucket \0 key`, as s3scribe keeps it (noSync, writemap). */
async function lmdbIndex(path) {
  const { open } = await import('lmdb');
  const env = open({ path, noSync: true, useWritemap: true, pageSize: 4096 });
  const rows = env.openDB('objects', { keyEncoding: 'binary', encoding: 'json' });
  const entry = (bucket, key) => Buffer.from(`${bucket.name}\0${key}`);
  return {
    put: (bucket, key, row) => rows.putSync(entry(bucket, key), row),
    remove: (bucket, key) => rows.removeSync(entry(bucket, key)),
    *page(bucket, after, limit) {
      const start = after ? Buffer.concat([entry(bucket, after), Buffer.from([0])]) : entry(bucket, '');
      const end = Buffer.from(`${bucket.name}\x01`);
      const prefix = bucket.name.length + 1;
      for (const { key, value } of rows.getRange({ start, end, limit }))
        yield [Buffer.from(key).toString('utf8', prefix), value];
    },
  };
}

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
    buckets.set(name, { name, dir, keys: [], meta: new Map() });
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
  // One row more than the page: whether it is truncated.
  const rows = [...keyIndex.page(bucket, token, maxKeys + 1)];
  const truncated = rows.length > maxKeys;
  if (truncated) rows.pop();
  let body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>${xml(name)}</Name><Prefix></Prefix><KeyCount>${rows.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
    `<IsTruncated>${truncated}</IsTruncated>`;
  if (token && q['continuation-token'] !== undefined) body += `<ContinuationToken>${xml(token)}</ContinuationToken>`;
  if (truncated) body += `<NextContinuationToken>${xml(rows.at(-1)[0])}</NextContinuationToken>`;
  for (const [key, m] of rows) {
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
  keyIndex.put(bucket, key, { size, etag, mtime: new Date().toISOString() });
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
  keyIndex.remove(bucket, key);
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
