#!/usr/bin/env node
// AWS's Athena analysis of S3 server access logs, offline: makes some traffic on s3scribe, syncs the
// delivered log objects to a temp directory, builds AWS's table (create-table.sql: the same columns
// and regular expression) in DuckDB, runs queries.sql and checks the answers against the traffic.
//   S3SCRIBE_ENDPOINT=http://127.0.0.1:4569 node examples/athena/run-duckdb.mjs
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketLoggingCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { COLUMNS, PATTERN } from './athena-table.mjs';
import { printSummary, summarise } from './summarise.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const endpoint = process.env.S3SCRIBE_ENDPOINT ?? 'http://127.0.0.1:4569';
const s3 = new S3Client({
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const run = Date.now().toString(36);
const source = `athena-src-${run}`;
const target = `athena-logs-${run}`;
const work = await mkdtemp(join(tmpdir(), 's3scribe-athena-'));

function check(ok, what) {
  if (!ok) throw new Error(`athena example: ${what}`);
}

try {
  // Traffic with known answers.
  await s3.send(new CreateBucketCommand({ Bucket: source }));
  await s3.send(new CreateBucketCommand({ Bucket: target }));
  await s3.send(
    new PutBucketLoggingCommand({
      Bucket: source,
      BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: 'logs/' } },
    }),
  );
  for (const key of ['report.csv', 'data/a.json', 'data/b.json'])
    await s3.send(new PutObjectCommand({ Bucket: source, Key: key, Body: `contents of ${key}` }));
  const got = await s3.send(new GetObjectCommand({ Bucket: source, Key: 'data/a.json' }));
  await got.Body.transformToString();
  await s3.send(new GetObjectCommand({ Bucket: source, Key: 'missing.txt' })).catch(() => undefined);
  await s3.send(new DeleteObjectCommand({ Bucket: source, Key: 'report.csv' }));
  const anonymous = await fetch(`${endpoint}/${source}/data/b.json`); // no credentials: 403
  await anonymous.text();
  check(anonymous.status === 403, `an anonymous GET answered ${anonymous.status}`);
  const flushed = await fetch(`${endpoint}/_s3scribe/logs/flush`, {
    method: 'POST',
    headers: { 'x-s3scribe-admin': '1' },
  });
  check(flushed.ok, `flush answered ${flushed.status}`);

  // "Sync" the log prefix, as `aws s3 sync s3://target/logs/ ./logs` would.
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: target, Prefix: 'logs/' }));
  let lines = 0;
  for (const { Key } of listed.Contents ?? []) {
    const obj = await s3.send(new GetObjectCommand({ Bucket: target, Key }));
    const text = await obj.Body.transformToString();
    lines += text.split('\n').filter(Boolean).length;
    await writeFile(join(work, Key.replaceAll('/', '_')), text);
  }
  check(lines >= 8, `expected at least 8 delivered records, found ${lines}`);

  // AWS's table in DuckDB: RegexSerDe's regular expression over each line, its columns and types.
  const db = await DuckDBInstance.create(':memory:');
  const sql = await db.connect();
  const pattern = PATTERN.replaceAll("'", "''");
  await sql.run(`CREATE TABLE lines AS
    SELECT line FROM (SELECT unnest(string_split(content, chr(10))) AS line FROM read_text('${work}/*'))
    WHERE line <> ''`);
  const names = COLUMNS.map((c) => `'${c.name}'`).join(', ');
  const columns = COLUMNS.map((c) =>
    c.type === 'BIGINT' ? `TRY_CAST(f.${c.name} AS BIGINT) AS ${c.name}` : `f.${c.name} AS ${c.name}`,
  ).join(', ');
  await sql.run(`CREATE VIEW s3_access_logs AS
    SELECT ${columns} FROM (
      SELECT regexp_extract(line, '${pattern}', [${names}]) AS f FROM lines
      WHERE regexp_full_match(line, '${pattern}'))`);
  const count = async (q) => Number((await sql.runAndReadAll(q)).getRowObjectsJson()[0].n);
  const total = await count('SELECT count(*) AS n FROM lines');
  const matched = await count('SELECT count(*) AS n FROM s3_access_logs');
  console.log(`athena example: ${total} records synced from ${target}/logs/, ${matched} match AWS's regex`);
  check(total === lines && matched === total, `${total - matched} of ${total} lines do not match AWS's regex`);

  const answers = {};
  const queries = (await readFile(new URL('./queries.sql', import.meta.url), 'utf8')).split(/^-- name: /m).slice(1);
  for (const block of queries) {
    const name = block.slice(0, block.indexOf('\n'));
    const query = block.slice(name.length).replaceAll('SOURCE_BUCKET', source).trim().replace(/;$/, '');
    const rows = (await sql.runAndReadAll(query)).getRowObjectsJson();
    answers[name] = rows;
    console.log(`\n-- ${name}`);
    console.table(rows);
  }
  const deleted = answers['who deleted an object, and when'];
  check(deleted.length === 1 && deleted[0].key === 'report.csv', 'the delete of report.csv is not found once');
  const denied = answers['requests refused with 403 (denied and failed-signature traffic)'];
  check(
    denied.some((r) => r.requester === '-' && r.key === 'data/b.json' && r.errorcode === 'AccessDenied'),
    'the anonymous 403 is not found',
  );
  const classes = answers['error rate by status class'].map((r) => r.status_class);
  check(classes.includes('2xx') && classes.includes('4xx'), `status classes ${classes.join(',')}`);
  const errors = answers['request IDs of 4xx and 5xx errors, for support cases'];
  check(
    errors.some((r) => r.errorcode === 'NoSuchKey' && r.key === 'missing.txt'),
    'the 404 is not found',
  );

  // The same prefix summarised by summarise.mjs, which must agree with DuckDB.
  const summary = await summarise(s3, target, 'logs/');
  console.log('');
  printSummary(summary, `s3://${target}/logs/`);
  check(summary.records === total && summary.unmatched === 0, 'summarise.mjs read a different number of records');
  check(summary.errorRate === 2 / total, `summarise.mjs error rate ${summary.errorRate}`);
  console.log('\nathena example: ok');
} finally {
  s3.destroy();
  await rm(work, { recursive: true, force: true });
}
