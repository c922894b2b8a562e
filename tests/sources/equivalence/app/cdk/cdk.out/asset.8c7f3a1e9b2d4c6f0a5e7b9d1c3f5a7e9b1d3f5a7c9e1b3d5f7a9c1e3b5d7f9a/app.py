"""Orders API handlers."""

import json


def list_orders(event, context):
    return {"statusCode": 200, "body": json.dumps([])}


def create_order(event, context):
    return {"statusCode": 201, "body": json.dumps({"created": True})}


def get_order(event, context):
    return {"statusCode": 200, "body": json.dumps({"id": event["pathParameters"]["id"]})}
