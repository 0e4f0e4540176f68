-- Questions AWS's guide answers with the table of create-table.sql. Each query is plain SQL that
-- runs on Athena and on DuckDB alike (run-duckdb.mjs runs them; `-- name:` starts each one).
-- Replace the bucket name and the key as needed; run-duckdb.mjs substitutes its own.

-- name: who deleted an object, and when
SELECT requestdatetime, remoteip, requester, key
FROM s3_access_logs
WHERE key = 'report.csv' AND operation LIKE '%DELETE%' AND bucket_name = 'SOURCE_BUCKET';

-- name: requests refused with 403 (denied and failed-signature traffic)
SELECT requestdatetime, remoteip, requester, operation, key, errorcode, sigv, authtype
FROM s3_access_logs
WHERE httpstatus = '403';

-- name: operations per requester
SELECT requester, operation, count(*) AS requests
FROM s3_access_logs
GROUP BY requester, operation
ORDER BY requests DESC, requester, operation;

-- name: bytes sent per operation
SELECT operation, sum(coalesce(bytessent, 0)) AS bytes_sent, count(*) AS requests
FROM s3_access_logs
GROUP BY operation
ORDER BY bytes_sent DESC, operation;

-- name: error rate by status class
SELECT substr(httpstatus, 1, 1) || 'xx' AS status_class, count(*) AS requests
FROM s3_access_logs
GROUP BY 1
ORDER BY 1;

-- name: request IDs of 4xx and 5xx errors, for support cases
SELECT requestid, hostid, httpstatus, errorcode, operation, key
FROM s3_access_logs
WHERE httpstatus >= '400'
ORDER BY requestid;
