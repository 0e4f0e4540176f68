import { describe, expect, it } from 'vitest';
import {
  assertChecksumMatches,
  checksumHeaderName,
  checksumResponseHeaders,
  parseAlgorithm,
  requestedChecksums,
} from '../../../../server/protocol/checksum-headers.js';
import { thrownS3Error } from '../../../helpers/thrown-s3-error.js';

// Base64 digests of "hello" as the SDK sends them (the CRC64NVME value is only the right length).
const CRC32 = 'NhCmhg==';
const CRC64NVME = 'M3eFcAZSQlc=';
const SHA1 = 'qvTGHdzF6KLavt4PO0gs2a6pQ00=';
const SHA256 = 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=';

const requestError = thrownS3Error;

describe('parseAlgorithm', () => {
  it('any case → the upper-case name; absent or empty → undefined', () => {
    expect(parseAlgorithm('crc32')).toBe('CRC32');
    expect(parseAlgorithm('CRC32C')).toBe('CRC32C');
    expect(parseAlgorithm('crc64nvme')).toBe('CRC64NVME');
    expect(parseAlgorithm('Sha1')).toBe('SHA1');
    expect(parseAlgorithm('SHA256')).toBe('SHA256');
    expect(parseAlgorithm(undefined)).toBeUndefined();
    expect(parseAlgorithm('')).toBeUndefined();
  });

  it.each(['MD5', 'crc16', 'sha512'])('%s → InvalidRequest', (value) => {
    const err = requestError(() => parseAlgorithm(value));
    expect(err.code).toBe('InvalidRequest');
    expect(err.status).toBe(400);
  });
});

describe('checksumHeaderName', () => {
  it('x-amz-checksum-<lower-case algorithm>', () => {
    expect(checksumHeaderName('CRC32')).toBe('x-amz-checksum-crc32');
    expect(checksumHeaderName('CRC64NVME')).toBe('x-amz-checksum-crc64nvme');
  });
});

describe('requestedChecksums', () => {
  it('none', () => {
    expect(requestedChecksums({})).toEqual({ algorithms: [], headerValues: {}, trailerAlgorithm: undefined });
  });

  it.each([
    ['x-amz-checksum-crc32', 'CRC32', CRC32],
    ['x-amz-checksum-crc32c', 'CRC32C', 'mnG7TA=='],
    ['x-amz-checksum-crc64nvme', 'CRC64NVME', CRC64NVME],
    ['x-amz-checksum-sha1', 'SHA1', SHA1],
    ['x-amz-checksum-sha256', 'SHA256', SHA256],
  ])('one value header: %s', (header, algorithm, value) => {
    expect(requestedChecksums({ [header]: value })).toEqual({
      algorithms: [algorithm],
      headerValues: { [algorithm]: value },
      trailerAlgorithm: undefined,
    });
  });

  it.each([
    ['x-amz-checksum-crc32', 'AAAA'], // 3 bytes
    ['x-amz-checksum-crc32', 'AAAAAAAA'], // 6 bytes
    ['x-amz-checksum-crc32', 'not base64!'],
    ['x-amz-checksum-sha256', CRC32],
    ['x-amz-checksum-sha1', SHA256],
    ['x-amz-checksum-crc64nvme', CRC32],
    ['x-amz-checksum-crc32', ''],
  ])('a value of the wrong length or alphabet (%s: %j) → InvalidRequest', (header, value) => {
    const err = requestError(() => requestedChecksums({ [header]: value }));
    expect(err.code).toBe('InvalidRequest');
    expect(err.message).toBe(`Value for ${header} header is invalid.`);
  });

  it('two checksum headers → InvalidRequest', () => {
    const err = requestError(() =>
      requestedChecksums({ 'x-amz-checksum-crc32': CRC32, 'x-amz-checksum-sha256': SHA256 }),
    );
    expect(err.code).toBe('InvalidRequest');
    expect(err.message).toBe('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  });

  it('a trailer names the algorithm to expect in the body', () => {
    expect(requestedChecksums({ 'x-amz-trailer': 'x-amz-checksum-crc32c' })).toEqual({
      algorithms: ['CRC32C'],
      headerValues: {},
      trailerAlgorithm: 'CRC32C',
    });
    expect(requestedChecksums({ 'x-amz-trailer': ' X-Amz-Checksum-SHA1 ' }).trailerAlgorithm).toBe('SHA1');
    expect(requestErr({ 'x-amz-trailer': 'x-amz-checksum-md5' }).code).toBe('InvalidRequest');
  });

  it('x-amz-sdk-checksum-algorithm adds its algorithm once', () => {
    expect(
      requestedChecksums({ 'x-amz-sdk-checksum-algorithm': 'CRC32', 'x-amz-checksum-crc32': CRC32 }).algorithms,
    ).toEqual(['CRC32']);
    expect(
      requestedChecksums({ 'x-amz-sdk-checksum-algorithm': 'crc32', 'x-amz-trailer': 'x-amz-checksum-crc32' })
        .algorithms,
    ).toEqual(['CRC32']);
    expect(requestedChecksums({ 'x-amz-sdk-checksum-algorithm': 'SHA256' }).algorithms).toEqual(['SHA256']);
    expect(requestErr({ 'x-amz-sdk-checksum-algorithm': 'md5' }).code).toBe('InvalidRequest');
  });
});

const requestErr = (h: Record<string, string>) => requestError(() => requestedChecksums(h));

describe('assertChecksumMatches', () => {
  it('equal passes; different or missing → BadDigest', () => {
    expect(() => assertChecksumMatches('CRC32', CRC32, CRC32)).not.toThrow();
    const err = requestError(() => assertChecksumMatches('CRC32', CRC32, 'AAAAAA=='));
    expect(err.code).toBe('BadDigest');
    expect(err.message).toBe('The CRC32 you specified did not match the calculated checksum.');
    expect(requestError(() => assertChecksumMatches('SHA1', SHA1, undefined)).code).toBe('BadDigest');
  });
});

describe('checksumResponseHeaders', () => {
  it('one header per stored checksum, and the type when there is one', () => {
    expect(checksumResponseHeaders({ CRC32 }, 'FULL_OBJECT')).toEqual({
      'x-amz-checksum-crc32': CRC32,
      'x-amz-checksum-type': 'FULL_OBJECT',
    });
    expect(checksumResponseHeaders({ SHA256 })).toEqual({ 'x-amz-checksum-sha256': SHA256 });
    expect(checksumResponseHeaders({}, 'COMPOSITE')).toEqual({});
  });
});
