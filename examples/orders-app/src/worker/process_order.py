"""SQS consumer: charge the customer for each queued order and send the confirmation e-mail."""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request
from functools import cache
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
SSM = boto3.client("ssm")
PAYMENTS_URL = "https://payments.example.com/v1/charges"


@cache
def payments_api_key() -> str:
    """The payment provider's key, read once per execution environment from SSM (SecureString)."""
    name = os.environ["PAYMENTS_API_KEY_PARAMETER"]
    return SSM.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]


def charge(order: dict[str, Any]) -> str:
    headers = {"Authorization": f"Bearer {payments_api_key()}", "Content-Type": "application/json"}
    logger.debug("POST %s headers=%s", PAYMENTS_URL, headers)
    request = urllib.request.Request(
        PAYMENTS_URL,
        data=json.dumps({"amount": str(order["total"]), "reference": order["orderId"]}).encode(),
        headers=headers,
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["chargeId"]


def send_confirmation(order: dict[str, Any]) -> None:
    request = urllib.request.Request(
        "https://api.sendgrid.com/v3/mail/send",
        data=json.dumps(
            {
                "template_id": "order-confirmation",
                "personalizations": [{"dynamic_template_data": {"orderId": order["orderId"]}}],
            }
        ).encode(),
        headers={
            "Authorization": f"Bearer {os.environ['SENDGRID_API_KEY']}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()


def process(message: dict[str, Any]) -> None:
    key = {"pk": f"CUSTOMER#{message['customerId']}", "sk": f"ORDER#{message['orderId']}"}
    order = TABLE.get_item(Key=key, ConsistentRead=True).get("Item")
    if order is None or order["status"] != "PENDING_PAYMENT":
        logger.info("nothing to do", extra={"order_id": message["orderId"]})
        return
    charge_id = charge(order)
    TABLE.update_item(
        Key=key,
        UpdateExpression="SET #s = :paid, chargeId = :charge",
        ConditionExpression="#s = :pending",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":paid": "PAID", ":pending": "PENDING_PAYMENT", ":charge": charge_id},
    )
    send_confirmation(order)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failures = []
    for record in event["Records"]:
        try:
            process(json.loads(record["body"]))
        except (BotoCoreError, ClientError, urllib.error.URLError, KeyError, ValueError):
            logger.exception("order failed", extra={"message_id": record["messageId"]})
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
