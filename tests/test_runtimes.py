"""Tests of the runtime lifecycle data file and catalog."""

from __future__ import annotations

from datetime import date

from lambdasec.data import DataFiles
from lambdasec.data.runtimes import Phase

CATALOG = DataFiles().runtimes
# AWS's own table lists a create-block date before the deprecation date for this one.
KNOWN_ODD = {"nodejs4.3-edge"}


def test_data_file_says_where_the_dates_come_from() -> None:
    raw = DataFiles().raw_runtimes
    assert raw["_source"].startswith("https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html")
    assert date.fromisoformat(raw["_retrieved"])


def test_every_runtime_is_consistent() -> None:
    assert len(CATALOG.runtimes) >= 40
    for identifier, info in CATALOG.runtimes.items():
        assert info.identifier == identifier == identifier.lower()
        assert info.name
        assert info.deprecated is not None, identifier
        if info.successor is not None:
            successor = CATALOG.get(info.successor)
            assert successor is not None and successor.successor is None, identifier
        dates = [d for d in (info.deprecated, info.block_create, info.block_update) if d is not None]
        if identifier not in KNOWN_ODD:
            assert dates == sorted(dates), identifier


def test_phases_of_one_runtime() -> None:
    info = CATALOG.get(" Python3.12 ")
    assert info is not None
    assert info.phase(on=date(2028, 5, 3), warn_days=180) is Phase.SUPPORTED
    assert info.phase(on=date(2028, 5, 4), warn_days=180) is Phase.DEPRECATION_SOON
    assert info.phase(on=date(2028, 10, 31), warn_days=180) is Phase.DEPRECATED
    assert info.phase(on=date(2028, 11, 30), warn_days=180) is Phase.CREATE_BLOCKED
    assert info.phase(on=date(2029, 1, 10), warn_days=180) is Phase.UPDATE_BLOCKED
    assert info.phase_date(Phase.CREATE_BLOCKED) == date(2028, 11, 30)
    assert info.phase_date(Phase.SUPPORTED) is None
    assert CATALOG.get("python3.99") is None
