import { describe, expect, it } from 'vitest';
import { formatRecord } from '../../../logging/format.js';
import type { AccessLogRecord } from '../../../logging/record.js';
import { parseAccessLogLine, parseAccessLogObject } from '../../helpers/access-log-parser.js';

const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';

function record(overrides: Partial<AccessLogRecord> = {}): AccessLogRecord {
  return {
    bucketOwner: OWNER,
    bucket: 'amzn-s3-demo-bucket1',
    time: Date.UTC(2019, 1, 6, 0, 0, 38),
    remoteIp: '192.0.2.3',
    requester: 'arn:aws:iam::123456789012:user/alice',
    requestId: '3E57427F33A59F07',
    operation: 'REST.GET.OBJECT',
    key: 'photos/2019/08/puppy.jpg',
    requestUri: 'GET /amzn-s3-demo-bucket1/photos/2019/08/puppy.jpg?x-foo=bar HTTP/1.1',
    httpStatus: 200,
    bytesSent: 2662992,
    objectSize: 3462992,
    totalTimeMs: 70,
    turnAroundTimeMs: 10,
    userAgent: 'S3Console/0.4',
    hostId: 's9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=',
    signatureVersion: 'SigV4',
    cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
    authType: 'AuthHeader',
    hostHeader: 'localhost:9000',
    tlsVersion: 'TLSv1.2',
    ...overrides,
  };
}

describe('parseAccessLogLine: formatter output', () => {
  it('parses every field of a full record, quotes and brackets stripped', () => {
    const parsed = parseAccessLogLine(formatRecord(record({ versionId: 'v1', aclRequired: true })));
    expect(parsed).toEqual({
      bucketOwner: OWNER,
      bucket: 'amzn-s3-demo-bucket1',
      time: '06/Feb/2019:00:00:38 +0000',
      remoteIp: '192.0.2.3',
      requester: 'arn:aws:iam::123456789012:user/alice',
      requestId: '3E57427F33A59F07',
      operation: 'REST.GET.OBJECT',
      key: 'photos/2019/08/puppy.jpg',
      requestUri: 'GET /amzn-s3-demo-bucket1/photos/2019/08/puppy.jpg?x-foo=bar HTTP/1.1',
      httpStatus: '200',
      errorCode: '-',
      bytesSent: '2662992',
      objectSize: '3462992',
      totalTime: '70',
      turnAroundTime: '10',
      referer: '-',
      userAgent: 'S3Console/0.4',
      versionId: 'v1',
      hostId: 's9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=',
      signatureVersion: 'SigV4',
      cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
      authType: 'AuthHeader',
      hostHeader: 'localhost:9000',
      tlsVersion: 'TLSv1.2',
      accessPointArn: '-',
      aclRequired: 'Yes',
    });
  });

  it('parses the AWS User Guide example line as a 27-field line', () => {
    const example = `${OWNER} amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 ${OWNER} 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes us-east-1`;
    const parsed = parseAccessLogLine(example, 27);
    expect([parsed.operation, parsed.requestUri, parsed.accessPointArn, parsed.region]).toEqual([
      'REST.GET.VERSIONING',
      'GET /amzn-s3-demo-bucket1?versioning HTTP/1.1',
      'arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP',
      'us-east-1',
    ]);
  });

  it('parses 27-field lines (Region last)', () => {
    const parsed = parseAccessLogLine(formatRecord(record({ region: 'us-east-1' }), 'latest'), 27);
    expect(parsed.region).toBe('us-east-1');
    expect(parsed.aclRequired).toBe('-');
  });

  it.each([
    ['a trailing quote', 'Mozilla/5.0 (iPhone) Safari/604.1"'],
    ['quote-space runs', 'x" 200 - 1 - 1 - "y'],
    ['quoted words', 'say "hello" " "-" "'],
    ['only quotes', '""'],
    ['spaces', '  spaced   out  '],
  ])('keeps a user agent with %s intact', (_, userAgent) => {
    const parsed = parseAccessLogLine(formatRecord(record({ userAgent, referer: 'https://ex.com/?q="a"' })));
    expect(parsed.userAgent).toBe(userAgent);
    expect(parsed.referer).toBe('https://ex.com/?q="a"');
    expect(parsed.httpStatus).toBe('200');
  });

  it('keeps a Request-URI with quotes and quote-space runs intact', () => {
    const requestUri = 'GET /b/" 404 - HTTP/1.1" x HTTP/1.1';
    const parsed = parseAccessLogLine(formatRecord(record({ requestUri, httpStatus: 404, errorCode: 'NoSuchKey' })));
    expect(parsed.requestUri).toBe(requestUri);
    expect([parsed.httpStatus, parsed.errorCode]).toEqual(['404', 'NoSuchKey']);
  });

  it('parses BATCH, lifecycle, anonymous and plain-HTTP rows', () => {
    const batch = parseAccessLogLine(
      formatRecord(
        record({
          operation: 'BATCH.DELETE.OBJECT',
          key: 'a b',
          httpStatus: 204,
          bytesSent: 0,
          objectSize: undefined,
          totalTimeMs: undefined,
          turnAroundTimeMs: undefined,
        }),
      ),
    );
    expect([batch.key, batch.requestUri, batch.referer, batch.userAgent, batch.bytesSent]).toEqual([
      'a%20b',
      '-',
      '-',
      '-',
      '-',
    ]);
    const lifecycle = parseAccessLogLine(
      formatRecord({
        bucketOwner: OWNER,
        bucket: 'dandiarchive',
        time: 0,
        requester: 'AmazonS3',
        requestId: '5D45EC56A0B0DA71',
        operation: 'S3.EXPIRE.OBJECT',
        key: 'x.yaml',
        objectSize: 1865,
        hostId: 'jlKkp8k=',
      }),
    );
    expect([lifecycle.remoteIp, lifecycle.httpStatus, lifecycle.requestUri]).toEqual(['-', '-', '-']);
    const anonymous = parseAccessLogLine(
      formatRecord(
        record({
          requester: undefined,
          signatureVersion: undefined,
          authType: undefined,
          cipherSuite: undefined,
          tlsVersion: undefined,
          remoteIp: '::1',
        }),
      ),
    );
    expect([anonymous.requester, anonymous.signatureVersion, anonymous.tlsVersion]).toEqual(['-', '-', '-']);
  });

  it('parses a whole object of newline-terminated records', () => {
    const text = formatRecord(record()) + formatRecord(record({ key: 'é "x"' }));
    const records = parseAccessLogObject(text);
    expect(records.map((r) => r.key)).toEqual(['photos/2019/08/puppy.jpg', '%25C3%25A9%2520%2522x%2522']);
    expect(parseAccessLogObject('')).toEqual([]);
  });
});

