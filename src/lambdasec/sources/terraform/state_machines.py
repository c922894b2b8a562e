"""Maps the Lambda tasks of `aws_sfn_state_machine` definitions to Step Functions triggers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, Final

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import Origin, PushTrigger, SourceKind, TriggerKind, Unresolved
from lambdasec.sources.states_language import UNKNOWN, function_field, invokes_lambda, names_function, tasks
from lambdasec.sources.terraform.api_body import json_argument
from lambdasec.sources.terraform.api_template import template_body
from lambdasec.sources.terraform.hcl import SOURCE_NAME, keyed_lines, value_lines
from lambdasec.sources.terraform.reader import Reader
from lambdasec.sources.terraform.triggers import is_function

__all__ = ["map_state_machine"]

_INTERPOLATION: Final = re.compile(r"\$\{[^}]*\}")
# A function's ARN with a version or alias appended: `${aws_lambda_function.f.arn}:live`.
_QUALIFIED: Final = re.compile(
    r"^\$\{\s*(aws_lambda_function\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?)\.arn\s*\}:[^:]+$"
)


def map_state_machine(r: Reader) -> Iterator[PushTrigger]:
    """One trigger per Task state of the definition that invokes a function."""
    raw = r.block.body.get("definition")
    if raw is None:
        return
    at = r.block.attribute_line("definition")
    text = template_body(r, raw) if isinstance(raw, str) else None
    definition = _decode(raw if text is None else text, r)
    if not isinstance(definition, dict) or not isinstance(definition.get("States"), dict):
        _warn(r, line=at)
        return
    # the states of a jsonencode or heredoc definition are on lines of the block; a file's are not
    span = value_lines(r.block.file.lines, r.block.body, "definition") if text is None else None
    seen: set[str] = set()
    for task in tasks(definition):
        value, dynamic = _function_value(task.state)
        if value is None or task.name in seen:
            continue
        seen.add(task.name)
        entry = Reader(block=r.block, scope=r.scope)
        if dynamic:
            function: str | Unresolved = Unresolved(f"{task.name}: FunctionName {value}")
        else:
            function = _function(entry, value, task=task.name)
        lines = keyed_lines(r.block.file.lines, span, task.name) if span is not None else []
        line = lines[0] if lines else at
        name = f"States/{task.name}"
        yield PushTrigger(
            key=f"{r.key}/{name}",
            function=function,
            kind=TriggerKind.STEP_FUNCTIONS,
            source=r.key,
            detail=task.name,
            origin=Origin(
                source=SourceKind.TERRAFORM,
                file=r.block.file.display,
                line=line if line is not None else r.block.line,
                resource=f"{r.block.address}/{name}",
                fields=(("function", line),) if line is not None else (),
            ),
        )


def _function(entry: Reader, value: Any, *, task: str) -> str | Unresolved:
    """The function a task names, also behind a qualified ARN built from a function's `arn`."""
    found = entry.text("function", field="function", body={"function": value})
    qualified = _QUALIFIED.match(value) if isinstance(value, str) else None
    if isinstance(found, Unresolved) and qualified is not None:
        unqualified = entry.text(
            "function", field="function", body={"function": "${" + qualified[1] + ".arn}"}
        )
        return unqualified if isinstance(unqualified, str) else found
    return found if found is not None else Unresolved(f"{task}: FunctionName missing")


def _function_value(state: Any) -> tuple[Any, bool]:
    """The expression naming the function a task invokes and whether it is chosen at run time."""
    resource = state.get("Resource")
    if not isinstance(resource, str):
        return None, False
    if invokes_lambda(_INTERPOLATION.sub(UNKNOWN, resource)):
        field = function_field(state)
        return (None, False) if field is None else (field.value, field.dynamic)
    if is_function(resource) or names_function(_INTERPOLATION.sub(UNKNOWN, resource)):
        return resource, False
    return None, False


def _decode(raw: Any, r: Reader) -> Any:
    """The definition as data: `jsonencode({...})`, JSON text (a heredoc, a file) or a resolved value;
    Terraform expressions stay in its strings."""
    if not isinstance(raw, str):
        return None
    decoded = json_argument(raw)
    if decoded is not None:
        return decoded
    value = r.value("definition")  # a local or variable holding the text
    if isinstance(value, str) and value != raw:
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return None
    return None


def _warn(r: Reader, *, line: int | None) -> None:
    problem = Diagnostic(
        level=DiagnosticLevel.WARNING,
        source=SOURCE_NAME,
        message=f"`{r.block.address}`: the state machine's definition cannot be read; the functions it"
        " invokes are not known",
        file=r.block.file.display,
        line=line if line is not None else r.block.line,
    )
    if problem not in r.scope.problems:
        r.scope.problems.append(problem)
