"""Helper of the LS505 fixture: the whole event is passed in and a field decoded here."""

import base64
import pickle


def restore(evt):
    raw = base64.b64decode(evt["headers"]["X-State"])
    # lambdasec-expect: LS505
    return pickle.loads(raw)
