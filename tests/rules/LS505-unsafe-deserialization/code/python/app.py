"""LS505 fixture (Python): event data deserialized by unsafe loaders, and the safe ones."""

import base64
import json
import marshal
import pickle

import jsonpickle
import yaml

from codec import restore


def handler(event, context):
    blob = base64.b64decode(event["body"])
    # lambdasec-expect: LS505
    session = pickle.loads(blob)
    # lambdasec-expect: LS505
    config = yaml.load(event["body"], Loader=yaml.Loader)
    # lambdasec-expect: LS505
    legacy = yaml.unsafe_load(event["body"])
    # lambdasec-expect: LS505
    state = jsonpickle.decode(event["body"])
    # lambdasec-expect: LS505
    code = marshal.loads(blob)
    # lambdasec-ok: LS505
    settings = yaml.load(event["body"], Loader=yaml.SafeLoader)
    # lambdasec-ok: LS505
    simple = yaml.safe_load(event["body"])
    # lambdasec-ok: LS505
    data = json.loads(event["body"])
    restore(event)
    return {"statusCode": 200, "body": repr([session, config, legacy, state, code, settings, simple, data])}
