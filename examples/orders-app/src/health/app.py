"""GET /health: unauthenticated liveness probe for the load balancer and uptime monitor."""

from __future__ import annotations

import json
import os
from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
        "body": json.dumps({"status": "ok", "service": os.environ.get("POWERTOOLS_SERVICE_NAME", "orders")}),
    }
