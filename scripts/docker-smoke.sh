#!/usr/bin/env bash
# Runs the README's docker lines for real: build, run with a volume and initial buckets, a client
# call, a graceful stop, then the volume read back by a fresh container.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v docker >/dev/null 2>&1 || { echo "docker-smoke: no docker CLI; skipped"; exit 0; }
docker version >/dev/null 2>&1 || { echo "docker-smoke: no container engine; skipped"; exit 0; }
NAME="s3scribe-smoke-$$"
VOLUME="s3scribe-smoke-data-$$"
PORT="${S3SCRIBE_SMOKE_PORT:-4590}"
cleanup() { docker rm -f "$NAME" >/dev/null 2>&1 || true; docker volume rm "$VOLUME" >/dev/null 2>&1 || true; }
trap cleanup EXIT
docker build -q ${CE_NODE_IMAGE:+--build-arg BASE_IMAGE=$CE_NODE_IMAGE} -t s3scribe . >/dev/null
docker run -d --name "$NAME" -p "$PORT:4569" -v "$VOLUME:/data" \
  -e S3SCRIBE_INITIAL_BUCKETS=app,app-logs --stop-timeout 10 s3scribe >/dev/null
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/_s3scribe/health" >/dev/null && break; sleep 0.2; done
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
E="--endpoint-url http://127.0.0.1:$PORT"
aws $E s3 ls | grep -q app-logs
echo hello | aws $E s3 cp - s3://app/hello.txt
docker stop -t 10 "$NAME" >/dev/null
docker rm "$NAME" >/dev/null
docker run -d --name "$NAME" -p "$PORT:4569" -v "$VOLUME:/data" --stop-timeout 10 s3scribe >/dev/null
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/_s3scribe/health" >/dev/null && break; sleep 0.2; done
test "$(aws $E s3 cp s3://app/hello.txt -)" = hello
echo "docker-smoke: build, run, stop and restart on the volume: ok"
