import { describe, expect, it } from 'vitest';
import { S3Error } from '../../../../errors/s3-error.js';
import { operationTable } from '../../../../server/s3/operation-table.js';
import { resolveOperation } from '../../../../server/s3/resolve.js';

const BASE = ['localhost'];
const COPY = { 'x-amz-copy-source': '/src/key' };

const resolve = (method: string, url: string, headers: Record<string, unknown> = {}, host?: string, bases = BASE) =>
  resolveOperation(method, host, url, headers, bases);

// [method, path-style URL, headers, operation]: one row per name the resolver can give.
const ROWS: [string, string, Record<string, unknown>, string][] = [
  ['GET', '/', {}, 'ListBuckets'],
  ['GET', '/bkt', {}, 'ListObjects'],
  ['GET', '/bkt?list-type=2', {}, 'ListObjectsV2'],
  ['GET', '/bkt?list-type=1', {}, 'ListObjects'],
  ['HEAD', '/bkt', {}, 'HeadBucket'],
  ['PUT', '/bkt', {}, 'CreateBucket'],
  ['DELETE', '/bkt', {}, 'DeleteBucket'],
  ['GET', '/bkt?location', {}, 'GetBucketLocation'],
  ['GET', '/bkt?logging', {}, 'GetBucketLogging'],
  ['GET', '/bkt?policy', {}, 'GetBucketPolicy'],
  ['GET', '/bkt?policyStatus', {}, 'GetBucketPolicyStatus'],
  ['GET', '/bkt?uploads', {}, 'ListMultipartUploads'],
  ['GET', '/bkt?versions', {}, 'ListObjectVersions'],
  ['GET', '/bkt?acl', {}, 'GetBucketAcl'],
  ['GET', '/bkt?tagging', {}, 'GetBucketTagging'],
  ['GET', '/bkt?versioning', {}, 'GetBucketVersioning'],
  ['GET', '/bkt?cors', {}, 'GetBucketCors'],
  ['GET', '/bkt?lifecycle', {}, 'GetBucketLifecycleConfiguration'],
  ['GET', '/bkt?encryption', {}, 'GetBucketEncryption'],
  ['GET', '/bkt?website', {}, 'GetBucketWebsite'],
  ['GET', '/bkt?notification', {}, 'GetBucketNotificationConfiguration'],
  ['GET', '/bkt?replication', {}, 'GetBucketReplication'],
  ['GET', '/bkt?requestPayment', {}, 'GetBucketRequestPayment'],
  ['GET', '/bkt?accelerate', {}, 'GetBucketAccelerateConfiguration'],
  ['GET', '/bkt?ownershipControls', {}, 'GetBucketOwnershipControls'],
  ['GET', '/bkt?publicAccessBlock', {}, 'GetPublicAccessBlock'],
  ['GET', '/bkt?object-lock', {}, 'GetObjectLockConfiguration'],
  ['GET', '/bkt?analytics&id=a', {}, 'GetBucketAnalyticsConfiguration'],
  ['GET', '/bkt?metrics&id=m', {}, 'GetBucketMetricsConfiguration'],
  ['GET', '/bkt?inventory&id=i', {}, 'GetBucketInventoryConfiguration'],
  ['GET', '/bkt?intelligent-tiering&id=t', {}, 'GetBucketIntelligentTieringConfiguration'],
  ['PUT', '/bkt?logging', {}, 'PutBucketLogging'],
  ['PUT', '/bkt?policy', {}, 'PutBucketPolicy'],
  ['PUT', '/bkt?acl', {}, 'PutBucketAcl'],
  ['PUT', '/bkt?tagging', {}, 'PutBucketTagging'],
  ['PUT', '/bkt?versioning', {}, 'PutBucketVersioning'],
  ['PUT', '/bkt?cors', {}, 'PutBucketCors'],
  ['PUT', '/bkt?lifecycle', {}, 'PutBucketLifecycleConfiguration'],
  ['PUT', '/bkt?encryption', {}, 'PutBucketEncryption'],
  ['PUT', '/bkt?website', {}, 'PutBucketWebsite'],
  ['PUT', '/bkt?notification', {}, 'PutBucketNotificationConfiguration'],
  ['PUT', '/bkt?replication', {}, 'PutBucketReplication'],
  ['PUT', '/bkt?requestPayment', {}, 'PutBucketRequestPayment'],
  ['PUT', '/bkt?accelerate', {}, 'PutBucketAccelerateConfiguration'],
  ['PUT', '/bkt?ownershipControls', {}, 'PutBucketOwnershipControls'],
  ['PUT', '/bkt?publicAccessBlock', {}, 'PutPublicAccessBlock'],
  ['PUT', '/bkt?object-lock', {}, 'PutObjectLockConfiguration'],
  ['DELETE', '/bkt?policy', {}, 'DeleteBucketPolicy'],
  ['DELETE', '/bkt?tagging', {}, 'DeleteBucketTagging'],
  ['DELETE', '/bkt?cors', {}, 'DeleteBucketCors'],
  ['DELETE', '/bkt?lifecycle', {}, 'DeleteBucketLifecycle'],
  ['DELETE', '/bkt?encryption', {}, 'DeleteBucketEncryption'],
  ['DELETE', '/bkt?website', {}, 'DeleteBucketWebsite'],
  ['DELETE', '/bkt?replication', {}, 'DeleteBucketReplication'],
  ['DELETE', '/bkt?ownershipControls', {}, 'DeleteBucketOwnershipControls'],
  ['DELETE', '/bkt?publicAccessBlock', {}, 'DeletePublicAccessBlock'],
  ['POST', '/bkt?delete', {}, 'DeleteObjects'],
  ['POST', '/bkt?logging', {}, 'PostBucketLogging'],
  ['POST', '/bkt', {}, 'PostObject'],
  ['OPTIONS', '/bkt', {}, 'OptionsPreflight'],
  ['OPTIONS', '/bkt/k', {}, 'OptionsPreflight'],
  ['GET', '/bkt/k', {}, 'GetObject'],
  ['HEAD', '/bkt/k', {}, 'HeadObject'],
  ['PUT', '/bkt/k', {}, 'PutObject'],
  ['PUT', '/bkt/k', COPY, 'CopyObject'],
  ['DELETE', '/bkt/k', {}, 'DeleteObject'],
  ['GET', '/bkt/k?uploadId=u', {}, 'ListParts'],
  ['GET', '/bkt/k?acl', {}, 'GetObjectAcl'],
  ['GET', '/bkt/k?tagging', {}, 'GetObjectTagging'],
  ['GET', '/bkt/k?attributes', {}, 'GetObjectAttributes'],
  ['GET', '/bkt/k?retention', {}, 'GetObjectRetention'],
  ['GET', '/bkt/k?legal-hold', {}, 'GetObjectLegalHold'],
  ['GET', '/bkt/k?torrent', {}, 'GetObjectTorrent'],
  ['PUT', '/bkt/k?acl', {}, 'PutObjectAcl'],
  ['PUT', '/bkt/k?tagging', {}, 'PutObjectTagging'],
  ['PUT', '/bkt/k?retention', {}, 'PutObjectRetention'],
  ['PUT', '/bkt/k?legal-hold', {}, 'PutObjectLegalHold'],
  ['DELETE', '/bkt/k?tagging', {}, 'DeleteObjectTagging'],
  ['POST', '/bkt/k?uploads', {}, 'CreateMultipartUpload'],
  ['PUT', '/bkt/k?partNumber=1&uploadId=u', {}, 'UploadPart'],
  ['PUT', '/bkt/k?partNumber=1&uploadId=u', COPY, 'UploadPartCopy'],
  ['POST', '/bkt/k?uploadId=u', {}, 'CompleteMultipartUpload'],
  ['DELETE', '/bkt/k?uploadId=u', {}, 'AbortMultipartUpload'],
  ['POST', '/bkt/k?restore', {}, 'RestoreObject'],
  ['POST', '/bkt/k?select&select-type=2', {}, 'SelectObjectContent'],
  ['PUT', '/', {}, 'MethodNotAllowed'],
  ['OPTIONS', '/', {}, 'MethodNotAllowed'],
  ['PATCH', '/bkt', {}, 'MethodNotAllowed'],
  ['PATCH', '/bkt/k', {}, 'MethodNotAllowed'],
  ['POST', '/bkt/k', {}, 'MethodNotAllowed'],
];

