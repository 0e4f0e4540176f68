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
"$BIN" --ephemeral --port 0 >"$WORK/out.log" 2>&1 &
PID=$!
for _ in $(seq 50); do grep -q 'listening on' "$WORK/out.log" && break; sleep 0.1; done
URL="$(sed -n 's/^s3scribe listening on \(http[^ ]*\).*/\1/p' "$WORK/out.log")"
curl -sf "$URL/_s3scribe/health" | grep -q '"status":"ok"'
kill -TERM "$PID"; wait "$PID"
echo "pack-smoke: $(basename "$TGZ") installs and runs"
