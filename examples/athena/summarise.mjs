#!/usr/bin/env node
// Summarises the access logs under a prefix of a log bucket: records, top requesters, error rate
// by status class, bytes sent by operation. Lines are read with AWS's Athena regex (athena-table.mjs).
//   node examples/athena/summarise.mjs --bucket my-logs [--prefix logs/] [--endpoint URL] [--top 5]
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parseLine } from './athena-table.mjs';

/** The summary of every record under `prefix` in `bucket`. */
export async function summarise(s3, bucket, prefix = '', top = 5) {
  const records = [];
  let unmatched = 0;
  let token;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const { Key } of page.Contents ?? []) {
      const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
      for (const line of (await obj.Body.transformToString()).split('\n')) {
        if (!line) continue;
        const record = parseLine(line);
        if (record) records.push(record);
        else unmatched++;
      }
    }
    token = page.NextContinuationToken;
  } while (token);
  const tally = (pick, weigh = () => 1) => {
    const counts = new Map();
    for (const r of records) counts.set(pick(r), (counts.get(pick(r)) ?? 0) + weigh(r));
    return [...counts].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  };
  const errors = records.filter((r) => r.httpstatus >= '400').length;
  return {
    records: records.length,
    unmatched,
    errorRate: records.length ? errors / records.length : 0,
    topRequesters: tally((r) => r.requester).slice(0, top),
    statusClasses: tally((r) => (r.httpstatus === '-' ? '-' : `${r.httpstatus[0]}xx`)),
    bytesByOperation: tally(
      (r) => r.operation,
      (r) => (r.bytessent === '-' ? 0 : Number(r.bytessent)),
    ),
  };
}

export function printSummary(s, where) {
  console.log(`${where}: ${s.records} records (${s.unmatched} lines AWS's regex does not match)`);
  console.log(`error rate (4xx and 5xx): ${(s.errorRate * 100).toFixed(1)}%`);
  console.log('top requesters:');
  for (const [who, n] of s.topRequesters) console.log(`  ${String(n).padStart(6)}  ${who}`);
  console.log('status classes:');
  for (const [cls, n] of s.statusClasses) console.log(`  ${String(n).padStart(6)}  ${cls}`);
  console.log('bytes sent by operation:');
  for (const [op, n] of s.bytesByOperation) console.log(`  ${String(n).padStart(10)}  ${op}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string', default: process.env.S3SCRIBE_ENDPOINT ?? 'http://127.0.0.1:4569' },
      bucket: { type: 'string' },
      prefix: { type: 'string', default: '' },
      top: { type: 'string', default: '5' },
    },
  });
  if (!values.bucket) {
    console.error('usage: summarise.mjs --bucket LOG_BUCKET [--prefix PREFIX] [--endpoint URL] [--top N]');
    process.exit(2);
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const s3 = new S3Client({
    endpoint: values.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
    },
  });
  printSummary(
    await summarise(s3, values.bucket, values.prefix, Number(values.top)),
    `s3://${values.bucket}/${values.prefix}`,
  );
  s3.destroy();
}
