"""Applies `aws_lambda_function_event_invoke_config` blocks (destinations, retries) to their functions."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from lambdasec.model import LambdaFunction, Unresolved
from lambdasec.records import record
from lambdasec.sources.terraform.reader import Reader

__all__ = ["InvokeConfig", "apply_invoke_configs", "read_invoke_config"]


@record
class InvokeConfig:
    """Asynchronous invocation settings of the function `function` (inventory key or name)."""

    function: str
    file: str
    on_failure: str | Unresolved | None = None
    on_success: str | Unresolved | None = None
    retries: int | Unresolved | None = None
    fields: tuple[tuple[str, int], ...] = ()


def read_invoke_config(r: Reader) -> InvokeConfig | None:
    """The settings of one block; None when the function it applies to is not known."""
    function = r.text("function_name", field="function")
    if not isinstance(function, str):
        return None
    destinations = r.nested("destination_config")
    failure = r.nested("on_failure", destinations) if destinations else None
    success = r.nested("on_success", destinations) if destinations else None
    return InvokeConfig(
        function=function,
        file=r.block.file.display,
        on_failure=r.text("destination", field="on_failure_destination", body=failure) if failure else None,
        on_success=r.text("destination", field="on_success_destination", body=success) if success else None,
        retries=r.integer("maximum_retry_attempts", field="maximum_retry_attempts"),
        fields=tuple((name, line) for name, line in r.fields if name != "function"),
    )


def apply_invoke_configs(
    functions: Iterable[LambdaFunction], configs: Iterable[InvokeConfig]
) -> tuple[LambdaFunction, ...]:
    """`functions` with the settings of the first config naming each (by key or name).

    The config's lines become fields of the function when both are in the same file.
    """
    by_ref: dict[str, InvokeConfig] = {}
    for item in configs:
        by_ref.setdefault(item.function, item)
    out: list[LambdaFunction] = []
    for fn in functions:
        config = by_ref.get(fn.key) or (by_ref.get(fn.name) if isinstance(fn.name, str) else None)
        if config is None:
            out.append(fn)
            continue
        origin = fn.origin
        if config.file == origin.file:
            origin = dataclasses.replace(origin, fields=origin.fields + config.fields)
        out.append(
            dataclasses.replace(
                fn,
                on_failure_destination=config.on_failure,
                on_success_destination=config.on_success,
                maximum_retry_attempts=config.retries,
                origin=origin,
            )
        )
    return tuple(out)
