import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { S3Error } from '../../../../errors/s3-error.js';
import type { Identity } from '../../../../server/kit/identity.js';
import { AwsChunkedDecoder } from '../../../../server/protocol/aws-chunked.js';
import { ChunkSignatureChain } from '../../../../server/signature/chunk-signatures.js';
import { signingKey } from '../../../../server/signature/signing-key.js';
import { sigV2StringToSign } from '../../../../server/signature/sigv2.js';
import { type SignedRequest, verifyRequest } from '../../../../server/signature/verify-request.js';

// The examples AWS publishes with their signatures:
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html (GET, PUT)
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html (signed chunks)
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html (signed trailer)
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html (SigV2)
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const AT = Date.UTC(2013, 4, 24);
const SCOPE = '20130524/us-east-1/s3/aws4_request';
const identity: Identity = {
  accessKeyId: KEY,
  secretAccessKey: SECRET,
  accountId: '123456789012',
  canonicalId: 'c'.repeat(64),
  displayName: 'example',
  arn: 'arn:aws:iam::123456789012:root',
};
const lookup = (k: string) => (k === KEY ? identity : undefined);

function request(method: string, rawUrl: string, headers: Record<string, string>, now = AT): SignedRequest {
  const rawHeaders = Object.entries(headers).flat();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const q = rawUrl.indexOf('?');
  return {
    method,
    rawUrl,
    headers: lower,
    rawHeaders,
    query: new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)),
    now,
  };
}

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as S3Error).code;
  }
  return undefined;
};

const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const getExample = (signature: string, extra: Record<string, string> = {}) =>
  request('GET', '/test.txt', {
    Host: 'examplebucket.s3.amazonaws.com',
    Range: 'bytes=0-9',
    'x-amz-content-sha256': EMPTY,
    'x-amz-date': '20130524T000000Z',
    Authorization: `AWS4-HMAC-SHA256 Credential=${KEY}/${SCOPE},SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=${signature}`,
    ...extra,
  });

describe('SigV4 header auth against AWS published examples', () => {
  test('GET Object example verifies', () => {
    const out = verifyRequest(getExample('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'), lookup);
    expect(out?.identity.accessKeyId).toBe(KEY);
  });

  test('PUT Object example (with a signed payload hash) verifies and asks the body for its SHA-256', () => {
    const out = verifyRequest(
      request('PUT', '/test%24file.text', {
        Host: 'examplebucket.s3.amazonaws.com',
        Date: 'Fri, 24 May 2013 00:00:00 GMT',
        Authorization: `AWS4-HMAC-SHA256 Credential=${KEY}/${SCOPE},SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd`,
        'x-amz-date': '20130524T000000Z',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
        'Content-Length': '21',
      }),
      lookup,
    );
    expect(out?.payload?.sha256Hex).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
  });

  test('a tampered signed header, a wrong key, a stale date and a wrong region each fail with S3 codes', () => {
    const good = 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41';
    expect(codeOf(() => verifyRequest(getExample(good, { Range: 'bytes=0-10' }), lookup))).toBe(
      'SignatureDoesNotMatch',
    );
    expect(codeOf(() => verifyRequest(getExample(good), () => undefined))).toBe('InvalidAccessKeyId');
    const late = { ...getExample(good), now: AT + 16 * 60_000 };
    expect(codeOf(() => verifyRequest(late, lookup))).toBe('RequestTimeTooSkewed');
    const region = { ...getExample(good), expectedRegion: 'eu-west-1' };
    expect(codeOf(() => verifyRequest(region, lookup))).toBe('AuthorizationHeaderMalformed');
    const { 'x-amz-content-sha256': _, ...noHash } = getExample(good).headers;
    expect(codeOf(() => verifyRequest({ ...getExample(good), headers: noHash }, lookup))).toBe('InvalidRequest');
  });

  test('the SignatureDoesNotMatch body carries the canonical request S3 computed', () => {
    try {
      verifyRequest(getExample('0'.repeat(64)), lookup);
      expect.unreachable();
    } catch (err) {
      const details = (err as S3Error).details;
      expect(details.CanonicalRequest).toBe(
        `GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:${EMPTY}\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n${EMPTY}`,
      );
      expect(details.StringToSign).toBe(
        `AWS4-HMAC-SHA256\n20130524T000000Z\n${SCOPE}\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972`,
      );
      expect(details.StringToSignBytes).toMatch(/^41 57 53 34 2d /);
    }
  });
});

describe('Presigned SigV4 against the AWS published example', () => {
  const url =
    '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
  const host = { Host: 'examplebucket.s3.amazonaws.com' };

  test('verifies within its life, expires after it', () => {
    expect(verifyRequest(request('GET', url, host, AT + 3_600_000), lookup)?.identity.accessKeyId).toBe(KEY);
    expect(codeOf(() => verifyRequest(request('GET', url, host, AT + 86_401_000), lookup))).toBe('AccessDenied');
    expect(codeOf(() => verifyRequest(request('GET', url.replace('test.txt', 'test2.txt'), host), lookup))).toBe(
      'SignatureDoesNotMatch',
    );
  });
});

