"""LS504 fixture (Python): event data in DynamoDB expressions and Mongo filters, and the safe forms."""

import json
import os

import boto3
from boto3.dynamodb.conditions import Attr, Key
from pymongo import MongoClient

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
client = boto3.client("dynamodb")
mongo = MongoClient(os.environ["MONGO_URL"])
users = mongo["shop"]["users"]


def handler(event, context):
    params = event["queryStringParameters"]
    owner = params["owner"]
    # lambdasec-expect: LS504
    table.scan(FilterExpression=f"owner = {owner}")
    # lambdasec-expect: LS504
    client.query(TableName="orders", KeyConditionExpression="pk = " + params["pk"])
    # lambdasec-ok: LS504
    table.query(KeyConditionExpression=Key("owner").eq(owner) & Attr("state").eq("open"))
    # lambdasec-ok: LS504
    table.scan(FilterExpression="owner = :o", ExpressionAttributeValues={":o": owner})
    # lambdasec-expect: LS504
    users.find({"$where": "this.name == '" + owner + "'"})
    criteria = json.loads(event["body"])
    # lambdasec-expect: LS504
    users.find_one(criteria)
    # lambdasec-ok: LS504
    users.find_one({"name": owner})
    return {"statusCode": 200}
