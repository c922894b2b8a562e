"""LS306 fixture (Python): the whole event, credentials, secrets and the environment written to logs."""

import json
import logging
import os

import boto3
from aws_lambda_powertools import Logger

from audit import record_login

logger = logging.getLogger()
powertools_logger = Logger(service="orders")
secrets = boto3.client("secretsmanager")
# lambdasec-expect: LS306
logger.debug("cold start with %s", os.environ)
# lambdasec-ok: LS306
logger.info("cold start in %s", os.environ["AWS_REGION"])


def handler(event, context):
    # lambdasec-expect: LS306
    print(event)
    # lambdasec-expect: LS306
    logger.info("request: %s", json.dumps(event))
    # lambdasec-expect: LS306
    logger.debug("auth header %s", event["headers"]["Authorization"])
    body = json.loads(event["body"])
    # lambdasec-expect: LS306
    powertools_logger.info({"user": body["username"], "password": body["password"]})
    # lambdasec-expect: LS306
    logging.warning("environment: %s", dict(os.environ))
    api_key = secrets.get_secret_value(SecretId="orders/api-key")["SecretString"]
    # lambdasec-expect: LS306
    logger.info(f"calling partner with {api_key}")
    # lambdasec-expect: LS306
    print("db password", os.environ["DB_PASSWORD"])
    # lambdasec-ok: LS306
    logger.info("order for %s", body["username"])
    # lambdasec-ok: LS306
    logger.info("table %s", os.environ["TABLE_NAME"])
    # lambdasec-ok: LS306
    print(event["requestContext"]["requestId"])
    record_login(event["headers"])
    return {"statusCode": 200}


# lambdasec-expect: LS306
@powertools_logger.inject_lambda_context(log_event=True)
def logged_handler(event, context):
    return {"statusCode": 204}


# lambdasec-ok: LS306
@powertools_logger.inject_lambda_context
def quiet_handler(event, context):
    return {"statusCode": 204}
