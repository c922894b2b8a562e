"""Model-level tests of LS305 secret-in-code."""

from __future__ import annotations

from factories import make_function, make_inventory, run
from lambdasec.findings import Confidence
from lambdasec.model import CodeSecret, Origin, SourceKind
from lambdasec.rules.data.secret_in_code import secret_in_code as rule


def make_secret(kind: str, *, line: int, ordinal: int = 1, function: str | None = None) -> CodeSecret:
    key = f"src/app.py#{kind.split(' ', 1)[1].replace(' ', '-')}:{ordinal}"
    return CodeSecret(
        key=key,
        file="src/app.py",
        kind=kind,
        masked="ghp_******** (40 chars)",
        function=function,
        origin=Origin(source=SourceKind.CODE, file="src/app.py", line=line, resource=key),
    )


def test_each_secret_is_reported_at_its_line_with_kind_and_masked_value() -> None:
    inv = make_inventory(
        functions=[make_function(key="OrdersApi", name="orders-api")],
        code_secrets=[
            make_secret("a GitHub token", line=4, function="OrdersApi"),
            make_secret("a credential", line=9),
        ],
    )
    outcome = run(rule, inv)
    assert [(f.location.line, f.message, f.function, f.confidence) for f in outcome.findings] == [
        (
            4,
            "Code of `orders-api` in `src/app.py` holds a GitHub token in plain text "
            "(`ghp_******** (40 chars)`)",
            "orders-api",
            Confidence.HIGH,
        ),
        (
            9,
            "`src/app.py` holds a credential in plain text (`ghp_******** (40 chars)`)",
            None,
            Confidence.MEDIUM,
        ),
    ]
    first = outcome.findings[0]
    assert (first.resource.type, first.resource.id) == ("code_secret", "src/app.py#GitHub-token:1")
    assert dict(first.properties) == {
        "secret_kind": "a GitHub token",
        "masked_value": "ghp_******** (40 chars)",
    }
    assert first.location.source == "code"


def test_fingerprint_survives_the_secret_moving_lines() -> None:
    here = run(rule, make_inventory(code_secrets=[make_secret("a GitHub token", line=4)])).findings
    moved = run(rule, make_inventory(code_secrets=[make_secret("a GitHub token", line=40)])).findings
    assert here[0].fingerprint == moved[0].fingerprint
