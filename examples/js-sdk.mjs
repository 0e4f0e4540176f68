// @aws-sdk/client-s3 against s3scribe: path-style, and virtual-hosted style through *.localhost.
import dns from 'node:dns';
import http from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';

const endpoint = process.env.S3SCRIBE_ENDPOINT ?? 'http://127.0.0.1:4569';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const bucket = `js-${Date.now()}`;

const pathStyle = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
await pathStyle.send(new CreateBucketCommand({ Bucket: bucket }));
await pathStyle.send(new PutObjectCommand({ Bucket: bucket, Key: 'hello.txt', Body: 'hello' }));

// Virtual-hosted style: the SDK sends requests to <bucket>.localhost:<port>. Browsers and
// systemd-resolved map every *.localhost name to loopback; plain glibc does not, so say it here.
const port = new URL(endpoint).port;
const lookup = (hostname, options, callback) =>
  hostname.endsWith('.localhost')
    ? options.all
      ? callback(null, [{ address: '127.0.0.1', family: 4 }])
      : callback(null, '127.0.0.1', 4)
    : dns.lookup(hostname, options, callback);
const virtualHosted = new S3Client({
  endpoint: `http://localhost:${port}`,
  region: 'us-east-1',
  credentials,
  requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, lookup }) }),
});
const got = await virtualHosted.send(new GetObjectCommand({ Bucket: bucket, Key: 'hello.txt' }));
if ((await got.Body.transformToString()) !== 'hello') throw new Error('virtual-hosted GET returned the wrong body');

await pathStyle.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'hello.txt' }));
await pathStyle.send(new DeleteBucketCommand({ Bucket: bucket }));
console.log('js-sdk: ok');
