"""Model-level tests of LS201 function-url-auth-none."""

from __future__ import annotations

from factories import make_function, make_inventory, make_url, run
from lambdasec.model import AuthType, Unresolved
from lambdasec.rules.exposure.function_url_auth_none import function_url_auth_none as rule


def test_auth_none_is_reported_at_the_auth_type_line() -> None:
    inv = make_inventory(
        functions=[make_function("orders-api"), make_function("orders-admin")],
        function_urls=[
            make_url("orders-api", auth_type=AuthType.NONE, line=10, fields={"auth_type": 12}),
            make_url("orders-admin", auth_type=AuthType.AWS_IAM, line=20, fields={"auth_type": 22}),
        ],
    )
    outcome = run(rule, inv)
    assert outcome.lines == {("LS201", 12)}
    (finding,) = outcome.findings
    assert finding.message == "Function URL of `orders-api` allows unauthenticated invocation"
    assert finding.function == "orders-api"
    assert finding.resource.type == "function_url"
    assert finding.field == "auth_type"
    assert finding.remediation.startswith("Use instead:")
    assert "AuthType: AWS_IAM" in finding.remediation
    assert outcome.coverage.evaluated == 2


def test_unresolved_auth_type_is_not_evaluated() -> None:
    inv = make_inventory(
        function_urls=[make_url("x", auth_type=Unresolved("!Ref AuthParam"), key="FromParam")]
    )
    outcome = run(rule, inv)
    assert outcome.findings == []
    assert outcome.coverage.unevaluated == (("FromParam", "auth type unknown: !Ref AuthParam"),)
    assert outcome.coverage.evaluated == 0


def test_url_of_a_function_outside_the_scan_names_the_reference() -> None:
    inv = make_inventory(function_urls=[make_url("arn:aws:lambda:us-east-1:1:function:other")])
    (finding,) = run(rule, inv).findings
    assert finding.message == (
        "Function URL of `arn:aws:lambda:us-east-1:1:function:other` allows unauthenticated invocation"
    )
    assert finding.function is None
