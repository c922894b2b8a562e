"""Amazon States Language: the Task states of a state machine definition that invoke Lambda functions."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

from lambdasec.records import record

__all__ = ["UNKNOWN", "FunctionField", "Task", "function_field", "invokes_lambda", "names_function", "tasks"]

# Stands for a part of a resource ARN whose value is not known statically (`${AWS::Partition}`).
UNKNOWN: Final = "\x00"
_INVOKE: Final = re.compile(r"arn:[^:]*:states:::lambda:invoke(\.waitForTaskToken)?")
# Nesting of Parallel and Map states followed before giving up (guards cyclic or absurd input).
_MAX_DEPTH: Final = 32


@record(kw_only=False)
class Task:
    """A Task state: its name, its mapping and the `States` mapping it is declared in (for its line)."""

    name: str
    state: Mapping[str, Any]
    states: Mapping[str, Any]


@record(kw_only=False)
class FunctionField:
    """The property of a `lambda:invoke` task that names the function: where it is and its value.

    `dynamic` is True for `FunctionName.$` (a JSONPath into the state's input) and a JSONata `{% ... %}`
    expression: the function is chosen at run time.
    """

    container: Mapping[str, Any]
    key: str
    value: Any
    dynamic: bool


def tasks(definition: Any) -> Iterator[Task]:
    """Every Task state of a definition, in `States` and in Parallel `Branches` and Map
    `Iterator` / `ItemProcessor` states, in declaration order."""
    yield from _walk(definition, depth=0)


def _walk(machine: Any, *, depth: int) -> Iterator[Task]:
    states = machine.get("States") if isinstance(machine, Mapping) else None
    if not isinstance(states, Mapping) or depth > _MAX_DEPTH:
        return
    for name, state in states.items():
        if not isinstance(state, Mapping):
            continue
        kind = state.get("Type")
        if kind == "Task" and isinstance(name, str):
            yield Task(name=name, state=state, states=states)
        elif kind == "Parallel" and isinstance(state.get("Branches"), list):
            for branch in state["Branches"]:
                yield from _walk(branch, depth=depth + 1)
        elif kind == "Map":
            for key in ("ItemProcessor", "Iterator"):
                yield from _walk(state.get(key), depth=depth + 1)


def invokes_lambda(shape: str) -> bool:
    """True for the optimized integration `arn:aws:states:::lambda:invoke` (and `.waitForTaskToken`).

    `shape` is the resource ARN with unknown parts written as UNKNOWN.
    """
    return _INVOKE.fullmatch(shape) is not None


def names_function(shape: str) -> bool:
    """True for a Lambda function ARN as a task's `Resource` (the legacy direct form)."""
    parts = shape.split(":")
    return len(parts) >= 7 and parts[0] == "arn" and parts[2] == "lambda" and parts[5] == "function"


def function_field(state: Mapping[str, Any]) -> FunctionField | None:
    """`Parameters.FunctionName` (JSONPath mode) or `Arguments.FunctionName` (JSONata mode) of a task."""
    for block in ("Parameters", "Arguments"):
        params = state.get(block)
        if not isinstance(params, Mapping):
            continue
        if "FunctionName" in params:
            value = params["FunctionName"]
            jsonata = isinstance(value, str) and value.strip().startswith("{%")
            return FunctionField(container=params, key="FunctionName", value=value, dynamic=jsonata)
        if "FunctionName.$" in params:
            value = params["FunctionName.$"]
            return FunctionField(container=params, key="FunctionName.$", value=value, dynamic=True)
    return None
