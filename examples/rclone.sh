#!/usr/bin/env bash
# rclone against s3scribe: an S3 remote with provider Other, endpoint and path-style.
set -euo pipefail
# A custom CA bundle (AWS_CA_BUNDLE) makes rclone refuse its plain-HTTP transport; none is needed here.
unset AWS_CA_BUNDLE
EP="${S3SCRIBE_ENDPOINT:-http://127.0.0.1:4569}"
export RCLONE_CONFIG_S3SCRIBE_TYPE=s3
export RCLONE_CONFIG_S3SCRIBE_PROVIDER=Other
export RCLONE_CONFIG_S3SCRIBE_ENDPOINT="$EP"
export RCLONE_CONFIG_S3SCRIBE_ACCESS_KEY_ID=test
export RCLONE_CONFIG_S3SCRIBE_SECRET_ACCESS_KEY=test
export RCLONE_CONFIG_S3SCRIBE_REGION=us-east-1
export RCLONE_CONFIG_S3SCRIBE_FORCE_PATH_STYLE=true
B="rclone-$RANDOM$RANDOM"
D="$(mktemp -d)"; echo hello >"$D/hello.txt"
rclone mkdir "s3scribe:$B"
rclone copy "$D" "s3scribe:$B/dir"
rclone ls "s3scribe:$B" | grep -q 'dir/hello.txt'
test "$(rclone cat "s3scribe:$B/dir/hello.txt")" = hello
rclone purge "s3scribe:$B"
rm -rf "$D"
echo "rclone: ok"
