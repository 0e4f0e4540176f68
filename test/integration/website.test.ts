import { rm } from 'node:fs/promises';
import { CreateBucketCommand, PutBucketWebsiteCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningServer, startServer } from '../../server/index.js';
import {
  adminFlush,
  enableLogging,
  readLogObjects,
  recordingClient,
  tempDir,
  uniqueBucket,
} from '../helpers/access-logs.js';

describe('Website endpoint (bucket.s3-website.localhost)', () => {
  let root: string;
  let server: RunningServer;
  let s3: S3Client;
  let site: string;
  let logs: string;
  let port: string;

  const get = async (bucket: string, path: string, method = 'GET') => {
    const res = await request(`${server.url}${path}`, {
      method: method as 'GET',
      headers: { host: `${bucket}.s3-website.localhost:${port}` },
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text, requestId: String(res.headers['x-amz-request-id']) };
  };

  beforeAll(async () => {
    root = await tempDir('s3scribe-web-');
    server = await startServer({ port: 0, dataDir: root, logLevel: 'silent', flushInterval: 600_000 });
    port = new URL(server.url).port;
    s3 = recordingClient(server).s3;
    site = uniqueBucket('site');
    logs = uniqueBucket('site-logs');
    await s3.send(new CreateBucketCommand({ Bucket: site, ACL: 'public-read' }));
    await s3.send(new CreateBucketCommand({ Bucket: logs }));
    await enableLogging(s3, site, logs, 'w/');
    const put = (Key: string, Body: string, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}) =>
      s3.send(
        new PutObjectCommand({ Bucket: site, Key, Body, ContentType: 'text/html', ACL: 'public-read', ...extra }),
      );
    await put('index.html', '<h1>home</h1>');
    await put('error.html', '<h1>oops</h1>');
    await put('docs/index.html', '<h1>docs</h1>');
    await put('private.html', 'secret', { ACL: 'private' });
    await put('moved.html', '', { WebsiteRedirectLocation: '/docs/' });
    await s3.send(
      new PutBucketWebsiteCommand({
        Bucket: site,
        WebsiteConfiguration: {
          IndexDocument: { Suffix: 'index.html' },
          ErrorDocument: { Key: 'error.html' },
          RoutingRules: [
            { Condition: { KeyPrefixEquals: 'old/' }, Redirect: { ReplaceKeyPrefixWith: 'docs/' } },
            {
              Condition: { KeyPrefixEquals: 'gone/', HttpErrorCodeReturnedEquals: '404' },
              Redirect: { HostName: 'archive.example.com', HttpRedirectCode: '302', Protocol: 'https' },
            },
          ],
        },
      }),
    );
  });

  afterAll(async () => {
    s3?.destroy();
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  test('index documents: / and folders serve their index.html; a folder without its / is redirected to it', async () => {
    expect(await get(site, '/')).toMatchObject({ status: 200, text: '<h1>home</h1>' });
    expect((await get(site, '/')).headers['content-type']).toBe('text/html');
    expect(await get(site, '/docs/')).toMatchObject({ status: 200, text: '<h1>docs</h1>' });
    const folder = await get(site, '/docs');
    expect(folder.status).toBe(302);
    expect(folder.headers.location).toBe('/docs/');
    const head = await get(site, '/index.html', 'HEAD');
    expect(head).toMatchObject({ status: 200, text: '' });
    expect(head.headers['content-length']).toBe('13');
  });

  test('errors: a missing key and a private object get the error document with 404 and 403', async () => {
    expect(await get(site, '/nope.html')).toMatchObject({ status: 404, text: '<h1>oops</h1>' });
    expect(await get(site, '/private.html')).toMatchObject({ status: 403, text: '<h1>oops</h1>' });
  });

  test('redirects: routing rules by prefix and by error code, and an object that names its own location', async () => {
    const old = await get(site, '/old/guide.html');
    expect(old.status).toBe(301);
    expect(old.headers.location).toBe(`http://${site}.s3-website.localhost:${port}/docs/guide.html`);
    const gone = await get(site, '/gone/x.html');
    expect(gone.status).toBe(302);
    expect(gone.headers.location).toBe('https://archive.example.com/gone/x.html');
    const moved = await get(site, '/moved.html');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('/docs/');
  });

  test('what a website does not do: other methods are 405, a bucket without a website is a 404 page', async () => {
    const put = await get(site, '/index.html', 'PUT');
    expect(put.status).toBe(405);
    expect(put.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(put.text).toContain('<li>Code: MethodNotAllowed</li>');
    const plain = uniqueBucket('plain');
    await s3.send(new CreateBucketCommand({ Bucket: plain }));
    const none = await get(plain, '/');
    expect(none.status).toBe(404);
    expect(none.text).toContain('<li>Code: NoSuchWebsiteConfiguration</li>');
    expect(none.text).toContain(`<li>BucketName: ${plain}</li>`);
    expect(none.text).toContain(`<li>RequestId: ${none.requestId}</li>`);
  });

  test('RedirectAllRequestsTo sends every request to the other host, path kept', async () => {
    const all = uniqueBucket('all');
    await s3.send(new CreateBucketCommand({ Bucket: all }));
    await s3.send(
      new PutBucketWebsiteCommand({
        Bucket: all,
        WebsiteConfiguration: { RedirectAllRequestsTo: { HostName: 'www.example.com', Protocol: 'https' } },
      }),
    );
    const res = await get(all, '/a/b.html');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('https://www.example.com/a/b.html');
  });

  test('access log: WEBSITE.GET.OBJECT and WEBSITE.HEAD.OBJECT records, anonymous, with the key read and the error', async () => {
    const home = await get(site, '/');
    const missing = await get(site, '/nope.html');
    const head = await get(site, '/index.html', 'HEAD');
    await adminFlush(server.url);
    const records = (await readLogObjects(s3, logs, 'w/')).flatMap((o) => o.records);
    const byId = (id: string) => records.find((r) => r.requestId === id);
    expect(byId(home.requestId)).toMatchObject({
      operation: 'WEBSITE.GET.OBJECT',
      key: 'index.html',
      httpStatus: '200',
      requester: '-',
      signatureVersion: '-',
      authType: '-',
    });
    expect(byId(missing.requestId)).toMatchObject({
      operation: 'WEBSITE.GET.OBJECT',
      key: 'nope.html',
      httpStatus: '404',
      errorCode: 'NoSuchKey',
    });
    expect(byId(head.requestId)).toMatchObject({ operation: 'WEBSITE.HEAD.OBJECT', httpStatus: '200' });
  });
});