const chunk = (size: number, sig: string, fill = 'a') =>
  Buffer.concat([
    Buffer.from(`${size.toString(16)};chunk-signature=${sig}\r\n`),
    Buffer.alloc(size, fill),
    Buffer.from('\r\n'),
  ]);

async function decode(body: Buffer, chain: ChunkSignatureChain): Promise<Buffer> {
  const decoder = new AwsChunkedDecoder(chain);
  const out: Buffer[] = [];
  // One byte at a time, with the rest, proves the chain does not depend on how bytes arrive.
  for await (const piece of Readable.from([body.subarray(0, 1), body.subarray(1)]).pipe(decoder)) out.push(piece);
  return Buffer.concat(out);
}

describe('Signed aws-chunked bodies against the AWS published examples', () => {
  const key = signingKey(SECRET, '20130524', 'us-east-1', 's3');
  const sigs = [
    'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
  ];
  const seed = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
  const chain = (signedTrailer = false, from = seed) =>
    new ChunkSignatureChain(from, key, '20130524T000000Z', SCOPE, signedTrailer);
  const body = (s = sigs, second = 'a') =>
    Buffer.concat([chunk(65536, s[0]!), chunk(1024, s[1]!, second), Buffer.from(`0;chunk-signature=${s[2]}\r\n\r\n`)]);

  test('the seed request verifies and the three chunk signatures chain from it', async () => {
    const out = verifyRequest(
      request('PUT', '/examplebucket/chunkObject.txt', {
        Host: 's3.amazonaws.com',
        'x-amz-date': '20130524T000000Z',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        Authorization: `AWS4-HMAC-SHA256 Credential=${KEY}/${SCOPE},SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${seed}`,
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'Content-Encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '66560',
        'Content-Length': '66824',
      }),
      lookup,
    );
    expect(out?.payload?.chunks).toBeDefined();
    const data = await decode(body(), out!.payload!.chunks!);
    expect(data.length).toBe(66560);
  });

  test('a changed byte, a swapped signature, a dropped chunk are SignatureDoesNotMatch', async () => {
    await expect(decode(body(sigs, 'b'), chain())).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    await expect(decode(body([sigs[0]!, sigs[0]!, sigs[2]!]), chain())).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    const dropped = Buffer.concat([chunk(65536, sigs[0]!), Buffer.from(`0;chunk-signature=${sigs[2]}\r\n\r\n`)]);
    await expect(decode(dropped, chain())).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    await expect(decode(body(), chain(false, sigs[0]))).rejects.toBeInstanceOf(S3Error);
  });

  test('the trailer example: chunk signatures and the trailer signature', async () => {
    const t = [
      'b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
      '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7',
      '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992',
    ];
    const trailerSeed = '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e';
    const trailerSig = 'd81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435';
    const withTrailer = (crc: string, sig: string) =>
      Buffer.concat([
        chunk(65536, t[0]!),
        chunk(1024, t[1]!),
        Buffer.from(
          `0;chunk-signature=${t[2]}\r\nx-amz-checksum-crc32c:${crc}\r\nx-amz-trailer-signature:${sig}\r\n\r\n`,
        ),
      ]);
    const decoded = await decode(withTrailer('sOO8/Q==', trailerSig), chain(true, trailerSeed));
    expect(decoded.length).toBe(66560);
    await expect(decode(withTrailer('AAAAAA==', trailerSig), chain(true, trailerSeed))).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
  });
});

describe('SigV2 StringToSign against the AWS published examples', () => {
  test('GET object, virtual-hosted: the bucket joins the resource', () => {
    expect(
      sigV2StringToSign({
        method: 'GET',
        rawPath: '/photos/puppy.jpg',
        rawQuery: '',
        rawHeaders: ['Host', 'awsexamplebucket1.us-west-1.s3.amazonaws.com', 'Date', 'Tue, 27 Mar 2007 19:36:42 +0000'],
        hostBucket: 'awsexamplebucket1',
      }),
    ).toBe('GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/awsexamplebucket1/photos/puppy.jpg');
  });

  test('x-amz-date empties the Date line; x-amz headers are sorted, repeated values joined', () => {
    expect(
      sigV2StringToSign({
        method: 'PUT',
        rawPath: '/db-backup.dat.gz',
        rawQuery: 'acl',
        rawHeaders: [
          'Content-Type',
          'application/x-download',
          'Content-MD5',
          '4gJE4saaMU4BqNR0kLY+lw==',
          'X-Amz-Meta-ReviewedBy',
          'joe@example.com',
          'X-Amz-Meta-ReviewedBy',
          'jane@example.com',
          'X-Amz-Meta-FileChecksum',
          '0x02661779',
          'x-amz-date',
          'Tue, 27 Mar 2007 21:06:08 +0000',
        ],
        hostBucket: 'static.example.com',
      }),
    ).toBe(
      'PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\n\nx-amz-date:Tue, 27 Mar 2007 21:06:08 +0000\nx-amz-meta-filechecksum:0x02661779\nx-amz-meta-reviewedby:joe@example.com,jane@example.com\n/static.example.com/db-backup.dat.gz?acl',
    );
  });
});
