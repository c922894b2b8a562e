"""Inventory lookups for API Gateway objects: an API by key and the stages of an API."""

from __future__ import annotations

from api_factories import make_api, make_stage
from factories import make_inventory
from lambdasec.model import Unresolved


def test_api_by_key_and_stages_of_an_api() -> None:
    orders, reports = make_api("OrdersApi"), make_api("ReportsApi")
    prod, dev, other = make_stage(name="prod"), make_stage(name="dev"), make_stage("ReportsApi")
    inv = make_inventory(apis=[orders, reports], api_stages=[prod, other, dev])
    assert inv.api("OrdersApi") is orders
    assert inv.api("Missing") is None
    assert inv.api(Unresolved("!Ref Api")) is None
    assert inv.stages_of("OrdersApi") == (prod, dev)
    assert inv.stages_of("ReportsApi") == (other,)
    assert inv.stages_of("Missing") == ()
    assert inv.stages_of(Unresolved("!Ref Api")) == ()
