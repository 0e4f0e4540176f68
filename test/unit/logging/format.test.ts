import { describe, expect, it } from 'vitest';
import { formatLogTime, formatRecord } from '../../../logging/format.js';
import type { AccessLogRecord } from '../../../logging/record.js';
import { parseAccessLogLine } from '../../helpers/access-log-parser.js';

// Reference §1 "Example lines (AWS User Guide, current)", byte for byte.
const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const EXAMPLE_1 = `${OWNER} amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 ${OWNER} 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes us-east-1\n`;
const EXAMPLE_2 = `${OWNER} amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 ${OWNER} 891CE47D2EXAMPLE REST.GET.LOGGING_STATUS - "GET /amzn-s3-demo-bucket1?logging HTTP/1.1" 200 - 242 - 11 - "-" "S3Console/0.4" - 9vKBE6vMhrNiWHZmb2L0mXOcqPGzQOI5XLnCtZNPxev+Hf+7tpT6sxDwDty4LHBUOZJG96N1234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 - - us-east-1\n`;

const common = {
  bucketOwner: OWNER,
  bucket: 'amzn-s3-demo-bucket1',
  time: Date.UTC(2019, 1, 6, 0, 0, 38, 512),
  remoteIp: '192.0.2.3',
  requester: OWNER,
  httpStatus: 200,
  userAgent: 'S3Console/0.4',
  signatureVersion: 'SigV4',
  cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
  authType: 'AuthHeader',
  hostHeader: 'amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com',
  tlsVersion: 'TLSV1.2',
  region: 'us-east-1',
} satisfies Partial<AccessLogRecord>;

const example1: AccessLogRecord = {
  ...common,
  requestId: '3E57427F3EXAMPLE',
  operation: 'REST.GET.VERSIONING',
  requestUri: 'GET /amzn-s3-demo-bucket1?versioning HTTP/1.1',
  bytesSent: 113,
  totalTimeMs: 7.9,
  hostId: 's9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=',
  accessPointArn: 'arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP',
  aclRequired: true,
};
const example2: AccessLogRecord = {
  ...common,
  requestId: '891CE47D2EXAMPLE',
  operation: 'REST.GET.LOGGING_STATUS',
  requestUri: 'GET /amzn-s3-demo-bucket1?logging HTTP/1.1',
  bytesSent: 242,
  totalTimeMs: 11,
  hostId: '9vKBE6vMhrNiWHZmb2L0mXOcqPGzQOI5XLnCtZNPxev+Hf+7tpT6sxDwDty4LHBUOZJG96N1234=',
  aclRequired: false,
};

/** A minimal authenticated REST record to vary in edge-case tests. */
function base(overrides: Partial<AccessLogRecord> = {}): AccessLogRecord {
  return {
    bucketOwner: OWNER,
    bucket: 'bkt',
    time: Date.UTC(2024, 0, 1),
    requestId: 'ABCDEF0123456789',
    operation: 'REST.GET.OBJECT',
    hostId: 'aG9zdGlk',
    ...overrides,
  };
}

/** Fields split the way a naive reader would, after removing the known quoted fields. */
function fields(line: string): string[] {
  return line
    .replace(/\n$/, '')
    .replace(/\[[^\]]*\]/, 'TIME')
    .split(' ');
}

describe('formatRecord: reference example lines', () => {
  it('rebuilds both current AWS examples byte for byte with the latest field set', () => {
    expect(formatRecord(example1, 'latest')).toBe(EXAMPLE_1);
    expect(formatRecord(example2, 'latest')).toBe(EXAMPLE_2);
  });

  it('writes the same lines without the Region by default (26 fields)', () => {
    expect(formatRecord(example1)).toBe(EXAMPLE_1.replace(' us-east-1\n', '\n'));
    expect(formatRecord(example2, 'default')).toBe(EXAMPLE_2.replace(' us-east-1\n', '\n'));
    expect(parseAccessLogLine(formatRecord(example2), 26).region).toBeUndefined();
    expect(parseAccessLogLine(formatRecord(example2, 'latest'), 27).region).toBe('us-east-1');
  });

  it('writes - for an absent Region with the latest field set', () => {
    expect(formatRecord({ ...example2, region: undefined }, 'latest')).toMatch(/ - - -\n$/);
  });

  it('renders the 2020 404 example fields (error code, bytes, times)', () => {
    const line = formatRecord(
      base({
        operation: 'REST.GET.BUCKETPOLICY',
        requestUri: 'GET /awsexamplebucket1?policy HTTP/1.1',
        httpStatus: 404,
        errorCode: 'NoSuchBucketPolicy',
        bytesSent: 297,
        totalTimeMs: 38,
      }),
    );
    expect(line).toContain(
      ' REST.GET.BUCKETPOLICY - "GET /awsexamplebucket1?policy HTTP/1.1" 404 NoSuchBucketPolicy 297 - 38 - "-" "-" ',
    );
  });

  it('renders the 2020 PUT example fields (no body: Bytes Sent -)', () => {
    const line = formatRecord(
      base({
        operation: 'REST.PUT.OBJECT',
        key: 's3-dg.pdf',
        requestUri: 'PUT /awsexamplebucket1/s3-dg.pdf HTTP/1.1',
        httpStatus: 200,
        bytesSent: 0,
        objectSize: 4406583,
        totalTimeMs: 41754.9,
        turnAroundTimeMs: 28.2,
      }),
    );
    expect(line).toContain(
      ' REST.PUT.OBJECT s3-dg.pdf "PUT /awsexamplebucket1/s3-dg.pdf HTTP/1.1" 200 - - 4406583 41754 28 ',
    );
  });
});

