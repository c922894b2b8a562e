"""LS307 fixture (Python): secrets written to /tmp and left there, and files that are cleaned up."""

import json
import os
from pathlib import Path

import boto3

from keys import cache_key

ssm = boto3.client("ssm")
secrets = boto3.client("secretsmanager")
CERT_PATH = "/tmp/client.pem"
CA_KEY = ssm.get_parameter(Name="/orders/ca-key", WithDecryption=True)["Parameter"]["Value"]
with open("/tmp/ca.key", "w") as ca:
    # lambdasec-expect: LS307
    ca.write(CA_KEY)


def handler(event, context):
    password = ssm.get_parameter(Name="/orders/db-password", WithDecryption=True)["Parameter"]["Value"]
    with open("/tmp/db.cfg", "w") as config:
        # lambdasec-expect: LS307
        config.write(f"password={password}\n")
    token = secrets.get_secret_value(SecretId="orders/token")["SecretString"]
    # lambdasec-expect: LS307
    Path("/tmp/token.json").write_text(json.dumps({"token": token}))
    certificate = secrets.get_secret_value(SecretId="orders/cert")["SecretString"]
    with open(CERT_PATH, "w") as pem:
        # lambdasec-ok: LS307
        pem.write(certificate)
    try:
        connect(CERT_PATH)
    finally:
        os.remove(CERT_PATH)
    plain = ssm.get_parameter(Name="/orders/feature-flags")["Parameter"]["Value"]
    with open("/tmp/flags.json", "w") as flags:
        # lambdasec-ok: LS307
        flags.write(plain)
    cache_key()
    return {"statusCode": 200}


def connect(path):
    return path
