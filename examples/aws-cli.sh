#!/usr/bin/env bash
# AWS CLI against s3scribe: --endpoint-url, AWS_ENDPOINT_URL(_S3), and a profile with endpoint_url.
set -euo pipefail
EP="${S3SCRIBE_ENDPOINT:-http://127.0.0.1:4569}"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
B="cli-$RANDOM$RANDOM"

aws --endpoint-url "$EP" s3 mb "s3://$B"                       # 1. per command
echo hello >"${TMPDIR:-/tmp}/s3scribe-cli.txt"
AWS_ENDPOINT_URL="$EP" aws s3 cp "${TMPDIR:-/tmp}/s3scribe-cli.txt" "s3://$B/hello.txt"   # 2. env, all services
AWS_ENDPOINT_URL_S3="$EP" aws s3 ls "s3://$B"                  # 3. env, S3 only

CFG="$(mktemp)"                                                # 4. a profile in ~/.aws/config
cat >"$CFG" <<CONF
[profile s3scribe]
region = us-east-1
endpoint_url = $EP
aws_access_key_id = test
aws_secret_access_key = test
CONF
test "$(AWS_CONFIG_FILE="$CFG" aws --profile s3scribe s3 cp "s3://$B/hello.txt" -)" = hello
aws --endpoint-url "$EP" s3 rb --force "s3://$B"
rm -f "$CFG"
echo "aws-cli: ok"
