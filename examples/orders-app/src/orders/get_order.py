"""GET /orders/{orderId}: one order of the calling customer; the fulfilment partner invokes it directly."""

from __future__ import annotations

import json
import os
import re
from typing import Any

import boto3
from boto3.dynamodb.conditions import Key

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
ORDER_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _response(status: int, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(payload, default=str),
    }


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if "requestContext" in event:  # API Gateway
        customer_id = event["requestContext"]["authorizer"]["claims"]["sub"]
        order_id = (event.get("pathParameters") or {}).get("orderId", "")
    else:  # direct invocation by the partner: {"customerId": ..., "orderId": ...}
        customer_id = str(event.get("customerId", ""))
        order_id = str(event.get("orderId", ""))

    if not ORDER_ID.match(order_id):
        return _response(400, {"message": "invalid order id"})

    result = TABLE.query(
        KeyConditionExpression=Key("pk").eq(f"CUSTOMER#{customer_id}") & Key("sk").eq(f"ORDER#{order_id}"),
    )
    if not result["Items"]:
        return _response(404, {"message": "order not found"})
    order = result["Items"][0]
    return _response(200, {k: order[k] for k in ("orderId", "status", "items", "total", "createdAt")})
