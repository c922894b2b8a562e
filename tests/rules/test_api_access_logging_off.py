"""Model-level tests of LS209 api-access-logging-off."""

from __future__ import annotations

from api_factories import make_api, make_stage
from factories import make_inventory, run
from lambdasec.model import Unresolved
from lambdasec.rules.exposure.api_access_logging_off import api_access_logging_off as rule


def test_stage_without_access_log_is_reported() -> None:
    inv = make_inventory(
        apis=[make_api("OrdersApi", name="orders")],
        api_stages=[
            make_stage(line=4, fields={"name": 5}),
            make_stage(name="live", access_logging=True, line=8),
            make_stage(name="param", access_logging=Unresolved("!Ref LogSettings"), key="ParamStage"),
        ],
    )
    outcome = run(rule, inv)
    assert outcome.lines == {("LS209", 4)}
    (finding,) = outcome.findings
    assert finding.message == (
        "Stage `prod` of API `orders` writes no access log, so requests to it, including abuse and attacks, "
        "leave no record"
    )
    assert finding.resource.type == "api_stage"
    assert outcome.coverage.unevaluated == (("ParamStage", "access log settings unknown: !Ref LogSettings"),)
