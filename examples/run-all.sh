#!/usr/bin/env bash
# Starts s3scribe on a free port with a temp data dir and runs every client recipe against it.
# A client that is not installed is skipped with a line saying so; nothing is left behind.
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

ran=0
skipped=0
# recipe <name> <command that must exist> <how to run it...>
recipe() {
  local name="$1" needs="$2"
  shift 2
  if ! eval "$needs" >/dev/null 2>&1; then
    echo "$name: skipped (not installed)"
    skipped=$((skipped + 1))
    return
  fi
  "$@"
  ran=$((ran + 1))
}
recipe "aws-cli" "command -v aws" bash examples/aws-cli.sh
recipe "js-sdk" "node -e \"import('@aws-sdk/client-s3')\"" node examples/js-sdk.mjs
recipe "boto3" "/usr/bin/python3 -c 'import boto3'" /usr/bin/python3 examples/python-boto3.py
recipe "s3cmd" "command -v s3cmd" bash examples/s3cmd.sh
recipe "rclone" "command -v rclone" bash examples/rclone.sh
recipe "athena (DuckDB)" "node -e \"import('@duckdb/node-api')\"" node examples/athena/run-duckdb.mjs
echo "recipes: $ran ran, $skipped skipped"
