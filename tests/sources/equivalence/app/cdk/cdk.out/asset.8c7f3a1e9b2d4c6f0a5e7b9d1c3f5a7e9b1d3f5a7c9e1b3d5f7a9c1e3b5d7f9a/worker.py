"""Queue worker."""


def handler(event, context):
    return {"batchItemFailures": []}
