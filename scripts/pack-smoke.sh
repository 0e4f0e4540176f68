#!/usr/bin/env bash
# Packs the npm package, installs it globally into a temp prefix, and runs the installed binary:
# proves the tarball is complete and runs without dev dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="$(mktemp -d)"
trap 'kill "${PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
npm pack --silent --pack-destination "$WORK" >/dev/null
TGZ="$(ls "$WORK"/s3scribe-*.tgz)"
npm install -g --silent --no-audit --no-fund --prefix "$WORK/prefix" "$TGZ"
BIN="$WORK/prefix/bin/s3scribe"
"$BIN" --help | grep -q -- '--log-flush-interval'
# HTTPS with no certificate given: the certificate generator is not in the bundle and has to be
# found in the installed package's dependencies.
"$BIN" --ephemeral --port 0 --https-port 0 >"$WORK/out.log" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q 'HTTPS on' "$WORK/out.log" && break; sleep 0.1; done
URL="$(sed -n 's/^s3scribe listening on \(http[^ ]*\).*/\1/p' "$WORK/out.log")"
HTTPS_URL="$(sed -n 's/^s3scribe HTTPS on \(https[^ ]*\).*/\1/p' "$WORK/out.log")"
curl -sf "$URL/_s3scribe/health" | grep -q '"status":"ok"'
curl -sfk "$HTTPS_URL/_s3scribe/health" | grep -q '"status":"ok"'
# Storage and its listing index (a native package) work from the installed package. Signatures
# are not verified: the credential only names the caller.
AUTH='Authorization: AWS4-HMAC-SHA256 Credential=smoke/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00'
curl -sf -H "$AUTH" -X PUT "$URL/smoke" -o /dev/null
curl -sf -H "$AUTH" -X PUT "$URL/smoke/hello.txt" --data-binary 'hello' -o /dev/null
curl -sf -H "$AUTH" "$URL/smoke?list-type=2" | grep -q '<Key>hello.txt</Key>'
kill -TERM "$PID"; wait "$PID"
echo "pack-smoke: $(basename "$TGZ") installs and runs"
