"""Helper of the LS306 fixture: logs what it is given."""

import logging

log = logging.getLogger(__name__)


def record_login(headers):
    # lambdasec-expect: LS306
    log.info("login with cookie %s", headers.get("Cookie"))
    # lambdasec-ok: LS306
    log.info("login from %s", headers.get("User-Agent"))
