"""The dated Lambda price table: shipped values and validation."""

from __future__ import annotations

from datetime import date

import pytest

from lambdasec.data import DataFiles
from lambdasec.data.lambda_prices import ArchitecturePrice, LambdaPrices


def test_shipped_prices_are_us_east_1_on_demand_per_architecture() -> None:
    prices = DataFiles().lambda_prices
    assert (prices.region, prices.currency, prices.retrieved) == ("us-east-1", "USD", date(2026, 11, 22))
    assert prices.source.startswith("https://aws.amazon.com/lambda/pricing/")
    assert prices.price("x86_64") == ArchitecturePrice(gb_second=0.0000166667, request=0.0000002)
    assert prices.price("arm64") == ArchitecturePrice(gb_second=0.0000133334, request=0.0000002)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "`architectures` must be a table"),
        ({"architectures": {"x86_64": 1}}, "architecture `x86_64` must be a table"),
        (
            {"architectures": {"x86_64": {"gb_second": "cheap", "request": 0}}},
            "numeric `gb_second` and `request`",
        ),
    ],
)
def test_malformed_tables_are_rejected(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LambdaPrices.from_json(raw)


def test_unknown_architecture_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        DataFiles().lambda_prices.price("riscv")