describe('resolveOperation: operations', () => {
  it.each(ROWS)('%s %s %j → %s (path style)', (method, url, headers, operation) => {
    expect(resolve(method, url, headers).operation ?? 'MethodNotAllowed').toBe(operation);
  });

  it.each(ROWS.filter(([, url]) => url.startsWith('/bkt')))(
    '%s %s %j → %s (virtual-hosted)',
    (method, url, headers, operation) => {
      const vhostUrl = url.slice('/bkt'.length) || '/';
      const path = vhostUrl.startsWith('?') ? `/${vhostUrl}` : vhostUrl;
      const r = resolve(method, path, headers, 'bkt.localhost:4569');
      expect(r.bucket).toBe('bkt');
      expect(r.operation ?? 'MethodNotAllowed').toBe(operation);
    },
  );

  it('the rows above name every operation in the table, and nothing outside it but MethodNotAllowed', () => {
    const named = new Set(ROWS.map(([, , , op]) => op));
    named.delete('MethodNotAllowed');
    expect([...named].sort()).toEqual(Object.keys(operationTable).sort());
    expect(operationTable).not.toHaveProperty('MethodNotAllowed');
  });

  it('subresource parameters with values or empty values count as present', () => {
    expect(resolve('GET', '/bkt?acl=').operation).toBe('GetBucketAcl');
    expect(resolve('GET', '/bkt?versioning&x=1').operation).toBe('GetBucketVersioning');
  });

  it('a PUT with uploadId but no partNumber is not an UploadPart', () => {
    expect(resolve('PUT', '/bkt/k?uploadId=u').operation).toBe('PutObject');
  });
});