describe('formatRecord: multi-record and lifecycle rows', () => {
  it('writes BATCH.DELETE.OBJECT rows with bare -, status 204 and a single-encoded key', () => {
    const line = formatRecord(
      base({
        operation: 'BATCH.DELETE.OBJECT',
        key: 'fork-0004/a b"c',
        httpStatus: 204,
        requestUri: 'POST /?delete HTTP/1.1',
        referer: 'https://x/',
        userAgent: 'Hadoop 3.4.0',
        signatureVersion: 'SigV4',
        authType: 'AuthHeader',
        hostHeader: 'bkt.s3.eu-west-2.amazonaws.com',
      }),
    );
    expect(line).toContain(
      ' BATCH.DELETE.OBJECT fork-0004/a%20b%22c - 204 - - - - - - - - aG9zdGlk SigV4 - AuthHeader ',
    );
  });

  it('writes a lifecycle-like row: IP, status, times -; requester AmazonS3; quoted "-"', () => {
    const line = formatRecord(
      base({
        operation: 'S3.EXPIRE.OBJECT',
        requester: 'AmazonS3',
        key: 'dandisets/001350/draft/dandiset.yaml',
        objectSize: 1865,
      }),
    );
    expect(line).toBe(
      `${OWNER} bkt [01/Jan/2024:00:00:00 +0000] - AmazonS3 ABCDEF0123456789 S3.EXPIRE.OBJECT dandisets/001350/draft/dandiset.yaml "-" - - - 1865 - - "-" "-" - aG9zdGlk - - - - - - -\n`,
    );
  });
});

describe('formatRecord: escaping and - rules', () => {
  it.each([
    ['a b.txt', 'a%2520b.txt'],
    ['say "hi"', 'say%2520%2522hi%2522'],
    ['café/é', 'caf%25C3%25A9/%25C3%25A9'],
    ['100%', '100%2525'],
    ['a+b', 'a%252Bb'],
    ['~user/x', '~user/x'],
    ['dir/sub/file', 'dir/sub/file'],
  ])('double-encodes the REST key %j as %s', (key, encoded) => {
    expect(fields(formatRecord(base({ key })))[7]).toBe(encoded);
  });

  it('writes quoted user agents, referers and URIs raw, embedded quotes included', () => {
    const line = formatRecord(
      base({
        requestUri: 'GET /bkt/" HTTP/1.1',
        referer: 'https://ex.com/a"b',
        userAgent: 'Mozilla/5.0 (X) Safari/604.1"',
      }),
    );
    expect(line).toContain(' "GET /bkt/" HTTP/1.1" - - - - - - "https://ex.com/a"b" "Mozilla/5.0 (X) Safari/604.1"" ');
  });

  it('writes Bytes Sent 0 or undefined as -, never 0; Object Size 0 as 0', () => {
    expect(fields(formatRecord(base({ bytesSent: 0, objectSize: 0 }))).slice(11, 13)).toEqual(['-', '0']);
    expect(fields(formatRecord(base({ bytesSent: undefined }))).at(11)).toBe('-');
    expect(fields(formatRecord(base({ bytesSent: 0.4 }))).at(11)).toBe('-');
  });

  it('writes requester, signature version and auth type - for anonymous requests', () => {
    const f = fields(formatRecord(base({ requester: undefined, signatureVersion: undefined, authType: undefined })));
    expect([f[4], f[19], f[21]]).toEqual(['-', '-', '-']);
  });

  it('floors times and writes - for missing or negative ones', () => {
    const f = fields(formatRecord(base({ totalTimeMs: 12.999, turnAroundTimeMs: -1 })));
    expect(f.slice(13, 15)).toEqual(['12', '-']);
  });

  it('never lets CR or LF into a record, and keeps unquoted fields free of spaces', () => {
    const line = formatRecord(
      base({
        userAgent: 'evil\r\nUA',
        referer: 'a\nb',
        requestUri: 'GET /x\n HTTP/1.1',
        versionId: 'v 1\n',
        hostHeader: 'h\tost',
        errorCode: '',
      }),
    );
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(line).not.toContain('\r');
    expect(line).toContain(' "GET /x%0A HTTP/1.1" ');
    expect(line).toContain(' "a%0Ab" "evil%0D%0AUA" v%201%0A aG9zdGlk ');
    const parsed = parseAccessLogLine(line);
    expect([parsed.hostHeader, parsed.errorCode, parsed.userAgent]).toEqual(['h%09ost', '-', 'evil%0D%0AUA']);
  });
});

describe('formatLogTime', () => {
  it.each(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((m, i) => [m, i]))(
    'uses the English month %s in UTC',
    (month, index) => {
      expect(formatLogTime(Date.UTC(2023, index, 9, 8, 7, 6))).toBe(`[09/${month}/2023:08:07:06 +0000]`);
    },
  );

  it('renders UTC where a local time zone would show another day', () => {
    // 23:30 UTC on 31 Dec is already 1 Jan in UTC+1 and still 31 Dec in UTC-5.
    expect(formatLogTime(Date.UTC(2024, 11, 31, 23, 30, 59, 999))).toBe('[31/Dec/2024:23:30:59 +0000]');
    expect(formatLogTime(Date.UTC(2025, 0, 1, 0, 0, 0))).toBe('[01/Jan/2025:00:00:00 +0000]');
    expect(formatLogTime(Date.UTC(2024, 1, 29, 12, 0, 0))).toBe('[29/Feb/2024:12:00:00 +0000]');
  });

  it('does not reuse the cached second for a different second', () => {
    expect(formatLogTime(1_000)).toBe('[01/Jan/1970:00:00:01 +0000]');
    expect(formatLogTime(1_999)).toBe('[01/Jan/1970:00:00:01 +0000]');
    expect(formatLogTime(2_000)).toBe('[01/Jan/1970:00:00:02 +0000]');
  });
});
