"""Shortcuts rules take on large inventories answer exactly as the full check would."""

from __future__ import annotations

import pytest

from lambdasec.rules.operations.private_data_store_without_vpc import _ENDPOINT, _may_name_endpoint


@pytest.mark.parametrize(
    ("value", "endpoint"),
    [
        ("orders.abc123.us-east-1.rds.amazonaws.com", True),
        ("ORDERS.ABC123.US-EAST-1.RDS.AMAZONAWS.COM", True),
        ("orders.abc123.rds.amazonaw\u017f.com", True),  # long s (U+017F) matches `s` ignoring case
        ("cache.x.memorydb.us-east-1.amazonaws.com", True),
        ("search-orders.aos.us-east-1.on.aws", True),
        ("orders.s3.amazonaws.com", False),
        ("https://example.com/orders", False),
        ("INFO", False),
    ],
)
def test_endpoint_prefilter_never_skips_an_endpoint(value: str, endpoint: bool) -> None:
    assert (_ENDPOINT.search(value) is not None) is endpoint
    if endpoint:
        assert _may_name_endpoint(value)
    assert _may_name_endpoint(value) is ("amazonaws.com" in value.casefold() or ".on.aws" in value.casefold())
