"""Order handler with credentials written into the code, and the shapes that are not credentials."""

import os

import psycopg2
import stripe

# lambdasec-expect: LS305
STRIPE_KEY = "sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUv"
# lambdasec-ok: LS305
STRIPE_TEST_HINT = "sk_live_EXAMPLE_DO_NOT_USE_0000000000"
# lambdasec-ok: LS305
AWS_ACCESS_KEY_ID = "AKIA2E0A8F3B244C9986"
# lambdasec-expect: LS305
AWS_SECRET_ACCESS_KEY = "7CE556A3bc234CC1FF9e8a5C324C0BB70AA21B6D"
# lambdasec-ok: LS305
DOCS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
# lambdasec-ok: LS305
DOCS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
# lambdasec-expect: LS305
DATABASE_URL = "postgres://orders:S3cretPassw0rd@db.internal:5432/orders"
# lambdasec-ok: LS305
LOCAL_DATABASE_URL = "postgres://user:password@localhost:5432/orders"
# lambdasec-ok: LS305
DB_PASSWORD = os.environ["DB_PASSWORD"]
# lambdasec-ok: LS305
API_TOKEN = os.getenv("API_TOKEN", "")
# lambdasec-ok: LS305
CLIENT_SECRET = "<client-secret>"
# lambdasec-ok: LS305
SECRET_NAME = "prod/orders/db"
# lambdasec-ok: LS305
PASSWORD_PROMPT = "Enter your password"

SIGNING_KEY = """
# lambdasec-expect: LS305
-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aumJdk1G0GkXhGJ4G9GkV3hCqX
Hb9TzqCKtAyhrW7kxoEqSk9GcjCgcEAZBFp0NcEq2Pp1ZH4Ug8hMfsxvl8uDaGDo
-----END RSA PRIVATE KEY-----
"""


def handler(event, context):
    stripe.api_key = STRIPE_KEY
    # lambdasec-expect: LS305
    conn = psycopg2.connect(host="db.internal", user="orders", password="hunter2Prod!")
    # lambdasec-ok: LS305
    if event.get("password") == "":
        return {"statusCode": 400}
    conn.close()
    return {"statusCode": 200}
