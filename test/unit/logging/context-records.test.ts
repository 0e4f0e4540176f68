import { describe, expect, it } from 'vitest';
import { recordsFromContext } from '../../../logging/context-records.js';
import { formatRecord } from '../../../logging/format.js';
import type { LoggedRequest } from '../../../logging/logged-request.js';
import { parseAccessLogLine } from '../../helpers/access-log-parser.js';

const DEST_OWNER = 'd'.repeat(64);
const SRC_OWNER = 'e'.repeat(64);
const REQUESTER = 'f'.repeat(64);
const OWNERS: Record<string, string> = { 'dest-bucket': DEST_OWNER, 'src-bucket': SRC_OWNER };
const ownerOf = (bucket: string): string | undefined => OWNERS[bucket];

const START = 5_000_000_000n; // hrtime, ns
const ms = (n: number): bigint => BigInt(Math.round(n * 1_000_000));

/** A GET as the server's request context would describe it. */
const get: LoggedRequest = {
  requestId: 'REQ0000000000001',
  hostId: 'aG9zdC1pZC0x+/=',
  startTime: Date.UTC(2024, 0, 2, 3, 4, 5, 678),
  startHr: START,
  lastByteInHr: START + ms(2.5),
  firstByteOutHr: START + ms(7.9),
  endHr: START + ms(12.345678),
  remoteIp: '192.0.2.44',
  host: 'dest-bucket.localhost:9000',
  requestLine: 'GET /photo.jpg?versionId=v9 HTTP/1.1',
  referer: 'https://example.com/page',
  userAgent: 'aws-sdk-js/3.0 "quoted"',
  tlsCipher: 'ECDHE-RSA-AES128-GCM-SHA256',
  tlsVersion: 'TLSv1.3',
  operation: 'REST.GET.OBJECT',
  bucket: 'dest-bucket',
  key: 'photo.jpg',
  versionId: 'v9',
  requester: REQUESTER,
  signatureVersion: 'SigV4',
  authType: 'AuthHeader',
  aclRequired: true,
  status: 200,
  bytesSent: 4096,
  objectSize: 10_000,
  extraRecords: [],
};

describe('recordsFromContext: the request’s own record', () => {
  it('maps every field from the request', () => {
    const records = recordsFromContext(get, ownerOf, 'eu-central-1');
    expect(records).toEqual([
      {
        bucketOwner: DEST_OWNER,
        bucket: 'dest-bucket',
        time: get.startTime,
        remoteIp: '192.0.2.44',
        requester: REQUESTER,
        requestId: 'REQ0000000000001',
        operation: 'REST.GET.OBJECT',
        key: 'photo.jpg',
        requestUri: 'GET /photo.jpg?versionId=v9 HTTP/1.1',
        httpStatus: 200,
        errorCode: undefined,
        bytesSent: 4096,
        objectSize: 10_000,
        totalTimeMs: 12, // whole ms of endHr - startHr (12.345678 ms)
        turnAroundTimeMs: 5, // whole ms of firstByteOutHr - lastByteInHr (5.4 ms)
        referer: 'https://example.com/page',
        userAgent: 'aws-sdk-js/3.0 "quoted"',
        versionId: 'v9',
        hostId: 'aG9zdC1pZC0x+/=',
        signatureVersion: 'SigV4',
        cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
        authType: 'AuthHeader',
        hostHeader: 'dest-bucket.localhost:9000',
        tlsVersion: 'TLSv1.3',
        aclRequired: true,
        region: 'eu-central-1',
      },
    ]);
  });

  it('formats into a line the strict parser reads back field for field', () => {
    const [record] = recordsFromContext(get, ownerOf, 'eu-central-1');
    const parsed = parseAccessLogLine(formatRecord(record, 'latest'), 27);
    expect(parsed).toEqual({
      bucketOwner: DEST_OWNER,
      bucket: 'dest-bucket',
      time: '02/Jan/2024:03:04:05 +0000',
      remoteIp: '192.0.2.44',
      requester: REQUESTER,
      requestId: 'REQ0000000000001',
      operation: 'REST.GET.OBJECT',
      key: 'photo.jpg',
      requestUri: 'GET /photo.jpg?versionId=v9 HTTP/1.1',
      httpStatus: '200',
      errorCode: '-',
      bytesSent: '4096',
      objectSize: '10000',
      totalTime: '12',
      turnAroundTime: '5',
      referer: 'https://example.com/page',
      userAgent: 'aws-sdk-js/3.0 "quoted"',
      versionId: 'v9',
      hostId: 'aG9zdC1pZC0x+/=',
      signatureVersion: 'SigV4',
      cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
      authType: 'AuthHeader',
      hostHeader: 'dest-bucket.localhost:9000',
      tlsVersion: 'TLSv1.3',
      accessPointArn: '-',
      aclRequired: 'Yes',
      region: 'eu-central-1',
    });
  });

  it('an anonymous request to an unknown bucket: `-` owner and requester, missing times left out', () => {
    const anon: LoggedRequest = {
      ...get,
      bucket: 'no-such-bucket',
      requester: undefined,
      signatureVersion: undefined,
      authType: undefined,
      aclRequired: false,
      status: 404,
      errorCode: 'NoSuchBucket',
      bytesSent: 0,
      objectSize: undefined,
      endHr: undefined, // response never finished
      lastByteInHr: START + ms(9),
      firstByteOutHr: START + ms(3), // before the last byte in: no turn-around time
    };
    const [record] = recordsFromContext(anon, ownerOf, 'us-east-1');
    expect(record.bucketOwner).toBe('-');
    expect(record.bucket).toBe('no-such-bucket');
    expect(record.requester).toBeUndefined();
    expect(record.totalTimeMs).toBeUndefined();
    expect(record.turnAroundTimeMs).toBeUndefined();
    expect(record.errorCode).toBe('NoSuchBucket');

    // `-` is not a canonical id: the strict parser refuses it as field 1, so read the raw line.
    const text = formatRecord(record);
    const fields = text.trimEnd().split(' ');
    expect(fields[0]).toBe('-');
    expect(fields[1]).toBe('no-such-bucket');
    expect(fields[5]).toBe('-'); // requester
    expect(text).toContain(
      ' REST.GET.OBJECT photo.jpg "GET /photo.jpg?versionId=v9 HTTP/1.1" 404 NoSuchBucket - - - - ',
    );
  });
});

