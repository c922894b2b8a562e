"""Model-level tests of LS401 runtime-deprecated."""

from __future__ import annotations

from datetime import date

import pytest

from factories import make_function, make_inventory, run
from lambdasec.errors import ConfigError
from lambdasec.findings import Severity
from lambdasec.model import PackageType, Unresolved
from lambdasec.rules.operations.runtime_deprecated import runtime_deprecated as rule


def severity_on(runtime: str, day: date, **options: int) -> Severity | None:
    outcome = run(rule, make_inventory(functions=[make_function(runtime=runtime)]), today=day, **options)
    return outcome.findings[0].severity if outcome.findings else None


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 10, 31), None),  # python3.12 deprecates 2028-10-31
        (date(2028, 5, 3), None),  # 181 days before: not yet
        (date(2028, 5, 4), Severity.LOW),
        (date(2028, 10, 31), Severity.MEDIUM),
        (date(2028, 11, 30), Severity.HIGH),  # create blocked
        (date(2029, 1, 10), Severity.HIGH),  # update blocked
    ],
)
def test_severity_follows_the_phase(day: date, expected: Severity | None) -> None:
    assert severity_on("python3.12", day) is expected


def test_warn_days_option() -> None:
    assert severity_on("python3.12", date(2028, 9, 1), warn_days=30) is None
    assert severity_on("python3.12", date(2028, 10, 1), warn_days=30) is Severity.LOW
    with pytest.raises(ConfigError, match="unknown option `warn-weeks`"):
        run(rule, make_inventory(), **{"warn-weeks": 2})


def test_message_names_runtime_phase_and_successor() -> None:
    fn = make_function(runtime="python3.9", fields={"runtime": 7})
    outcome = run(rule, make_inventory(functions=[fn]), today=date(2026, 11, 22))
    assert outcome.lines == {("LS401", 7)}
    assert outcome.findings[0].message == (
        "`orders-api` uses `python3.9` (Python 3.9), which has been deprecated since 2025-12-15 "
        "and gets no security patches; move to `python3.14`"
    )
    blocked = run(rule, make_inventory(functions=[fn]), today=date(2027, 9, 1)).findings[0]
    assert blocked.message == (
        "`orders-api` uses `python3.9` (Python 3.9), which has been deprecated since 2025-12-15; "
        "updating its functions is blocked since 2027-08-31; move to `python3.14`"
    )
    assert blocked.severity is Severity.HIGH


def test_unknown_unresolved_and_image_functions() -> None:
    functions = [
        make_function("typo", runtime="python3.99"),
        make_function("param", runtime=Unresolved("!Ref Runtime")),
        make_function("image", runtime=None, package_type=PackageType.IMAGE),
        make_function("missing", runtime=None),
    ]
    outcome = run(rule, make_inventory(functions=functions))
    assert outcome.findings == []
    assert outcome.coverage.unevaluated == (
        ("typo", "runtime `python3.99` is not in the runtime lifecycle table"),
        ("param", "runtime unknown: !Ref Runtime"),
        ("missing", "the function declares no runtime"),
    )
    assert outcome.coverage.evaluated == 1
