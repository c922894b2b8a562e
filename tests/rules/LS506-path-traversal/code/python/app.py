"""LS506 fixture (Python): event-derived file paths, and normalized paths checked against their base."""

import os
import shutil
from pathlib import Path

import boto3

from storage import read_report

BASE = "/var/task/reports"
s3 = boto3.client("s3")


def handler(event, context):
    name = event["pathParameters"]["name"]
    # lambdasec-expect: LS506
    with open(os.path.join(BASE, name)) as stream:
        content = stream.read()
    # lambdasec-expect: LS506
    Path("/tmp", name).write_text(content)
    # lambdasec-expect: LS506
    os.remove(f"/tmp/{name}")
    # lambdasec-expect: LS506
    shutil.copy(f"/tmp/{name}", "/tmp/backup")
    checked = os.path.realpath(os.path.join(BASE, name))
    if not checked.startswith(BASE + os.sep):
        return {"statusCode": 400}
    # lambdasec-ok: LS506
    with open(checked) as stream:
        content = stream.read()
    unchecked = os.path.join(BASE, name)
    if not unchecked.startswith(BASE):
        return {"statusCode": 400}
    # lambdasec-expect: LS506
    open(unchecked).close()
    # lambdasec-ok: LS506
    open(os.path.join(BASE, os.path.basename(name))).close()
    # lambdasec-ok: LS506
    open(os.path.join(BASE, "index.html")).close()
    # lambdasec-expect: LS506
    s3.download_file("reports-bucket", name, f"/tmp/{name}")
    # lambdasec-ok: LS506
    s3.download_file("reports-bucket", name, "/tmp/report.pdf")
    return {"statusCode": 200, "body": content + read_report(event)}
