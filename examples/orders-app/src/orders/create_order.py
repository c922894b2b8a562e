"""POST /orders: validate the order, store it and queue it for payment and fulfilment."""

from __future__ import annotations

import json
import logging
import os
import uuid
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import boto3

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
SQS = boto3.client("sqs")
QUEUE_URL = os.environ["ORDERS_QUEUE_URL"]

MAX_ITEMS = 50


class BadRequest(ValueError):
    """The request body is not a valid order."""


def _parse_items(body: dict[str, Any]) -> list[dict[str, Any]]:
    items = body.get("items")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        raise BadRequest(f"`items` must be a list of 1 to {MAX_ITEMS} entries")
    parsed = []
    for item in items:
        sku = item.get("sku") if isinstance(item, dict) else None
        if not isinstance(sku, str) or not sku.isalnum() or len(sku) > 32:
            raise BadRequest("every item needs an alphanumeric `sku`")
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or not 1 <= quantity <= 100:
            raise BadRequest("`quantity` must be an integer from 1 to 100")
        try:
            price = Decimal(str(item["unitPrice"]))
        except (KeyError, InvalidOperation) as exc:
            raise BadRequest("every item needs a numeric `unitPrice`") from exc
        parsed.append({"sku": sku, "quantity": quantity, "unitPrice": price})
    return parsed


def _response(status: int, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(payload, default=str),
    }


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    claims = event["requestContext"]["authorizer"]["claims"]
    customer_id = claims["sub"]
    try:
        body = json.loads(event.get("body") or "{}")
        items = _parse_items(body)
    except (json.JSONDecodeError, BadRequest) as exc:
        return _response(400, {"message": str(exc)})

    order_id = str(uuid.uuid4())
    total = sum(i["unitPrice"] * i["quantity"] for i in items)
    order = {
        "pk": f"CUSTOMER#{customer_id}",
        "sk": f"ORDER#{order_id}",
        "orderId": order_id,
        "status": "PENDING_PAYMENT",
        "items": items,
        "total": total,
        "createdAt": datetime.now(UTC).isoformat(),
    }
    TABLE.put_item(Item=order, ConditionExpression="attribute_not_exists(sk)")
    SQS.send_message(
        QueueUrl=QUEUE_URL,
        MessageBody=json.dumps({"customerId": customer_id, "orderId": order_id}),
    )
    logger.info("order created", extra={"order_id": order_id, "items": len(items)})
    return _response(201, {"orderId": order_id, "status": order["status"], "total": str(total)})
