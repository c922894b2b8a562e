"""LS507 fixture (Python): an S3 Object Lambda fetches the presigned URL S3 put in the event."""

import boto3
import requests
from aws_lambda_powertools.utilities.data_classes.s3_object_event import S3ObjectLambdaEvent

s3 = boto3.client("s3")


def transform(event, context):
    object_lambda = S3ObjectLambdaEvent(event)
    # lambdasec-ok: LS507
    original = requests.get(object_lambda.input_s3_url, timeout=10)
    s3.write_get_object_response(
        Body=original.content.upper(),
        RequestRoute=object_lambda.request_route,
        RequestToken=object_lambda.request_token,
    )
    # lambdasec-ok: LS507
    requests.get(event["getObjectContext"]["inputS3Url"], timeout=10)
    # lambdasec-expect: LS507
    requests.get(event["userRequest"]["headers"]["X-Source"], timeout=10)
    return {"status_code": 200}
