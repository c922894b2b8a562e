"""Nightly job: total yesterday's paid orders and e-mail the report to finance."""

from __future__ import annotations

import csv
import io
import os
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.conditions import Attr

dynamodb = boto3.resource("dynamodb")
ses = boto3.client("ses")


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    table = dynamodb.Table(os.environ["TABLE_NAME"])
    day = (date.today() - timedelta(days=1)).isoformat()
    scan_kwargs = {"FilterExpression": Attr("status").eq("PAID") & Attr("createdAt").begins_with(day)}
    rows: list[list[Any]] = []
    total = Decimal(0)
    while True:
        page = table.scan(**scan_kwargs)
        for order in page["Items"]:
            rows.append([order["orderId"], order["createdAt"], order["total"]])
            total += order["total"]
        if "LastEvaluatedKey" not in page:
            break
        scan_kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["order_id", "created_at", "total"])
    writer.writerows(rows)
    ses.send_email(
        Source=os.environ["REPORT_SENDER"],
        Destination={"ToAddresses": os.environ["REPORT_RECIPIENTS"].split(",")},
        Message={
            "Subject": {"Data": f"Orders {day}: {len(rows)} paid, total {total}"},
            "Body": {"Text": {"Data": out.getvalue()}},
        },
    )
    return {"day": day, "orders": len(rows), "total": str(total)}