describe('recordsFromContext: extra records', () => {
  const copy: LoggedRequest = {
    ...get,
    requestId: 'REQCOPY000000002',
    requestLine: 'PUT /copied.txt HTTP/1.1',
    operation: 'REST.COPY.OBJECT',
    key: 'copied.txt',
    versionId: undefined,
    aclRequired: false,
    bytesSent: 234,
    objectSize: 5_555,
    extraRecords: [
      {
        operation: 'REST.COPY.OBJECT_GET',
        bucket: 'src-bucket',
        key: 'original.txt',
        versionId: 'src-v1',
        httpStatus: 200,
        objectSize: 5_555,
      },
    ],
  };

  it('a copy yields its own record and the source GET, sharing the request id', () => {
    const records = recordsFromContext(copy, ownerOf, 'us-east-1');
    expect(records).toHaveLength(2);
    const [own, source] = records;
    expect(own.requestId).toBe('REQCOPY000000002');
    expect(source.requestId).toBe(own.requestId);
    expect(source.hostId).toBe(own.hostId);
    expect(own.bucketOwner).toBe(DEST_OWNER);
    expect(own.bytesSent).toBe(234);

    expect(source.bucketOwner).toBe(SRC_OWNER);
    expect(source.bucket).toBe('src-bucket');
    expect(source.operation).toBe('REST.COPY.OBJECT_GET');
    expect(source.key).toBe('original.txt');
    expect(source.versionId).toBe('src-v1');
    expect(source.bytesSent).toBeUndefined();
    expect(source.objectSize).toBe(5_555);
    // A non-batch row keeps the request's own connection fields.
    expect(source.requestUri).toBe('PUT /copied.txt HTTP/1.1');
    expect(source.userAgent).toBe(get.userAgent);
    expect(source.referer).toBe(get.referer);
    expect(source.totalTimeMs).toBe(12);
    expect(source.requester).toBe(REQUESTER);
    expect(source.time).toBe(get.startTime);
  });

  it('both copy rows parse with the strict parser', () => {
    const [own, source] = recordsFromContext(copy, ownerOf, 'us-east-1').map((r) =>
      parseAccessLogLine(formatRecord(r)),
    );
    expect(own).toMatchObject({
      bucketOwner: DEST_OWNER,
      bucket: 'dest-bucket',
      requestId: 'REQCOPY000000002',
      operation: 'REST.COPY.OBJECT',
      key: 'copied.txt',
      bytesSent: '234',
      objectSize: '5555',
      versionId: '-',
    });
    expect(source).toMatchObject({
      bucketOwner: SRC_OWNER,
      bucket: 'src-bucket',
      requestId: 'REQCOPY000000002',
      operation: 'REST.COPY.OBJECT_GET',
      key: 'original.txt',
      requestUri: 'PUT /copied.txt HTTP/1.1',
      httpStatus: '200',
      bytesSent: '-',
      objectSize: '5555',
      totalTime: '12',
      turnAroundTime: '5',
      userAgent: 'aws-sdk-js/3.0 "quoted"',
      versionId: 'src-v1',
    });
    expect(own.region).toBeUndefined(); // 26 fields by default
  });

  const deleteObjects: LoggedRequest = {
    ...get,
    requestId: 'REQDELETE0000003',
    requestLine: 'POST /?delete HTTP/1.1',
    operation: 'REST.POST.MULTI_OBJECT_DELETE',
    key: undefined,
    versionId: undefined,
    aclRequired: false,
    bytesSent: 321,
    objectSize: undefined,
    extraRecords: [
      {
        operation: 'BATCH.DELETE.OBJECT',
        bucket: 'dest-bucket',
        key: 'a b.txt',
        httpStatus: 204,
        objectSize: 9,
        batch: true,
      },
      {
        operation: 'BATCH.DELETE.OBJECT',
        batch: true,
        bucket: 'dest-bucket',
        key: 'locked.txt',
        versionId: 'v2',
        httpStatus: 403,
        errorCode: 'AccessDenied',
      },
    ],
  };

  it('a DeleteObjects yields one BATCH row per key with no URI, referer, user agent, bytes or times', () => {
    const records = recordsFromContext(deleteObjects, ownerOf, 'us-east-1');
    expect(records).toHaveLength(3);
    expect(records[0].bytesSent).toBe(321);
    expect(records[0].requestUri).toBe('POST /?delete HTTP/1.1');
    for (const row of records.slice(1)) {
      expect(row.requestId).toBe('REQDELETE0000003');
      expect(row.bucketOwner).toBe(DEST_OWNER);
      expect(row.operation).toBe('BATCH.DELETE.OBJECT');
      expect(row.requestUri).toBeUndefined();
      expect(row.referer).toBeUndefined();
      expect(row.userAgent).toBeUndefined();
      expect(row.bytesSent).toBeUndefined();
      expect(row.objectSize).toBeUndefined();
      expect(row.totalTimeMs).toBeUndefined();
      expect(row.turnAroundTimeMs).toBeUndefined();
      // The rest of the connection is the request's.
      expect(row.remoteIp).toBe('192.0.2.44');
      expect(row.requester).toBe(REQUESTER);
      expect(row.hostHeader).toBe('dest-bucket.localhost:9000');
    }
    expect(records.slice(1).map((r) => [r.key, r.versionId, r.httpStatus, r.errorCode])).toEqual([
      ['a b.txt', undefined, 204, undefined],
      ['locked.txt', 'v2', 403, 'AccessDenied'],
    ]);
  });

  it('the DeleteObjects rows parse with the strict parser: bare `-` for the BATCH rows', () => {
    const lines = recordsFromContext(deleteObjects, ownerOf, 'us-east-1').map((r) => formatRecord(r));
    const [post, first, second] = lines.map((l) => parseAccessLogLine(l));
    expect(post).toMatchObject({
      operation: 'REST.POST.MULTI_OBJECT_DELETE',
      key: '-',
      requestUri: 'POST /?delete HTTP/1.1',
      bytesSent: '321',
      totalTime: '12',
    });
    const batchShape = {
      bucketOwner: DEST_OWNER,
      requestId: 'REQDELETE0000003',
      operation: 'BATCH.DELETE.OBJECT',
      requestUri: '-',
      bytesSent: '-',
      objectSize: '-',
      totalTime: '-',
      turnAroundTime: '-',
      referer: '-',
      userAgent: '-',
    };
    expect(first).toMatchObject({ ...batchShape, key: 'a%20b.txt', httpStatus: '204', errorCode: '-' });
    expect(second).toMatchObject({
      ...batchShape,
      key: 'locked.txt',
      versionId: 'v2',
      httpStatus: '403',
      errorCode: 'AccessDenied',
    });
    // Bare, not quoted.
    expect(lines[1]).toContain(' BATCH.DELETE.OBJECT a%20b.txt - 204 - - - - - - - - ');
  });
});
