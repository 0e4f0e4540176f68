#!/usr/bin/env bash
# Runs the ceph/s3-tests core subset against a fresh s3scribe and fails when a test listed in
# test/conformance/passing.txt no longer passes. Conformance only ratchets up: add tests to that
# file as they start passing (`scripts/conformance.sh --update` rewrites it from this run).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
UPDATE=0
if [ "${1:-}" = "--update" ]; then UPDATE=1; shift; fi
SELECTION="${1:-@core}"
# The full suite has its own list: `bash scripts/conformance.sh full` (about 15 minutes, not in CI).
LIST=test/conformance/passing.txt
if [ "$SELECTION" = full ]; then SELECTION=''; LIST=test/conformance/passing-full.txt; fi
SHARED="${S3SCRIBE_SHARED:-$ROOT/../shared}"
RUNNER="$SHARED/tools/s3-tests/run.sh"
[ -f "$RUNNER" ] || { echo "conformance: $RUNNER not found" >&2; exit 2; }
[ -f dist/server/cli.js ] || npm run build

DATA="$(mktemp -d /tmp/s3scribe-conformance.XXXXXX)"
RESULTS="${S3SCRIBE_CONFORMANCE_OUT:-/tmp/s3scribe-conformance}"
mkdir -p "$RESULTS"
OUT="$RESULTS/results.tsv"   # kept after the run, with the pytest log beside it
PORT="${S3SCRIBE_CONFORMANCE_PORT:-4599}"
# The suite's users sign as test/testalt/testtenant; map them to the canonical ids it expects.
# Their secrets are their names (the runner's defaults), so S3SCRIBE_CONFORMANCE_VERIFY=1 can run the
# suite with signature verification on (the ratchet lists are for the default, verification off).
IDENTITIES='[{"accessKeyId":"test","secretAccessKey":"test","canonicalId":"main-user-id","displayName":"main-user","accountId":"111111111111"},
 {"accessKeyId":"testalt","secretAccessKey":"testalt","canonicalId":"alt-user-id","displayName":"alt-user","accountId":"222222222222"},
 {"accessKeyId":"testtenant","secretAccessKey":"testtenant","canonicalId":"tenant-user-id","displayName":"tenant-user","accountId":"333333333333"}]'
VERIFY=()
[ "${S3SCRIBE_CONFORMANCE_VERIFY:-0}" = 1 ] && VERIFY=(--verify-signatures)
node dist/server/cli.js --port "$PORT" --data-dir "$DATA/data" --identities "$IDENTITIES" "${VERIFY[@]}" --log-level error >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/_s3scribe/health" >/dev/null && break; sleep 0.1; done

S3TESTS_OUT="$OUT" bash "$RUNNER" "http://127.0.0.1:$PORT" "$SELECTION" | sed -n '1,12p'
awk -F'\t' '$2=="passed"{print $1}' "$OUT" | sed 's/\[.*//' | sort -u >"$DATA/passed.txt"
echo "conformance: $(wc -l <"$DATA/passed.txt") tests passed"

if [ "$UPDATE" = 1 ]; then
  cp "$DATA/passed.txt" "$LIST"
  echo "conformance: $LIST updated"
  exit 0
fi
missing="$(comm -23 <(sort -u "$LIST") "$DATA/passed.txt")"
if [ -n "$missing" ]; then
  echo "conformance: these tests passed before and fail now:" >&2
  echo "$missing" >&2
  grep -F -f <(echo "$missing") "$OUT" | cut -f1,2,6 >&2 || true
  exit 1
fi
echo "conformance: no regressions against $LIST"
