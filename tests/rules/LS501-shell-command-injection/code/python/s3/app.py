"""LS501 fixture (Python): S3 trigger - the object key is untrusted, the bucket name is not."""

import subprocess


def handler(event, context):
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = record["s3"]["object"]["key"]
        # lambdasec-expect: LS501
        subprocess.run(f"convert /tmp/{key} /tmp/thumb.png", shell=True)
        # lambdasec-ok: LS501
        subprocess.run(f"aws s3 ls s3://{bucket}", shell=True)
