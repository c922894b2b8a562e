"""LS505 fixture (Python): SQS trigger - the message body is untrusted, the queue's attributes are not."""

import base64
import pickle


def handle(message_batch, context):
    for record in message_batch["Records"]:
        # lambdasec-expect: LS505
        job = pickle.loads(base64.b64decode(record["body"]))
        # lambdasec-ok: LS505
        origin = pickle.loads(base64.b64decode(record["attributes"]["SenderId"]))
        job.run(origin)
