#!/usr/bin/env bash
# s3cmd against s3scribe: host_base/host_bucket pointing at the endpoint (path style).
set -euo pipefail
EP="${S3SCRIBE_ENDPOINT:-http://127.0.0.1:4569}"
HOSTPORT="${EP#http://}"
CFG="$(mktemp)"
cat >"$CFG" <<CONF
[default]
access_key = test
secret_key = test
host_base = $HOSTPORT
host_bucket = $HOSTPORT
use_https = False
signature_v2 = False
bucket_location = us-east-1
CONF
B="s3cmd-$RANDOM$RANDOM"
F="$(mktemp)"; echo hello >"$F"
s3cmd -c "$CFG" mb "s3://$B"
s3cmd -c "$CFG" put "$F" "s3://$B/hello.txt"
s3cmd -c "$CFG" ls "s3://$B" | grep -q hello.txt
s3cmd -c "$CFG" get --force "s3://$B/hello.txt" "$F.back"
cmp "$F" "$F.back"
s3cmd -c "$CFG" del "s3://$B/hello.txt"
s3cmd -c "$CFG" rb "s3://$B"
rm -f "$CFG" "$F" "$F.back"
echo "s3cmd: ok"
