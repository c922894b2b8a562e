"""LS505 fixture (Python): a function and its arguments shipped in the event as cloudpickle data."""

import base64
import json

import cloudpickle


def lambda_handler(event, context):
    # lambdasec-expect: LS505
    function = cloudpickle.loads(base64.b64decode(event["Function"].encode("utf-8")))
    # lambdasec-ok: LS505
    arguments = json.loads(base64.b64decode(event["Arguments"]))
    result = function(*arguments)
    return {"Result": base64.b64encode(cloudpickle.dumps(result)).decode("utf-8")}