describe('resolveOperation: bucket and key', () => {
  it('path style: bucket, key and raw query', () => {
    const r = resolve('GET', '/bkt/dir/file.txt?versionId=v1&response-content-type=text%2Fplain');
    expect(r).toMatchObject({ bucket: 'bkt', key: 'dir/file.txt', operation: 'GetObject' });
    expect(r.query.get('versionId')).toBe('v1');
    expect(r.query.get('response-content-type')).toBe('text/plain');
  });

  it('path style: bucket alone, with or without a trailing slash, has no key', () => {
    expect(resolve('GET', '/bkt').key).toBeUndefined();
    expect(resolve('GET', '/bkt/').key).toBeUndefined();
    expect(resolve('GET', '/bkt/').bucket).toBe('bkt');
  });

  it('service root: no bucket, no key', () => {
    const r = resolve('GET', '/');
    expect(r.bucket).toBeUndefined();
    expect(r.key).toBeUndefined();
  });

  it('+ in the path stays a plus (S3 does not read + as space in a key)', () => {
    expect(resolve('GET', '/bkt/a+b').key).toBe('a+b');
    expect(resolve('GET', '/a+b', {}, 'bkt.localhost').key).toBe('a+b');
  });

  it('percent-encoding: %2B is +, %20 is space, %2F is a slash, UTF-8 sequences decode', () => {
    expect(resolve('GET', '/bkt/a%2Bb').key).toBe('a+b');
    expect(resolve('GET', '/bkt/a%20b').key).toBe('a b');
    expect(resolve('GET', '/bkt/a%2Fb').key).toBe('a/b');
    expect(resolve('GET', '/bkt/a%2fb').key).toBe('a/b');
    expect(resolve('GET', '/bkt/caf%C3%A9').key).toBe('café');
    expect(resolve('GET', '/bkt/%3F%23%25').key).toBe('?#%');
  });

  it('a key that begins with / keeps it: /b//k is key /k', () => {
    expect(resolve('GET', '/b//k')).toMatchObject({ bucket: 'b', key: '/k' });
    expect(resolve('GET', '//k', {}, 'b.localhost:4569')).toMatchObject({ bucket: 'b', key: '/k' });
    expect(resolve('GET', '/b/a//c/').key).toBe('a//c/');
  });

  it('dot segments are key characters, not path navigation', () => {
    expect(resolve('GET', '/bkt/../x').key).toBe('../x');
    expect(resolve('GET', '/bkt/a/./b').key).toBe('a/./b');
  });

  it.each(['/bkt/%', '/bkt/a%2', '/bkt/%zz', '/bkt/%C3', '/%E0%A4%A/k'])(
    'bad percent-encoding %s → InvalidURI (400)',
    (url) => {
      let err: unknown;
      try {
        resolve('GET', url);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(S3Error);
      expect((err as S3Error).code).toBe('InvalidURI');
      expect((err as S3Error).status).toBe(400);
    },
  );

  it('virtual-hosted: bucket from Host (port and case ignored), key from the whole path', () => {
    expect(resolve('GET', '/k', {}, 'bkt.localhost:4569')).toMatchObject({
      bucket: 'bkt',
      key: 'k',
      operation: 'GetObject',
    });
    expect(resolve('GET', '/dir/k', {}, 'BKT.LocalHost')).toMatchObject({ bucket: 'bkt', key: 'dir/k' });
    expect(resolve('GET', '/', {}, 'my.dotted.bkt.localhost:4569')).toMatchObject({
      bucket: 'my.dotted.bkt',
      operation: 'ListObjects',
    });
    expect(resolve('GET', '/?list-type=2', {}, 'bkt.localhost')).toMatchObject({
      bucket: 'bkt',
      operation: 'ListObjectsV2',
    });
  });

  it('virtual-hosted: the first path segment is part of the key, not a bucket', () => {
    expect(resolve('GET', '/other/k', {}, 'bkt.localhost')).toMatchObject({ bucket: 'bkt', key: 'other/k' });
  });

  it('the bare base domain, an IP or an unknown host is path style', () => {
    expect(resolve('GET', '/', {}, 'localhost:4569').operation).toBe('ListBuckets');
    expect(resolve('GET', '/bkt/k', {}, 'localhost:4569')).toMatchObject({ bucket: 'bkt', key: 'k' });
    expect(resolve('GET', '/bkt/k', {}, '127.0.0.1:4569')).toMatchObject({ bucket: 'bkt', key: 'k' });
    expect(resolve('GET', '/bkt/k', {}, 'example.com')).toMatchObject({ bucket: 'bkt', key: 'k' });
    expect(resolve('GET', '/bkt/k', {}, 'notlocalhost')).toMatchObject({ bucket: 'bkt', key: 'k' });
    expect(resolve('GET', '/bkt/k', {}, undefined, [])).toMatchObject({ bucket: 'bkt', key: 'k' });
  });

  // The default config lists both `localhost` and `s3.localhost` (server/config.ts). Like
  // `bucket.s3.amazonaws.com`, the bucket is the label(s) before the base domain the host ends in,
  // and a host that is itself a base domain is the path-style endpoint.
  it('nested base domains: bkt.s3.localhost is bucket bkt, s3.localhost is path style', () => {
    const bases = ['localhost', 's3.localhost'];
    expect(resolve('GET', '/k', {}, 'bkt.s3.localhost:4569', bases)).toMatchObject({ bucket: 'bkt', key: 'k' });
    expect(resolve('GET', '/bkt/k', {}, 's3.localhost:4569', bases)).toMatchObject({ bucket: 'bkt', key: 'k' });
    expect(resolve('GET', '/', {}, 's3.localhost', bases).operation).toBe('ListBuckets');
  });
});

describe('operationTable: access-log names', () => {
  it.each(Object.entries(operationTable))('%s: log name has the REST.METHOD.RESOURCE shape', (_name, row) => {
    expect(row.log).toMatch(/^(REST)\.[A-Z]+\.[A-Z_]+$/);
  });

  // Reference §3, the confirmed and inferred names.
  const DOCUMENTED: Record<string, string> = {
    GetObject: 'REST.GET.OBJECT',
    PutObject: 'REST.PUT.OBJECT',
    HeadObject: 'REST.HEAD.OBJECT',
    DeleteObject: 'REST.DELETE.OBJECT',
    DeleteObjects: 'REST.POST.MULTI_OBJECT_DELETE',
    CopyObject: 'REST.COPY.OBJECT',
    UploadPartCopy: 'REST.COPY.PART',
    ListObjects: 'REST.GET.BUCKET',
    ListObjectsV2: 'REST.GET.BUCKET',
    ListObjectVersions: 'REST.GET.BUCKETVERSIONS',
    ListBuckets: 'REST.GET.SERVICE',
    CreateBucket: 'REST.PUT.BUCKET',
    DeleteBucket: 'REST.DELETE.BUCKET',
    HeadBucket: 'REST.HEAD.BUCKET',
    GetBucketLocation: 'REST.GET.LOCATION',
    CreateMultipartUpload: 'REST.POST.UPLOADS',
    UploadPart: 'REST.PUT.PART',
    CompleteMultipartUpload: 'REST.POST.UPLOAD',
    AbortMultipartUpload: 'REST.DELETE.UPLOAD',
    ListParts: 'REST.GET.UPLOAD',
    ListMultipartUploads: 'REST.GET.UPLOADS',
    GetBucketLogging: 'REST.GET.LOGGING_STATUS',
    PutBucketLogging: 'REST.PUT.LOGGING_STATUS',
    GetBucketPolicy: 'REST.GET.BUCKETPOLICY',
    PutBucketPolicy: 'REST.PUT.BUCKETPOLICY',
    DeleteBucketPolicy: 'REST.DELETE.BUCKETPOLICY',
    GetBucketPolicyStatus: 'REST.GET.POLICY_STATUS',
    GetPublicAccessBlock: 'REST.GET.PUBLIC_ACCESS_BLOCK',
    GetObjectTagging: 'REST.GET.OBJECT_TAGGING',
    PutObjectTagging: 'REST.PUT.OBJECT_TAGGING',
    DeleteObjectTagging: 'REST.DELETE.OBJECT_TAGGING',
    GetBucketTagging: 'REST.GET.TAGGING',
    PutBucketTagging: 'REST.PUT.TAGGING',
    GetBucketAcl: 'REST.GET.ACL',
    PutBucketAcl: 'REST.PUT.ACL',
    GetObjectAcl: 'REST.GET.ACL',
    PutObjectAcl: 'REST.PUT.ACL',
    GetBucketVersioning: 'REST.GET.VERSIONING',
    PutBucketVersioning: 'REST.PUT.VERSIONING',
    GetBucketCors: 'REST.GET.CORS',
    GetBucketLifecycleConfiguration: 'REST.GET.LIFECYCLE',
    GetBucketEncryption: 'REST.GET.ENCRYPTION',
    GetBucketWebsite: 'REST.GET.WEBSITE',
    GetBucketNotificationConfiguration: 'REST.GET.NOTIFICATION',
    RestoreObject: 'REST.POST.RESTORE',
  };

  it.each(Object.entries(DOCUMENTED))('%s → %s', (operation, log) => {
    expect(operationTable[operation]?.log).toBe(log);
  });

  it('the operations s3scribe serves have handlers', () => {
    for (const op of [
      'GetObject',
      'PutObject',
      'HeadObject',
      'DeleteObject',
      'DeleteObjects',
      'CopyObject',
      'UploadPartCopy',
      'ListObjects',
      'ListObjectsV2',
      'CreateMultipartUpload',
      'UploadPart',
      'CompleteMultipartUpload',
      'AbortMultipartUpload',
      'ListParts',
      'ListMultipartUploads',
      'GetBucketLogging',
      'PutBucketLogging',
      'GetBucketPolicy',
      'GetBucketAcl',
      'GetObjectAcl',
    ]) {
      expect(operationTable[op]?.handler, op).toBeTypeOf('function');
    }
  });
});
