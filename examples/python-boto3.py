"""boto3 against s3scribe: endpoint_url plus path-style addressing."""
import os
import time

import boto3
from botocore.config import Config

endpoint = os.environ.get("S3SCRIBE_ENDPOINT", "http://127.0.0.1:4569")
s3 = boto3.client(
    "s3",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
    config=Config(s3={"addressing_style": "path"}),
)
bucket = f"py-{int(time.time() * 1000)}"
s3.create_bucket(Bucket=bucket)
s3.put_object(Bucket=bucket, Key="hello.txt", Body=b"hello")
assert s3.get_object(Bucket=bucket, Key="hello.txt")["Body"].read() == b"hello"
s3.delete_object(Bucket=bucket, Key="hello.txt")
s3.delete_bucket(Bucket=bucket)
print("boto3: ok")
