import { loadCredentials } from './credentials.js';
import { canonicalQuery, presignGet, s3Path, sha256Hex, signHeaders, UNSIGNED } from './sigv4.js';
import { child, children, parseXml, text } from './xml.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An S3 error response, with AWS's code and message. */
export class S3Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

interface Req {
  method?: string;
  bucket?: string;
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

/** One signed path-style S3 request to this server; throws S3Failure on an error status. */
export async function s3(req: Req): Promise<Response> {
  const method = req.method ?? 'GET';
  const path = s3Path(req.bucket, req.key);
  const query = req.query ?? {};
  const payloadHash = req.body === undefined ? await sha256Hex('') : await sha256Hex(req.body);
  const headers = await signHeaders(loadCredentials(), method, path, query, req.headers ?? {}, payloadHash);
  const qs = canonicalQuery(query);
  const res = await fetch(qs ? `${path}?${qs}` : path, { method, headers, body: req.body, cache: 'no-store' });
  if (!res.ok) throw await failure(res);
  return res;
}

async function failure(res: Response): Promise<S3Failure> {
  const body = await res.text().catch(() => '');
  const doc = body ? parseXml(body) : undefined;
  const code = (doc && text(doc, 'Code')) || res.headers.get('x-amz-error-code') || `HTTP ${res.status}`;
  return new S3Failure(res.status, code, (doc && text(doc, 'Message')) || res.statusText);
}

async function xml(req: Req): Promise<Document> {
  return parseXml(await (await s3(req)).text());
}

/** Runs a GET of a bucket sub-resource; undefined when it is not set (any NoSuch*). */
async function optional(bucket: string, sub: string): Promise<string | undefined> {
  try {
    return await (await s3({ bucket, query: { [sub]: '' } })).text();
  } catch (err) {
    if (
      err instanceof S3Failure &&
      (err.status === 404 || err.code.startsWith('NoSuch') || err.code.endsWith('NotFoundError'))
    )
      return undefined;
    throw err;
  }
}

export interface Bucket {
  name: string;
  created: string;
}

export async function listBuckets(): Promise<Bucket[]> {
  const doc = await xml({});
  const list = child(doc, 'Buckets');
  return (list ? children(list, 'Bucket') : []).map((b) => ({
    name: text(b, 'Name') ?? '',
    created: text(b, 'CreationDate') ?? '',
  }));
}

export const createBucket = (bucket: string) => s3({ method: 'PUT', bucket });
export const deleteBucket = (bucket: string) => s3({ method: 'DELETE', bucket });

export interface Logging {
  targetBucket: string;
  targetPrefix: string;
  /** `SimplePrefix`, or `PartitionedPrefix` with its date source. */
  format: 'SimplePrefix' | 'EventTime' | 'DeliveryTime';
}

export async function getLogging(bucket: string): Promise<Logging | undefined> {
  const doc = await xml({ bucket, query: { logging: '' } });
  const on = child(doc, 'LoggingEnabled');
  if (!on) return undefined;
  const partitioned = child(child(on, 'TargetObjectKeyFormat') ?? on, 'PartitionedPrefix');
  const source = partitioned && text(partitioned, 'PartitionDateSource');
  return {
    targetBucket: text(on, 'TargetBucket') ?? '',
    targetPrefix: text(on, 'TargetPrefix') ?? '',
    format: partitioned ? (source === 'DeliveryTime' ? 'DeliveryTime' : 'EventTime') : 'SimplePrefix',
  };
}

export function loggingXml(l: Logging | undefined, esc: (s: string) => string): string {
  if (!l) return `<BucketLoggingStatus xmlns="${NS}"/>`;
  const format =
    l.format === 'SimplePrefix'
      ? '<SimplePrefix/>'
      : `<PartitionedPrefix><PartitionDateSource>${l.format}</PartitionDateSource></PartitionedPrefix>`;
  return (
    `<BucketLoggingStatus xmlns="${NS}"><LoggingEnabled><TargetBucket>${esc(l.targetBucket)}</TargetBucket>` +
    `<TargetPrefix>${esc(l.targetPrefix)}</TargetPrefix><TargetObjectKeyFormat>${format}</TargetObjectKeyFormat>` +
    '</LoggingEnabled></BucketLoggingStatus>'
  );
}

export const putLogging = (bucket: string, body: string) => s3({ method: 'PUT', bucket, query: { logging: '' }, body });

export const getPolicy = (bucket: string) => optional(bucket, 'policy');
export const putPolicy = (bucket: string, body: string) => s3({ method: 'PUT', bucket, query: { policy: '' }, body });
export const deletePolicy = (bucket: string) => s3({ method: 'DELETE', bucket, query: { policy: '' } });

/** `Enabled`, `Suspended`, or undefined (never enabled). */
export async function getVersioning(bucket: string): Promise<string | undefined> {
  return text(await xml({ bucket, query: { versioning: '' } }), 'Status');
}

export const putVersioning = (bucket: string, status: 'Enabled' | 'Suspended') =>
  s3({
    method: 'PUT',
    bucket,
    query: { versioning: '' },
    body: `<VersioningConfiguration xmlns="${NS}"><Status>${status}</Status></VersioningConfiguration>`,
  });

/** The read-only settings shown as XML: tagging, CORS, lifecycle, object lock. */
export const READ_ONLY = {
  Tagging: 'tagging',
  CORS: 'cors',
  Lifecycle: 'lifecycle',
  'Object lock': 'object-lock',
} as const;
export const getSetting = (bucket: string, sub: string) => optional(bucket, sub);

export interface Listing {
  prefixes: string[];
  objects: { key: string; size: number; modified: string; etag: string }[];
  next?: string;
}

export async function listObjects(bucket: string, prefix: string, token?: string, max = 100): Promise<Listing> {
  const query: Record<string, string> = { 'list-type': '2', delimiter: '/', prefix, 'max-keys': String(max) };
  if (token) query['continuation-token'] = token;
  const doc = await xml({ bucket, query });
  return {
    prefixes: children(doc, 'CommonPrefixes').map((p) => text(p, 'Prefix') ?? ''),
    objects: children(doc, 'Contents').map((c) => ({
      key: text(c, 'Key') ?? '',
      size: Number(text(c, 'Size') ?? 0),
      modified: text(c, 'LastModified') ?? '',
      etag: text(c, 'ETag') ?? '',
    })),
    next: text(doc, 'IsTruncated') === 'true' ? text(doc, 'NextContinuationToken') : undefined,
  };
}

/** Every key under a prefix (no delimiter), for the delivered-log list. */
export async function listAllKeys(bucket: string, prefix: string, limit = 1000): Promise<Listing['objects']> {
  const out: Listing['objects'] = [];
  let token: string | undefined;
  do {
    const query: Record<string, string> = { 'list-type': '2', prefix };
    if (token) query['continuation-token'] = token;
    const doc = await xml({ bucket, query });
    for (const c of children(doc, 'Contents'))
      out.push({
        key: text(c, 'Key') ?? '',
        size: Number(text(c, 'Size') ?? 0),
        modified: text(c, 'LastModified') ?? '',
        etag: text(c, 'ETag') ?? '',
      });
    token = text(doc, 'IsTruncated') === 'true' ? text(doc, 'NextContinuationToken') : undefined;
  } while (token && out.length < limit);
  return out;
}

/** HEAD with checksums requested: every response header, as S3 sent it. */
export async function headObject(bucket: string, key: string, versionId?: string): Promise<[string, string][]> {
  const res = await s3({
    method: 'HEAD',
    bucket,
    key,
    query: versionId ? { versionId } : {},
    headers: { 'x-amz-checksum-mode': 'ENABLED' },
  });
  return [...res.headers.entries()];
}

export const getObjectText = async (bucket: string, key: string) => (await s3({ bucket, key })).text();
export const deleteObject = (bucket: string, key: string, versionId?: string) =>
  s3({ method: 'DELETE', bucket, key, query: versionId ? { versionId } : {} });

export function downloadUrl(bucket: string, key: string, versionId?: string): Promise<string> {
  const name = key.slice(key.lastIndexOf('/') + 1) || 'download';
  const query: Record<string, string> = {
    'response-content-disposition': `attachment; filename="${name.replace(/"/g, '')}"`,
  };
  if (versionId) query.versionId = versionId;
  return presignGet(loadCredentials(), s3Path(bucket, key), query);
}

export interface Version {
  versionId: string;
  latest: boolean;
  deleteMarker: boolean;
  size?: number;
  modified: string;
  etag?: string;
}

export async function listVersions(bucket: string, key: string): Promise<Version[]> {
  const doc = await xml({ bucket, query: { versions: '', prefix: key } });
  const rows = Array.from(doc.documentElement?.children ?? []).filter(
    (e) => (e.localName === 'Version' || e.localName === 'DeleteMarker') && text(e, 'Key') === key,
  );
  return rows.map((e) => ({
    versionId: text(e, 'VersionId') ?? 'null',
    latest: text(e, 'IsLatest') === 'true',
    deleteMarker: e.localName === 'DeleteMarker',
    size: e.localName === 'Version' ? Number(text(e, 'Size') ?? 0) : undefined,
    modified: text(e, 'LastModified') ?? '',
    etag: text(e, 'ETag'),
  }));
}

/** A PUT of a body with upload progress (fetch cannot report it); resolves to the ETag. */
async function putWithProgress(
  bucket: string,
  key: string,
  query: Record<string, string>,
  body: Blob,
  contentType: string | undefined,
  onProgress: (sent: number) => void,
): Promise<string> {
  const path = s3Path(bucket, key);
  const extra: Record<string, string> = contentType ? { 'content-type': contentType } : {};
  let payloadHash = UNSIGNED;
  if (body.size <= PART_SIZE) {
    // Small enough to hash here: the body is signed, and a whole object keeps its SHA-256 checksum.
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await body.arrayBuffer()));
    payloadHash = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    if (query.uploadId === undefined) extra['x-amz-checksum-sha256'] = btoa(String.fromCharCode(...digest));
  }
  const headers = await signHeaders(loadCredentials(), 'PUT', path, query, extra, payloadHash);
  const qs = canonicalQuery(query);
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('PUT', qs ? `${path}?${qs}` : path);
    for (const [k, v] of Object.entries(headers)) x.setRequestHeader(k, v);
    x.upload.onprogress = (e) => onProgress(e.loaded);
    x.onerror = () => reject(new Error('network error'));
    x.onload = () => {
      if (x.status < 300) return resolve(x.getResponseHeader('etag') ?? '');
      const doc = parseXml(x.responseText);
      reject(new S3Failure(x.status, text(doc, 'Code') ?? `HTTP ${x.status}`, text(doc, 'Message') ?? ''));
    };
    x.send(body);
  });
}

