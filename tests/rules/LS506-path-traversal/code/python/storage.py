"""Helper of the LS506 fixture: builds a path from the event it is given."""

import os


def read_report(evt):
    report = evt["queryStringParameters"]["report"]
    path = os.path.join("/var/task/reports", report + ".txt")
    # lambdasec-expect: LS506
    with open(path, encoding="utf-8") as stream:
        return stream.read()
