"""Maps `aws_lambda_provisioned_concurrency_config` blocks."""

from __future__ import annotations

from typing import TypeVar

from lambdasec.model import ProvisionedConcurrency, Unresolved
from lambdasec.sources.terraform.reader import Reader

__all__ = ["map_provisioned_concurrency"]

T = TypeVar("T", str, int)


def map_provisioned_concurrency(r: Reader) -> ProvisionedConcurrency:
    """An `aws_lambda_provisioned_concurrency_config`.

    A qualifier naming an alias of the module (`aws_lambda_alias.live.name`) holds the alias key here;
    `qualifiers.through_aliases` turns it into the alias name.
    """
    return ProvisionedConcurrency(
        key=r.key,
        function=_required(r.text("function_name", field="function"), "function_name"),
        qualifier=_required(r.text("qualifier", field="qualifier"), "qualifier"),
        executions=_required(
            r.integer("provisioned_concurrent_executions", field="executions"),
            "provisioned_concurrent_executions",
        ),
        origin=r.origin(),
    )


def _required(value: T | Unresolved | None, attr: str) -> T | Unresolved:
    return Unresolved(f"{attr}: required attribute missing") if value is None else value
