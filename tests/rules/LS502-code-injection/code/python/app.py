"""LS502 fixture (Python): event data evaluated as code, and the safe forms."""

import ast
import importlib
import json

from aws_lambda_powertools.utilities.validation import validator

from calc import evaluate

SCHEMA = {"type": "object", "properties": {"expr": {"type": "string", "pattern": "^[0-9+ ]+$"}}}


def handler(request, ctx):
    payload = json.loads(request["body"])
    formula = payload["formula"]
    # lambdasec-expect: LS502
    result = eval(formula)
    # lambdasec-expect: LS502
    exec("total = " + payload["total"])
    # lambdasec-expect: LS502
    plugin = importlib.import_module(payload["plugin"])
    # lambdasec-ok: LS502
    literal = ast.literal_eval(formula)
    # lambdasec-ok: LS502
    fixed = eval("1 + 2")
    evaluate(payload)
    return {"statusCode": 200, "body": json.dumps([result, literal, fixed, plugin.__name__])}


@validator(inbound_schema=SCHEMA)
def validated_handler(event, context):
    # lambdasec-ok: LS502
    return eval(event["expr"])
