"""S3 behaviour checked with boto3 (pytest): listings, ranges, conditionals, presigned GET/PUT with expiry and
refused signatures. S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY name the server; S3ApiIT runs it."""
import hashlib
import os
import time
import urllib.error
import urllib.request
import uuid

import boto3
import botocore
import pytest
from botocore.config import Config

ENDPOINT = os.environ["S3_ENDPOINT"]


def client(secret=None, key=None):
    return boto3.client(
        "s3", endpoint_url=ENDPOINT, region_name="us-east-1",
        aws_access_key_id=key or os.environ["S3_ACCESS_KEY"],
        aws_secret_access_key=secret or os.environ["S3_SECRET_KEY"],
        # boto3 presigns with Signature Version 2 unless told otherwise; Camber accepts only version 4
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1}))


@pytest.fixture(scope="module")
def s3():
    return client()


@pytest.fixture(scope="module")
def bucket(s3):
    name = "boto-" + uuid.uuid4().hex[:12]
    s3.create_bucket(Bucket=name)
    return name


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_put_get_head_with_metadata_and_md5_etag(s3, bucket):
    body = os.urandom(100_000)
    put = s3.put_object(Bucket=bucket, Key="m/obj", Body=body, ContentType="text/x-boto",
                        Metadata={"a": "1"})
    assert put["ETag"] == '"%s"' % hashlib.md5(body).hexdigest()
    got = s3.get_object(Bucket=bucket, Key="m/obj")
    assert got["Body"].read() == body
    assert got["ContentType"] == "text/x-boto"
    assert got["Metadata"] == {"a": "1"}
    assert s3.head_object(Bucket=bucket, Key="m/obj")["ContentLength"] == len(body)


def test_ranges(s3, bucket):
    body = bytes(range(256)) * 40
    s3.put_object(Bucket=bucket, Key="r", Body=body)
    part = s3.get_object(Bucket=bucket, Key="r", Range="bytes=10-19")
    assert part["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert part["ContentRange"] == "bytes 10-19/%d" % len(body)
    assert part["Body"].read() == body[10:20]
    assert s3.get_object(Bucket=bucket, Key="r", Range="bytes=-5")["Body"].read() == body[-5:]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="r", Range="bytes=%d-" % len(body))
    assert code(e) == "InvalidRange"


def test_listings_with_delimiter_paging_and_url_encoding(s3, bucket):
    keys = ["l/a b", "l/a+b", "l/c/d", "l/c/e", "l/f"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
    top = s3.list_objects_v2(Bucket=bucket, Prefix="l/", Delimiter="/")
    assert [c["Key"] for c in top["Contents"]] == ["l/a b", "l/a+b", "l/f"]
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["l/c/"]
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="l/", PaginationConfig={"PageSize": 2})
    assert [c["Key"] for p in pages for c in p.get("Contents", [])] == sorted(keys)
    v1 = s3.list_objects(Bucket=bucket, Prefix="l/", Marker="l/c/d")
    assert [c["Key"] for c in v1["Contents"]] == ["l/c/e", "l/f"]
    encoded = s3.list_objects_v2(Bucket=bucket, Prefix="l/a", EncodingType="url")
    # asked for explicitly, the encoding reaches the caller (boto3 decodes only when it added the parameter itself)
    assert [c["Key"] for c in encoded["Contents"]] == ["l/a%20b", "l/a%2Bb"]


def test_conditionals(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="c", Body=b"v1")["ETag"]
    assert s3.get_object(Bucket=bucket, Key="c", IfMatch=etag)["Body"].read() == b"v1"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="c", IfMatch='"nope"')
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="c", IfNoneMatch=etag)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.head_object(Bucket=bucket, Key="c", IfUnmodifiedSince="Mon, 01 Jan 2001 00:00:00 GMT")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412


def test_presigned_get_and_put_until_they_expire(s3, bucket):
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "p"}, ExpiresIn=60)
    req = urllib.request.Request(put_url, data=b"presigned body", method="PUT")
    assert urllib.request.urlopen(req).status == 200
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p"}, ExpiresIn=60)
    assert urllib.request.urlopen(get_url).read() == b"presigned body"
    short = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p"}, ExpiresIn=1)
    time.sleep(2.1)
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(short)
    assert e.value.code == 403
    assert b"<Code>AccessDenied</Code>" in e.value.read()


def test_bad_signatures_are_403_and_change_nothing(s3, bucket):
    s3.put_object(Bucket=bucket, Key="kept", Body=b"original")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        client(secret="x" * 40).put_object(Bucket=bucket, Key="kept", Body=b"changed")
    assert code(e) == "SignatureDoesNotMatch"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    with pytest.raises(botocore.exceptions.ClientError) as e:
        client(key="CK000000000000000000").list_buckets()
    assert code(e) == "InvalidAccessKeyId"
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "kept"}, ExpiresIn=60)
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(url.replace("X-Amz-Signature=", "X-Amz-Signature=0"))
    assert e.value.code == 403
    assert s3.get_object(Bucket=bucket, Key="kept")["Body"].read() == b"original"


def test_malformed_and_oversized_delete_objects_change_nothing(s3, bucket):
    s3.put_object(Bucket=bucket, Key="d", Body=b"d")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "k%d" % i} for i in range(1001)]})
    assert code(e) == "MalformedXML"
    assert s3.get_object(Bucket=bucket, Key="d")["Body"].read() == b"d"
