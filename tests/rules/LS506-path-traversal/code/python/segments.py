"""LS506 fixture (Python): object keys cut to their last part before they name a file under /tmp."""

import json
import pathlib

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    for record in event["Records"]:
        body = json.loads(record["body"])
        key = body["key"]
        # lambdasec-ok: LS506
        s3.download_file(body["bucket"], key, f"/tmp/{key.split('/')[-1]}")
        parts = key.split("/")
        # lambdasec-ok: LS506
        open("/tmp/" + parts[0], "wb")
        # lambdasec-ok: LS506
        open("/tmp/" + key.rsplit("/", 1)[-1], "wb")
        # lambdasec-ok: LS506
        open("/tmp/" + key.split("/").pop(), "wb")
        # lambdasec-expect: LS506
        open("/tmp/" + key.rsplit("/", 1)[0], "wb")
        # lambdasec-expect: LS506
        open("/tmp/" + "/".join(parts[1:]), "wb")
        # lambdasec-expect: LS506
        open("/tmp/" + key.split(".")[0], "wb")
        # lambdasec-ok: LS506
        open("/tmp/" + pathlib.Path(key).name, "wb")
        # lambdasec-expect: LS506
        open(f"/tmp/{pathlib.Path(key).parent}/out", "wb")