export const PART_SIZE = 8 * 1024 * 1024;

/** Uploads a file: one PUT up to 8 MiB, multipart above (8 MiB parts, one at a time). */
export async function upload(bucket: string, key: string, file: File, onProgress: (sent: number) => void) {
  const type = file.type || undefined;
  if (file.size <= PART_SIZE) return putWithProgress(bucket, key, {}, file, type, onProgress);
  const created = await xml({
    method: 'POST',
    bucket,
    key,
    query: { uploads: '' },
    headers: type ? { 'content-type': type } : {},
  });
  const uploadId = text(created, 'UploadId') ?? '';
  try {
    const etags: string[] = [];
    for (let n = 1, at = 0; at < file.size; n++, at += PART_SIZE) {
      const part = file.slice(at, at + PART_SIZE);
      const query = { partNumber: String(n), uploadId };
      etags.push(await putWithProgress(bucket, key, query, part, undefined, (sent) => onProgress(at + sent)));
    }
    const parts = etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('');
    const body = `<CompleteMultipartUpload xmlns="${NS}">${parts}</CompleteMultipartUpload>`;
    const done = await xml({ method: 'POST', bucket, key, query: { uploadId }, body });
    if (child(done, 'Code')) throw new S3Failure(200, text(done, 'Code') ?? '', text(done, 'Message') ?? '');
    return text(done, 'ETag') ?? '';
  } catch (err) {
    await s3({ method: 'DELETE', bucket, key, query: { uploadId } }).catch(() => undefined);
    throw err;
  }
}
