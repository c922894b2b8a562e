"""LS507 fixture (Python): a custom resource answers CloudFormation at the presigned ResponseURL."""

import json
from urllib.request import Request, urlopen


def on_event(event, context):
    body = json.dumps({"Status": "SUCCESS", "RequestId": event["RequestId"], "Data": {}})
    # lambdasec-ok: LS507
    urlopen(Request(event["ResponseURL"], data=body.encode(), method="PUT"))
    target = event["ResourceProperties"]["NotifyUrl"]
    # lambdasec-expect: LS507
    request = Request(target, data=body.encode(), method="POST")
    # lambdasec-ok: LS507
    urlopen(request)
