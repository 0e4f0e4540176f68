import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningServer, startServer } from '../../server/index.js';
import { canonicalIdOf } from '../../server/kit/identity.js';
import type { ParsedAccessLogRecord } from '../helpers/access-log-parser.js';
import { adminFlush, enableLogging, readLogObjects, tempDir, uniqueBucket } from '../helpers/access-logs.js';
import { independentSigner, sha256Hex } from '../helpers/independent-signer.js';

const run = promisify(execFile);
const ACCOUNT = '111122223333';
const KEY = 'AKIAALICEEXAMPLE0001';
const SECRET = 'alice/secret+Key0000000000000000000000000';
const REQUESTER = canonicalIdOf(ACCOUNT);

/** What a refused request must look like, answered and logged. */
interface Refusal {
  status: number;
  code: string;
  requestId: string;
}

describe('Signature verification (--verify-signatures)', () => {
  let root: string;
  let server: RunningServer;
  let s3: S3Client;
  let bucket: string;
  let logs: string;
  let host: string;

  beforeAll(async () => {
    root = await tempDir('s3scribe-sig-');
    server = await startServer({
      port: 0,
      dataDir: join(root, 'data'),
      logLevel: 'silent',
      flushInterval: 600_000,
      verifySignatures: true,
      identities: [{ accessKeyId: KEY, secretAccessKey: SECRET, accountId: ACCOUNT }],
    });
    host = new URL(server.url).host;
    s3 = new S3Client({ ...server.s3ClientConfig, maxAttempts: 1 });
    bucket = uniqueBucket('signed');
    logs = uniqueBucket('signed-logs');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new CreateBucketCommand({ Bucket: logs }));
    await enableLogging(s3, bucket, logs, 'l/');
  });

  afterAll(async () => {
    s3?.destroy();
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  const records = async (): Promise<ParsedAccessLogRecord[]> => {
    await adminFlush(server.url);
    return (await readLogObjects(s3, logs, 'l/')).flatMap((o) => o.records);
  };
  const recordOf = async (requestId: string): Promise<ParsedAccessLogRecord> => {
    const found = (await records()).find((r) => r.requestId === requestId);
    if (!found) throw new Error(`no access-log record for ${requestId}`);
    return found;
  };

  /** Sends a request as the independent signer signed it, after `tamper` changes what it likes. */
  async function sendSigned(
    method: string,
    path: string,
    opts: {
      body?: string | Buffer;
      headers?: Record<string, string>;
      query?: Record<string, string>;
      secret?: string;
      key?: string;
      signingDate?: Date;
      tamper?: (r: {
        method: string;
        path: string;
        qs: string;
        headers: Record<string, string>;
        body?: string | Buffer;
      }) => void;
    } = {},
  ): Promise<{ status: number; text: string; requestId: string }> {
    const body = opts.body ?? '';
    const signer = independentSigner(opts.key ?? KEY, opts.secret ?? SECRET);
    const signed = await signer.sign(
      {
        method,
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: Number(new URL(server.url).port),
        path,
        query: opts.query ?? {},
        headers: {
          host,
          'x-amz-content-sha256': sha256Hex(body),
          ...(body.length ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
          ...opts.headers,
        },
        body,
      },
      { signingDate: opts.signingDate },
    );
    const qs = new URLSearchParams(opts.query ?? {}).toString().replace(/\+/g, '%20');
    const req = { method, path, qs, headers: { ...(signed.headers as Record<string, string>) }, body: opts.body };
    opts.tamper?.(req);
    const url = `${server.url}${req.path}${req.qs ? `?${req.qs}` : ''}`;
    const res = await request(url, { method: req.method as 'GET', headers: req.headers, body: req.body });
    const text = await res.body.text();
    return { status: res.statusCode, text, requestId: String(res.headers['x-amz-request-id'] ?? '') };
  }

  const refusal = (r: { status: number; text: string; requestId: string }): Refusal => ({
    status: r.status,
    code: /<Code>([^<]+)<\/Code>/.exec(r.text)?.[1] ?? '',
    requestId: r.requestId,
  });

  test('JS SDK: signed payloads, aws-chunked trailers, special keys and queries verify; records name the caller', async () => {
    const key = 'dir one/ü+plus!(x)*~.txt';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'hello' }));
    const streamed = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'streamed.bin',
        Body: Readable.from([Buffer.alloc(70_000, 7)]),
        ContentLength: 70_000,
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    expect(streamed.ChecksumCRC32).toBeDefined();
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(await got.Body!.transformToString()).toBe('hello');
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'dir one/', Delimiter: '/', StartAfter: 'a=b&c' }),
    );
    expect(listed.Contents?.map((o) => o.Key)).toEqual([key]);
    const requestId = got.$metadata.requestId!;
    const record = await recordOf(requestId);
    expect(record).toMatchObject({
      operation: 'REST.GET.OBJECT',
      httpStatus: '200',
      requester: REQUESTER,
      signatureVersion: 'SigV4',
      authType: 'AuthHeader',
    });
  });

  test('JS SDK with a wrong secret: SignatureDoesNotMatch with the canonical request, logged with requester -', async () => {
    const wrong = new S3Client({
      ...server.s3ClientConfig,
      credentials: { accessKeyId: KEY, secretAccessKey: 'not-the-secret' },
      maxAttempts: 1,
    });
    const err = await wrong
      .send(new GetObjectCommand({ Bucket: bucket, Key: 'streamed.bin' }))
      .catch((e: { name: string; $metadata: { httpStatusCode: number; requestId: string } }) => e);
    wrong.destroy();
    const e = err as { name: string; $metadata: { httpStatusCode: number; requestId: string } };
    expect(e.name).toBe('SignatureDoesNotMatch');
    expect(e.$metadata.httpStatusCode).toBe(403);
    const record = await recordOf(e.$metadata.requestId);
    expect(record).toMatchObject({
      httpStatus: '403',
      errorCode: 'SignatureDoesNotMatch',
      requester: '-',
      signatureVersion: 'SigV4',
      authType: 'AuthHeader',
    });
  });

  test('an unknown access key is InvalidAccessKeyId (403), logged', async () => {
    const r = refusal(await sendSigned('GET', `/${bucket}/streamed.bin`, { key: 'AKIAUNKNOWN000000000' }));
    expect(r).toMatchObject({ status: 403, code: 'InvalidAccessKeyId' });
    expect(await recordOf(r.requestId)).toMatchObject({ errorCode: 'InvalidAccessKeyId', requester: '-' });
  });

  test('the error body carries what S3 computed: AWSAccessKeyId, StringToSign, CanonicalRequest and their bytes', async () => {
    const res = await sendSigned('GET', `/${bucket}/streamed.bin`, { secret: 'wrong' });
    expect(res.status).toBe(403);
    for (const element of [
      'AWSAccessKeyId',
      'StringToSign',
      'SignatureProvided',
      'StringToSignBytes',
      'CanonicalRequest',
      'CanonicalRequestBytes',
      'RequestId',
    ])
      expect(res.text).toContain(`<${element}>`);
    expect(res.text).toContain(`<CanonicalRequest>GET\n/${bucket}/streamed.bin\n`);
  });

  test('each signed part tampered with is refused and logged; the untampered request passes', async () => {
    const path = `/${bucket}/tamper.txt`;
    const put = (tamper?: Parameters<typeof sendSigned>[2]['tamper'], extra: Parameters<typeof sendSigned>[2] = {}) =>
      sendSigned('PUT', path, { body: 'hello', headers: { 'x-amz-meta-color': 'blue' }, tamper, ...extra });
    expect((await put()).status).toBe(200);
    type Tamper = NonNullable<Parameters<typeof sendSigned>[2]['tamper']>;
    const nextSecond = (date: string) => date.replace(/\d(?=Z$)/, (d) => String((Number(d) + 1) % 10));
    const tampers: [string, Tamper | Parameters<typeof sendSigned>[2], string, number][] = [
      [
        'method',
        (r) => {
          r.method = 'POST';
        },
        'SignatureDoesNotMatch',
        403,
      ],
      [
        'path',
        (r) => {
          r.path = `/${bucket}/other.txt`;
        },
        'SignatureDoesNotMatch',
        403,
      ],
      [
        'query',
        (r) => {
          r.qs = 'x-id=PutObject';
        },
        'SignatureDoesNotMatch',
        403,
      ],
      [
        'signed header',
        (r) => {
          r.headers['x-amz-meta-color'] = 'red';
        },
        'SignatureDoesNotMatch',
        403,
      ],
      [
        'payload',
        (r) => {
          r.body = 'hellx';
        },
        'XAmzContentSHA256Mismatch',
        400,
      ],
      [
        'payload hash',
        (r) => {
          r.headers['x-amz-content-sha256'] = sha256Hex('hellx');
        },
        'SignatureDoesNotMatch',
        403,
      ],
      [
        'date',
        (r) => {
          r.headers['x-amz-date'] = nextSecond(r.headers['x-amz-date']!);
        },
        'SignatureDoesNotMatch',
        403,
      ],
      ['old date', { signingDate: new Date(Date.now() - 20 * 60_000) }, 'RequestTimeTooSkewed', 403],
      ['secret', { secret: 'guessed' }, 'SignatureDoesNotMatch', 403],
      [
        'region',
        (r) => {
          r.headers.authorization = r.headers.authorization!.replace('/us-east-1/', '/eu-west-1/');
        },
        'AuthorizationHeaderMalformed',
        400,
      ],
      [
        'missing payload hash',
        (r) => {
          delete r.headers['x-amz-content-sha256'];
        },
        'InvalidRequest',
        400,
      ],
    ];
    const cases = tampers.map(
      ([name, how, code, status]) =>
        [name, typeof how === 'function' ? put(how) : put(undefined, how), code, status] as const,
    );
    for (const [name, pending, code, status] of cases) {
      const r = refusal(await pending);
      expect({ name, status: r.status, code: r.code }).toEqual({ name, status, code });
      const record = await recordOf(r.requestId);
      expect({ name, ...pick(record) }).toEqual({
        name,
        httpStatus: String(status),
        errorCode: code,
        // A body that fails its signed hash comes from a caller whose signed head checked out.
        requester: code === 'XAmzContentSHA256Mismatch' ? REQUESTER : '-',
        signatureVersion: 'SigV4',
        authType: 'AuthHeader',
      });
    }
    // Nothing the refused requests carried was stored.
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'tamper.txt' }));
    expect(await stored.Body!.transformToString()).toBe('hello');
    expect(stored.Metadata).toEqual({ color: 'blue' });
  });

  test('signed aws-chunked body: each chunk verifies; a changed byte is SignatureDoesNotMatch and nothing is stored', async () => {
    const signer = independentSigner(KEY, SECRET);
    const data = [Buffer.alloc(65536, 'a'), Buffer.alloc(1024, 'b')];
    const send = async (key: string, tamper: boolean) => {
      const signingDate = new Date();
      const length = data.reduce((n, d) => n + d.length, 0);
      const framedLength = data.reduce((n, d) => n + d.length.toString(16).length + 85 + d.length, 0) + 86;
      const signed = await signer.sign(
        {
          method: 'PUT',
          protocol: 'http:',
          hostname: '127.0.0.1',
          path: `/${bucket}/${key}`,
          query: {},
          headers: {
            host,
            'content-encoding': 'aws-chunked',
            'content-length': String(framedLength),
            'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
            'x-amz-decoded-content-length': String(length),
          },
        },
        { signingDate },
      );
      const headers = signed.headers as Record<string, string>;
      let previous = /Signature=([0-9a-f]{64})/.exec(headers.authorization!)![1]!;
      const amzDate = headers['x-amz-date']!;
      const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
      const parts: Buffer[] = [];
      for (const chunk of [...data, Buffer.alloc(0)]) {
        const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, previous, sha256Hex(''), sha256Hex(chunk)].join(
          '\n',
        );
        previous = await signer.sign(toSign, { signingDate });
        const sent = tamper && chunk.length === 1024 ? Buffer.alloc(1024, 'c') : chunk;
        parts.push(
          Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`),
          sent,
          Buffer.from('\r\n'),
        );
      }
      const body = Buffer.concat(parts);
      expect(body.length).toBe(framedLength);
      const res = await request(`${server.url}/${bucket}/${key}`, { method: 'PUT', headers, body });
      return {
        status: res.statusCode,
        text: await res.body.text(),
        requestId: String(res.headers['x-amz-request-id']),
      };
    };
    expect((await send('chunked-ok.bin', false)).status).toBe(200);
    const ok = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'chunked-ok.bin' }));
    expect(Buffer.from(await ok.Body!.transformToByteArray())).toEqual(Buffer.concat(data));
    const bad = refusal(await send('chunked-bad.bin', true));
    expect(bad).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    const missing = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'chunked-bad.bin' })).catch((e) => e);
    expect((missing as Error).name).toBe('NoSuchKey');
    // The head's signature held, so the caller is known; the body failed its own proof (as a BadDigest would).
    expect(await recordOf(bad.requestId)).toMatchObject({ errorCode: 'SignatureDoesNotMatch', requester: REQUESTER });
  });

  test('presigned GET and PUT (SDK presigner) verify within their life; a changed or expired URL is refused', async () => {
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: 'presigned.txt' }), {
      expiresIn: 60,
    });
    const put = await request(putUrl, { method: 'PUT', body: 'via url' });
    await put.body.text();
    expect(put.statusCode).toBe(200);
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'presigned.txt' }), {
      expiresIn: 60,
    });
    const got = await request(getUrl);
    expect(await got.body.text()).toBe('via url');
    const gotRecord = await recordOf(String(got.headers['x-amz-request-id']));
    expect(gotRecord).toMatchObject({ requester: REQUESTER, signatureVersion: 'SigV4', authType: 'QueryString' });

    const changed = await request(getUrl.replace('presigned.txt', 'streamed.bin'));
    expect(refusal({ status: changed.statusCode, text: await changed.body.text(), requestId: '' })).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    const old = new Date(Date.now() - 120_000);
    const expiredUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'presigned.txt' }), {
      expiresIn: 60,
      signingDate: old,
    });
    const expired = await request(expiredUrl);
    const text = await expired.body.text();
    expect(expired.statusCode).toBe(403);
    expect(text).toContain('Request has expired');
    const record = await recordOf(String(expired.headers['x-amz-request-id']));
    expect(record).toMatchObject({ errorCode: 'AccessDenied', requester: '-', authType: 'QueryString' });
  });

  test('presigned POST (SDK): the policy signature verifies; a forged one is SignatureDoesNotMatch', async () => {
    const { url, fields } = await createPresignedPost(s3, { Bucket: bucket, Key: 'posted.txt', Expires: 60 });
    const post = async (f: Record<string, string>) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(f)) form.append(k, v);
      form.append('file', new Blob(['posted']), 'posted.txt');
      const res = await fetch(url, { method: 'POST', body: form });
      return { status: res.status, text: await res.text(), requestId: res.headers.get('x-amz-request-id') ?? '' };
    };
    expect((await post(fields)).status).toBe(204);
    const forged = refusal(await post({ ...fields, 'X-Amz-Signature': '0'.repeat(64) }));
    expect(forged).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  describe('real clients', () => {
    let work: string;
    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 's3scribe-sig-clients-'));
    });
    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
    });

    const port = () => new URL(server.url).port;

    test('boto3 (SigV4 and SigV2): right secret works, wrong secret is SignatureDoesNotMatch', async () => {
      const script = `
import sys, boto3, botocore
from botocore.config import Config
ep, bucket, key, secret = sys.argv[1:5]
for version in ("s3v4", "s3"):
    def client(s):
        return boto3.client("s3", endpoint_url=ep, region_name="us-east-1", aws_access_key_id=key,
            aws_secret_access_key=s, config=Config(signature_version=version, s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
    c = client(secret)
    c.put_object(Bucket=bucket, Key="boto-" + version, Body=b"from boto3")
    assert c.get_object(Bucket=bucket, Key="boto-" + version)["Body"].read() == b"from boto3"
    try:
        client("wrong").get_object(Bucket=bucket, Key="boto-" + version)
        print(version, "accepted")
    except botocore.exceptions.ClientError as e:
        print(version, e.response["Error"]["Code"])
`;
      const file = join(work, 'boto.py');
      await writeFile(file, script);
      const { stdout } = await run('python3', [file, server.url, bucket, KEY, SECRET], { timeout: 60_000 });
      expect(stdout.trim().split('\n')).toEqual(['s3v4 SignatureDoesNotMatch', 's3 SignatureDoesNotMatch']);
      const byKey = new Map(
        (await records())
          .filter((r) => r.key?.startsWith('boto-'))
          .map((r) => [`${r.operation} ${r.key} ${r.httpStatus}`, r]),
      );
      expect(byKey.get('REST.PUT.OBJECT boto-s3 200')?.signatureVersion).toBe('SigV2');
      expect(byKey.get('REST.PUT.OBJECT boto-s3v4 200')?.signatureVersion).toBe('SigV4');
      expect(byKey.get('REST.GET.OBJECT boto-s3 403')).toMatchObject({
        errorCode: 'SignatureDoesNotMatch',
        signatureVersion: 'SigV2',
        requester: '-',
      });
    });

    test('AWS CLI: s3 cp up and down with the right key; a wrong secret fails', async () => {
      const env = {
        ...process.env,
        AWS_ACCESS_KEY_ID: KEY,
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      };
      const src = join(work, 'cli.txt');
      await writeFile(src, 'from the cli');
      await run('aws', ['--endpoint-url', server.url, 's3', 'cp', src, `s3://${bucket}/cli.txt`], {
        env,
        timeout: 60_000,
      });
      await run('aws', ['--endpoint-url', server.url, 's3', 'cp', `s3://${bucket}/cli.txt`, `${src}.back`], {
        env,
        timeout: 60_000,
      });
      expect(await readFile(`${src}.back`, 'utf8')).toBe('from the cli');
      const failed = await run(
        'aws',
        ['--endpoint-url', server.url, 's3api', 'head-object', '--bucket', bucket, '--key', 'cli.txt'],
        { env: { ...env, AWS_SECRET_ACCESS_KEY: 'wrong' }, timeout: 60_000 },
      ).catch((e: { stderr: string }) => e);
      expect((failed as { stderr: string }).stderr).toMatch(/403|Forbidden/);
    });

    test('rclone: a multipart upload (5 MiB parts) and its download verify; a wrong secret is refused', async () => {
      const { AWS_CA_BUNDLE: _bundle, ...base } = process.env; // rclone refuses a CA bundle on plain HTTP
      const env = (secret: string) => ({
        ...base,
        RCLONE_CONFIG_S_TYPE: 's3',
        RCLONE_CONFIG_S_PROVIDER: 'Other',
        RCLONE_CONFIG_S_ENDPOINT: server.url,
        RCLONE_CONFIG_S_ACCESS_KEY_ID: KEY,
        RCLONE_CONFIG_S_SECRET_ACCESS_KEY: secret,
        RCLONE_CONFIG_S_FORCE_PATH_STYLE: 'true',
        RCLONE_CONFIG_S_REGION: 'us-east-1',
      });
      const src = join(work, 'rclone.bin');
      const data = Buffer.alloc(12 * 1024 * 1024);
      for (let i = 0; i < data.length; i += 4096) data.writeUInt32LE(i, i);
      await writeFile(src, data);
      const flags = ['--s3-upload-cutoff', '5M', '--s3-chunk-size', '5M'];
      await run('rclone', ['copyto', src, `s:${bucket}/rclone.bin`, ...flags], { env: env(SECRET), timeout: 120_000 });
      await run('rclone', ['copyto', `s:${bucket}/rclone.bin`, `${src}.back`], { env: env(SECRET), timeout: 120_000 });
      expect((await readFile(`${src}.back`)).equals(data)).toBe(true);
      const failed = await run('rclone', ['ls', `s:${bucket}`], { env: env('wrong'), timeout: 60_000 }).catch(
        (e: { stderr: string }) => e,
      );
      expect((failed as { stderr: string }).stderr).toContain('SignatureDoesNotMatch');
    });

    test('s3cmd with SigV4 and with SigV2, and its SigV2 presigned URL', async () => {
      const config = (v2: boolean, secret = SECRET) =>
        `[default]\naccess_key = ${KEY}\nsecret_key = ${secret}\nhost_base = 127.0.0.1:${port()}\nhost_bucket = 127.0.0.1:${port()}\nuse_https = False\nsignature_v2 = ${v2 ? 'True' : 'False'}\nbucket_location = us-east-1\n`;
      const src = join(work, 's3cmd.txt');
      await writeFile(src, 'from s3cmd');
      for (const v2 of [false, true]) {
        const cfg = join(work, `s3cmd-${v2}.cfg`);
        await writeFile(cfg, config(v2));
        await run('s3cmd', ['-c', cfg, 'put', src, `s3://${bucket}/s3cmd-${v2 ? 'v2' : 'v4'}.txt`], {
          timeout: 60_000,
        });
        const { stdout } = await run('s3cmd', ['-c', cfg, 'ls', `s3://${bucket}/s3cmd-`], { timeout: 60_000 });
        expect(stdout).toContain(`s3cmd-${v2 ? 'v2' : 'v4'}.txt`);
        const badCfg = join(work, `s3cmd-bad-${v2}.cfg`);
        await writeFile(badCfg, config(v2, 'wrong'));
        const failed = await run('s3cmd', ['-c', badCfg, 'ls', `s3://${bucket}/`], { timeout: 60_000 }).catch(
          (e: { stderr: string; stdout: string }) => e,
        );
        expect(`${(failed as { stderr: string }).stderr}`).toMatch(/SignatureDoesNotMatch|403/);
      }
      const cfg = join(work, 's3cmd-true.cfg');
      const { stdout: signed } = await run('s3cmd', ['-c', cfg, 'signurl', `s3://${bucket}/s3cmd-v2.txt`, '+60'], {
        timeout: 60_000,
      });
      const url = signed.trim().replace(/^https?:\/\/[^/]+/, server.url);
      const res = await request(url);
      expect(await res.body.text()).toBe('from s3cmd');
      const record = await recordOf(String(res.headers['x-amz-request-id']));
      expect(record).toMatchObject({ signatureVersion: 'SigV2', authType: 'QueryString', requester: REQUESTER });
    });
  });

  test('anonymous requests stay anonymous: AccessDenied, no identity', async () => {
    const res = await request(`${server.url}/${bucket}/streamed.bin`);
    expect(res.statusCode).toBe(403);
    await res.body.text();
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'streamed.bin' }));
  });
});

const pick = (r: ParsedAccessLogRecord) => ({
  httpStatus: r.httpStatus,
  errorCode: r.errorCode,
  requester: r.requester,
  signatureVersion: r.signatureVersion,
  authType: r.authType,
});
