"""The functions' shared handler: it answers and reads nothing from the event."""


def handler(event, context):
    return {"statusCode": 200, "body": "ok"}
