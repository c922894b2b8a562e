"""LS503 fixture (Python): SQL built from event data, and parameterized queries."""

import json

import pandas as pd
import pymysql
from sqlalchemy import create_engine, text

from repository import AuditLog, find_orders

connection = pymysql.connect(host="db.internal", user="app", database="shop")
engine = create_engine("postgresql://db.internal/shop")


def handler(event, context):
    body = json.loads(event["body"])
    customer = body["customer"]
    cursor = connection.cursor()
    # lambdasec-expect: LS503
    cursor.execute(f"SELECT * FROM orders WHERE customer = '{customer}'")
    query = "DELETE FROM carts WHERE id = " + body["cart"]
    # lambdasec-expect: LS503
    cursor.execute(query)
    with engine.connect() as conn:
        # lambdasec-expect: LS503
        conn.execute(text("SELECT * FROM items WHERE sku = '%s'" % body["sku"]))
        # lambdasec-ok: LS503
        conn.execute(text("SELECT * FROM items WHERE sku = :sku"), {"sku": body["sku"]})
    # lambdasec-expect: LS503
    frame = pd.read_sql("SELECT * FROM audit WHERE actor = '" + customer + "'", engine)
    # lambdasec-ok: LS503
    cursor.execute("SELECT * FROM orders WHERE customer = %s", (customer,))
    limit = int(body.get("limit", 10))
    # lambdasec-ok: LS503
    cursor.execute(f"SELECT * FROM orders LIMIT {limit}")
    find_orders(cursor, customer)
    audit = AuditLog(connection)
    audit.entries_for(body["actor"])
    audit.count()
    return {"statusCode": 200, "body": frame.to_json()}