describe('parseAccessLogLine: rejects deviations', () => {
  const good = formatRecord(record()).slice(0, -1);
  const tokens = good.split(' ');
  const join = (t: string[]) => t.join(' ');

  it.each([
    ['a missing tail field (aclRequired)', join(tokens.slice(0, -1))],
    ['a missing head field (requester)', join([...tokens.slice(0, 5), ...tokens.slice(6)])],
    ['a missing Referer', good.replace(' "-" ', ' ')],
    ['a 27th field when 26 are expected', good + ' us-east-1'],
    ['Bucket Owner and Bucket swapped', join([tokens[1], tokens[0], ...tokens.slice(2)])],
    [
      'Signature Version and Auth Type swapped',
      good.replace('SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader', 'AuthHeader ECDHE-RSA-AES128-GCM-SHA256 SigV4'),
    ],
    ['status and error code swapped', good.replace('" 200 - ', '" - 200 ')],
    ['Bytes Sent 0', good.replace(' 2662992 ', ' 0 ')],
    ['a time in a local offset', good.replace('+0000', '+0100')],
    ['a French month', good.replace('/Feb/', '/Fév/')],
    ['February 30th', good.replace('06/Feb', '30/Feb')],
    ['a bad IP', good.replace('192.0.2.3', '192.0.2.300')],
    ['a single-encoded REST key', good.replace('photos/2019/08/puppy.jpg ', 'a%20b ')],
    ['an unquoted User-Agent', good.replace('"S3Console/0.4"', 'S3Console/0.4')],
    ['a bad operation', good.replace('REST.GET.OBJECT', 'GetObject')],
    ['a double space', good.replace(' 200 ', '  200 ')],
    ['a trailing space', good + ' '],
    ['a raw CR', good.replace('S3Console', 'S3\rConsole')],
    [
      'a requester on a row without signature or auth type',
      good.replace(' SigV4 ', ' - ').replace(' AuthHeader ', ' - '),
    ],
  ])('throws on %s', (_, line) => {
    expect(() => parseAccessLogLine(line)).toThrow(/malformed access log line/);
  });

  it('throws when the field count argument does not match', () => {
    expect(() => parseAccessLogLine(good, 27)).toThrow();
    expect(() => parseAccessLogLine(formatRecord(record({ region: 'us-east-1' }), 'latest'))).toThrow();
  });

  it('throws on a BATCH row with quoted fields or a non-BATCH row with bare ones', () => {
    const batch = formatRecord(record({ operation: 'BATCH.DELETE.OBJECT' }));
    expect(() => parseAccessLogLine(batch.replace(' - 200 ', ' "-" 200 '))).toThrow();
    expect(() => parseAccessLogLine(good.replace('"-"', '-'))).toThrow();
  });

  it('throws on an object without a final newline, naming the bad line', () => {
    expect(() => parseAccessLogObject(good)).toThrow(/newline/);
    expect(() => parseAccessLogObject(`${good}\n${good.replace(' 2662992 ', ' 0 ')}\n`)).toThrow(/^line 2:/);
  });
});
