"""LS507 fixture (Python): requests to event-chosen URLs and hosts, and requests to fixed hosts."""

import json
import os
import urllib.request

import httpx
import requests

from webhooks import notify

API = "https://api.example.com/v1/"
INVENTORY_URL = os.environ["INVENTORY_URL"]
ALLOWED_HOSTS = {"hooks.example.com", "status.example.com"}


def handler(event, context):
    body = json.loads(event["body"])
    # lambdasec-expect: LS507
    preview = requests.get(body["url"], timeout=5)
    # lambdasec-expect: LS507
    urllib.request.urlopen(f"http://{body['host']}/health")
    session = requests.Session()
    # lambdasec-expect: LS507
    session.post(body["callback"], json={"ok": True})
    # lambdasec-ok: LS507
    requests.get(API + "items/" + body["item"], timeout=5)
    # lambdasec-ok: LS507
    httpx.get(f"https://api.example.com/v1/users/{body['user']}")
    # lambdasec-ok: LS507
    requests.get(f"{INVENTORY_URL}/items/{body['item']}", timeout=5)
    # lambdasec-expect: LS507
    requests.get(f"{INVENTORY_URL}{body['path']}", timeout=5)
    host = body["host"]
    if host in ALLOWED_HOSTS:
        # lambdasec-ok: LS507
        requests.get(f"https://{host}/ping", timeout=5)
    notify(body)
    return {"statusCode": 200, "body": preview.text}
