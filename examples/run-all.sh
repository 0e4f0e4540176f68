#!/usr/bin/env bash
# Starts s3scribe on a free port with a temp data dir and runs every client recipe against it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/server/cli.js ] || npm run build
LOG="$(mktemp)"
node dist/server/cli.js --ephemeral --port 0 >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 50); do grep -q 'listening on' "$LOG" && break; sleep 0.1; done
export S3SCRIBE_ENDPOINT="$(sed -n 's/^s3scribe listening on \(http[^ ]*\).*/\1/p' "$LOG")"
[ -n "$S3SCRIBE_ENDPOINT" ] || { cat "$LOG"; exit 1; }
echo "recipes against $S3SCRIBE_ENDPOINT"
bash examples/aws-cli.sh
node examples/js-sdk.mjs
/usr/bin/python3 examples/python-boto3.py
bash examples/s3cmd.sh
bash examples/rclone.sh
