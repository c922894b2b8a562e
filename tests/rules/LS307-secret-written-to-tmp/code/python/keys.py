"""Helper of the LS307 fixture: caches a signing key under /tmp."""

import os

SIGNING_KEY = os.environ["SIGNING_KEY"]


def cache_key():
    with open("/tmp/signing.key", "w") as handle:
        # lambdasec-expect: LS307
        handle.write(SIGNING_KEY)
