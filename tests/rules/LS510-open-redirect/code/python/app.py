"""LS510 fixture (Python): redirects to event-chosen locations, and to fixed or allow-listed ones."""

from flask import redirect

from responses import see_other

TRUSTED_TARGETS = {"/home", "/account"}


def handler(event, context):
    params = event.get("queryStringParameters") or {}
    target = params.get("next", "/")
    if params.get("mode") == "flask":
        # lambdasec-expect: LS510
        return redirect(target)
    if params.get("mode") == "other":
        return see_other(target)
    if params.get("mode") == "fixed":
        return {
            "statusCode": 302,
            # lambdasec-ok: LS510
            "headers": {"Location": "/home"},
        }
    if params.get("mode") == "page":
        return {
            "statusCode": 302,
            # lambdasec-ok: LS510
            "headers": {"Location": "/pages/" + target},
        }
    if params.get("mode") == "site":
        # lambdasec-ok: LS510
        return redirect(f"https://shop.example.com/{target}")
    if target in TRUSTED_TARGETS:
        return {
            "statusCode": 302,
            # lambdasec-ok: LS510
            "headers": {"Location": target},
        }
    return {
        "statusCode": 302,
        # lambdasec-expect: LS510
        "headers": {"Location": target, "Cache-Control": "no-store"},
    }


def login_callback(event, context):
    headers = {"Content-Type": "text/html"}
    # lambdasec-expect: LS510
    headers["Location"] = event["queryStringParameters"]["return_to"]
    return {"statusCode": 301, "headers": headers, "body": ""}
