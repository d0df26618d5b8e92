"""Object storage for the scale-out tests: an S3 emulator on loopback and a fresh public bucket."""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3
import pytest

from tests.editorial.conftest import newsroom, staff  # noqa: F401 - the newsroom's fixtures
from tests.security.servers import free_port


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's standalone server: an S3 *emulator* on loopback, standing in for a real bucket.

    The storage code path is the same django-storages S3 backend a real bucket uses; only the
    endpoint URL differs.
    """
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(endpoint, timeout=1)
                break
            except urllib.error.HTTPError:
                break  # it answers: up
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("moto's S3 server never answered")
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint):
    """A new bucket, and the environment variables that point Masthead's media at it."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="emulator",
        aws_secret_access_key="emulator",
    )
    name = f"masthead-media-{free_port()}"
    client.create_bucket(Bucket=name)
    # Media are public, as behind a CDN: anyone may read an object; only the app writes.
    client.put_bucket_policy(
        Bucket=name,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{name}/*",
                    }
                ],
            }
        ),
    )
    env = {
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": "emulator",
        "AWS_SECRET_ACCESS_KEY": "emulator",
        "AWS_S3_REGION_NAME": "us-east-1",
    }
    return {"name": name, "endpoint": s3_endpoint, "client": client, "env": env}
