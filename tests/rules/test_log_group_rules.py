"""Model-level tests of LS303 log-group-no-retention and LS304 log-group-no-kms."""

from __future__ import annotations

from dataclasses import replace

from factories import make_function, make_inventory, make_origin, make_policy, make_role, make_statement, run
from lambdasec.model import LogGroup, Unresolved
from lambdasec.rules.data.log_group_no_kms import log_group_no_kms
from lambdasec.rules.data.log_group_no_retention import log_group_no_retention


def _group(key: str, *, name: str | Unresolved, line: int, **kwargs: object) -> LogGroup:
    return LogGroup(key=key, name=name, origin=make_origin(key, line, fields={"name": line + 2}), **kwargs)  # type: ignore[arg-type]


def test_a_shared_group_without_retention_is_reported_once_and_a_missing_group_at_the_function() -> None:
    shared = _group("Shared", name="/orders/shared", line=40)
    a = replace(make_function("a", line=1), log_group_name="Shared")
    b = replace(make_function("b", line=10), log_group_name="/orders/shared")
    alone = make_function("alone", line=20)
    kept = make_function("kept", line=30)
    kept_group = _group("KeptLogs", name="/aws/lambda/kept", line=50, retention_days=14)
    outcome = run(
        log_group_no_retention, make_inventory(functions=[a, b, alone, kept], log_groups=[shared, kept_group])
    )
    assert outcome.lines == {("LS303", 42), ("LS303", 20)}
    assert [(f.function, f.message) for f in outcome.findings] == [
        (
            "alone",
            "`alone` declares no log group, so Lambda creates `/aws/lambda/alone` with no retention and its "
            "logs are kept forever",
        ),
        (
            None,
            "Log group `/orders/shared` of `a`, `b` sets no `RetentionInDays`, so its logs are kept forever",
        ),
    ]
    assert outcome.coverage.evaluated == 4


def test_unknown_groups_and_retention_are_not_evaluated() -> None:
    external = replace(make_function("external"), log_group_name="/platform/shared")
    unknown_retention = make_function("unknown-retention")
    group = _group(
        "Logs", name="/aws/lambda/unknown-retention", line=5, retention_days=Unresolved("!Ref Days")
    )
    outcome = run(
        log_group_no_retention, make_inventory(functions=[external, unknown_retention], log_groups=[group])
    )
    assert outcome.findings == []
    assert outcome.coverage.unevaluated == (
        ("external", "log group unknown: log group `/platform/shared` is not defined in the scanned sources"),
        ("unknown-retention", "retention unknown: !Ref Days"),
    )


def test_an_unevaluable_lambda_log_group_name_leaves_functions_without_a_group_not_evaluated() -> None:
    group = _group("Logs", name=Unresolved("!Sub /aws/lambda/${FnName}"), line=5, retention_days=7)
    outcome = run(log_group_no_retention, make_inventory(functions=[make_function("a")], log_groups=[group]))
    assert outcome.findings == []
    assert outcome.unevaluated_ids == ["a"]


def test_log_group_without_key_is_reported_only_for_functions_that_handle_secrets() -> None:
    reader_role = make_role(
        "reader-role",
        key="ReaderRole",
        policies=[make_policy(make_statement(actions=["secretsmanager:Get*"], resources=["*"]))],
    )
    plain_role = make_role("plain-role", key="PlainRole", policies=[make_policy(make_statement())])
    reader = make_function("reader", role="ReaderRole")
    plain = make_function("plain", role="PlainRole", line=10)
    secret_env = make_function(
        "secret-env", role="PlainRole", line=20, environment={"API_TOKEN": Unresolved("!Ref T")}
    )
    encrypted = make_function("encrypted", role="ReaderRole")
    groups = [
        _group("ReaderLogs", name="/aws/lambda/reader", line=30, retention_days=7),
        _group("PlainLogs", name="/aws/lambda/plain", line=40),
        _group(
            "EncryptedLogs", name="/aws/lambda/encrypted", line=50, kms_key_id=Unresolved("!GetAtt Key.Arn")
        ),
    ]
    inventory = make_inventory(
        functions=[reader, plain, secret_env, encrypted], roles=[reader_role, plain_role], log_groups=groups
    )
    outcome = run(log_group_no_kms, inventory)
    assert outcome.lines == {("LS304", 32), ("LS304", 20)}
    assert [f.message for f in outcome.findings] == [
        "`secret-env` holds sensitive variables (`API_TOKEN`) but declares no log group, so its logs go to "
        "a group Lambda creates without a customer managed KMS key",
        "Log group `/aws/lambda/reader` of `reader`, which may read secrets (`secretsmanager:Get*`), "
        "is not encrypted with a customer managed KMS key",
    ]


def test_a_group_shared_by_sensitive_functions_is_reported_once_naming_them() -> None:
    group = _group("Shared", name="/orders/functions", line=30, retention_days=7)
    a = replace(make_function("a", environment={"DB_PASSWORD": "hunter2-prod-2024"}), log_group_name="Shared")
    b = replace(make_function("b", environment={"API_TOKEN": Unresolved("!Ref T")}), log_group_name="Shared")
    c = replace(make_function("c"), log_group_name="Shared")
    outcome = run(log_group_no_kms, make_inventory(functions=[a, b, c], log_groups=[group]))
    assert [(f.location.line, f.function, f.message) for f in outcome.findings] == [
        (
            32,
            None,
            "Log group `/orders/functions` of `a`, `b`, which handle sensitive data, is not encrypted with a "
            "customer managed KMS key",
        )
    ]


def test_a_key_chosen_by_an_unknown_condition_is_not_evaluated() -> None:
    fn = make_function("reader", environment={"DB_PASSWORD": "hunter2-prod-2024"})
    group = _group(
        "Logs", name="/aws/lambda/reader", line=5, kms_key_id=Unresolved("!If [Prod, !GetAtt Key.Arn, ...]")
    )
    outcome = run(log_group_no_kms, make_inventory(functions=[fn], log_groups=[group]))
    assert outcome.findings == []
    assert outcome.coverage.unevaluated == (
        ("reader", "log group key unknown: !If [Prod, !GetAtt Key.Arn, ...]"),
    )
