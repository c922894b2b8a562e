"""The `every-function` options the strict profile sets: LS302, LS403 and LS410 judge every function."""

from __future__ import annotations

from dataclasses import replace

from factories import make_function, make_inventory, make_url, run
from lambdasec.findings import Severity
from lambdasec.model import AuthType, Unresolved
from lambdasec.rules.data.env_vars_no_customer_kms_key import env_vars_no_customer_kms_key
from lambdasec.rules.operations.async_function_no_dlq import async_function_no_dlq
from lambdasec.rules.operations.public_function_no_reserved_concurrency import (
    public_function_no_reserved_concurrency,
)


def test_ls403_every_function_reports_functions_without_asynchronous_triggers() -> None:
    plain = make_function("plain", line=1)
    with_dlq = replace(make_function("with-dlq", line=10), dead_letter_target="arn:aws:sqs:dlq")
    conditional = replace(
        make_function("conditional", line=20), dead_letter_target=Unresolved("!If [P, a, b]")
    )
    inventory = make_inventory(functions=[plain, with_dlq, conditional])

    assert run(async_function_no_dlq, inventory).findings == []
    outcome = run(async_function_no_dlq, inventory, every_function=True)
    assert outcome.lines == {("LS403", 1)}
    assert [f.message for f in outcome.findings] == [
        "`plain` declares no asynchronous trigger but may be invoked asynchronously and has no dead-letter "
        "queue or on-failure destination, so events still failing after the retries are dropped"
    ]
    assert outcome.unevaluated_ids == ["conditional"]


def test_ls410_every_function_reports_private_functions_at_low_severity_without_a_cost() -> None:
    private = make_function("private", line=1)
    reserved = replace(make_function("reserved", line=10), reserved_concurrency=5)
    public = make_function("public", line=20)
    inventory = make_inventory(
        functions=[private, reserved, public], function_urls=[make_url("public", auth_type=AuthType.NONE)]
    )

    assert {f.function for f in run(public_function_no_reserved_concurrency, inventory).findings} == {
        "public"
    }
    outcome = run(public_function_no_reserved_concurrency, inventory, every_function=True)
    by_function = {f.function: f for f in outcome.findings}
    assert sorted(by_function) == ["private", "public"]
    assert by_function["private"].severity is Severity.LOW
    assert by_function["private"].message == (
        "`private` has no reserved concurrency, so a burst of its triggers can take the account's whole "
        "concurrency and throttle every other function"
    )
    assert by_function["private"].properties == ()
    assert by_function["public"].severity is Severity.MEDIUM
    assert dict(by_function["public"].properties)["cost_per_hour_usd"]


def test_ls302_every_function_reports_any_environment_without_a_customer_key() -> None:
    plain = make_function("plain", environment={"TABLE": "orders"}, fields={"environment": 3})
    secret = make_function(
        "secret", environment={"DB_PASSWORD": "hunter2hunter2"}, fields={"environment": 13}
    )
    keyed = replace(make_function("keyed", environment={"TABLE": "orders"}), kms_key_arn="arn:aws:kms:key")
    empty = make_function("empty")
    inventory = make_inventory(functions=[plain, secret, keyed, empty])

    assert run(env_vars_no_customer_kms_key, inventory).lines == {("LS302", 13)}
    outcome = run(env_vars_no_customer_kms_key, inventory, every_function=True)
    assert outcome.lines == {("LS302", 3), ("LS302", 13)}
    plain_finding = next(f for f in outcome.findings if f.function == "plain")
    assert plain_finding.severity is Severity.LOW
    assert plain_finding.message == (
        "Environment of `plain` is encrypted only with the AWS managed key, so anyone allowed "
        "`lambda:GetFunctionConfiguration` reads its variables"
    )
