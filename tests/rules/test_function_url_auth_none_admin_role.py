"""Model-level tests of LS201's severity raise when the function's execution role is an administrator."""

from __future__ import annotations

from factories import make_function, make_inventory, make_policy, make_role, make_statement, make_url, run
from lambdasec.findings import Severity
from lambdasec.model import AuthType, PolicyKind, Unresolved
from lambdasec.rules.exposure.function_url_auth_none import function_url_auth_none as rule


def test_public_url_of_an_administrator_function_is_critical() -> None:
    admin = make_role(key="AdminRole", policies=[make_policy(make_statement(actions=["*"], resources=["*"]))])
    inv = make_inventory(
        functions=[make_function("orders-api", role="AdminRole")],
        roles=[admin],
        function_urls=[make_url("orders-api", auth_type=AuthType.NONE)],
    )
    (finding,) = run(rule, inv).findings
    assert finding.severity is Severity.CRITICAL
    assert finding.message == (
        "Function URL of `orders-api` allows unauthenticated invocation, and its execution role has "
        "administrator access through `*` on `*` in policy `inline`"
    )
    assert dict(finding.properties) == {"role_admin_access": "true"}


def test_administrator_managed_policy_counts_too() -> None:
    role = make_role(key="AdminRole", managed_policy_arns=["arn:aws:iam::aws:policy/AdministratorAccess"])
    inv = make_inventory(
        functions=[make_function("orders-api", role="AdminRole")],
        roles=[role],
        function_urls=[make_url("orders-api", auth_type=AuthType.NONE)],
    )
    (finding,) = run(rule, inv).findings
    assert finding.severity is Severity.CRITICAL
    assert finding.message.endswith("through the `AdministratorAccess` managed policy")


def test_severity_stays_high_for_ordinary_or_unknown_roles() -> None:
    reader = make_role(key="ReaderRole", policies=[make_policy(make_statement())])
    unknown = make_role(
        key="UnknownRole",
        policies=[make_policy(kind=PolicyKind.INLINE, document=Unresolved("!If [Admin, ...]"))],
    )
    inv = make_inventory(
        functions=[
            make_function("reader", role="ReaderRole"),
            make_function("unknown", role="UnknownRole"),
            make_function("outside", role="arn:aws:iam::1:role/elsewhere"),
        ],
        roles=[reader, unknown],
        function_urls=[
            make_url("reader", auth_type=AuthType.NONE),
            make_url("unknown", auth_type=AuthType.NONE),
            make_url("outside", auth_type=AuthType.NONE),
        ],
    )
    outcome = run(rule, inv)
    assert [(f.function, f.severity) for f in outcome.findings] == [
        ("reader", Severity.HIGH),
        ("unknown", Severity.HIGH),
        ("outside", Severity.HIGH),
    ]
    assert all(f.properties == () for f in outcome.findings)
