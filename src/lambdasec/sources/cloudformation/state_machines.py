"""Maps the Lambda tasks of AWS::StepFunctions::StateMachine definitions to Step Functions triggers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

from lambdasec.model import PushTrigger, TriggerKind, Unresolved
from lambdasec.records import record
from lambdasec.sources.cloudformation.intrinsics import Link, describe, intrinsic_name
from lambdasec.sources.cloudformation.properties import Context, Resource
from lambdasec.sources.cloudformation.references import function_in_expression
from lambdasec.sources.states_language import (
    UNKNOWN,
    Task,
    function_field,
    invokes_lambda,
    names_function,
    tasks,
)
from lambdasec.sources.yaml_loader import line_of

__all__ = ["map_state_machine"]

# An expression spliced into a `DefinitionString` (by `Fn::Sub` or `Fn::Join`), by its index.
_TOKEN: Final = "\x01{}\x01"
_TOKEN_OR_PLACEHOLDER: Final = re.compile(r"\x01(\d+)\x01|\$\{([^}]*)\}")
_SUB_VARIABLE: Final = re.compile(r"\$\{([^}]*)\}")
_FUNCTION_TYPES: Final = frozenset({"AWS::Lambda::Function", "AWS::Lambda::Alias", "AWS::Lambda::Version"})


@record
class _Definition:
    """A parsed definition, the expressions spliced into it, its substitutions, and whether it has
    lines of its own (a mapping in the template) or only the property's line (a JSON string)."""

    body: Any
    spliced: list[Any]
    substitutions: Mapping[str, Any]
    line: int | None
    inline: bool


def map_state_machine(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """One trigger per Task state of the state machine that invokes a function."""
    definition = _definition(resource, ctx)
    if definition is None:
        return
    seen: set[str] = set()
    for task in tasks(definition.body):
        found = _task_function(task, definition, ctx)
        if found is None:
            continue
        function, line = found
        name = f"{resource.logical_id}/States/{task.name}"
        if name in seen:
            continue
        seen.add(name)
        state_line = line_of(task.states, task.name) if definition.inline else None
        yield PushTrigger(
            key=ctx.key(name),
            function=function,
            kind=TriggerKind.STEP_FUNCTIONS,
            source=ctx.key(resource.logical_id),
            detail=task.name,
            origin=ctx.origin(
                name,
                line=state_line or definition.line,
                fields=[("function", line)] if line is not None else [],
            ),
        )


def _definition(resource: Resource, ctx: Context) -> _Definition | None:
    """The definition of the state machine; None (with a warning when it exists but cannot be read)."""
    p = resource.properties(ctx)
    raw_subs = p.data.get("DefinitionSubstitutions")
    subs: Mapping[str, Any] = raw_subs if isinstance(raw_subs, Mapping) else {}
    body = p.data.get("Definition")
    if isinstance(body, Mapping) and intrinsic_name(body) is None:
        return _Definition(
            body=body, spliced=[], substitutions=subs, line=p.line_of("Definition"), inline=True
        )
    key = "DefinitionString" if "DefinitionString" in p.data else "Definition"
    if intrinsic_name(p.data.get(key)) == "Fn::Transform":  # an include not expanded (already reported)
        _unreadable(resource, ctx, reason="cannot be read", line=p.line_of(key))
        return None
    if not p.has(key):
        if p.has("DefinitionS3Location"):
            _unreadable(resource, ctx, reason="is in S3", line=p.line_of("DefinitionS3Location"))
        return None
    line = p.line_of(key)
    text, spliced = _text(p.data[key], ctx)
    parsed: Any = None
    if text is not None:
        try:
            parsed = json.loads(text, strict=False)
        except ValueError:
            parsed = None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("States"), dict):
        _unreadable(resource, ctx, reason="cannot be read", line=line)
        return None
    return _Definition(body=parsed, spliced=spliced, substitutions=subs, line=line, inline=False)


def _unreadable(resource: Resource, ctx: Context, *, reason: str, line: int | None) -> None:
    ctx.diagnostics.warn(
        f"`{resource.logical_id}`: the state machine's definition {reason}; the functions it invokes are"
        " not known",
        line,
    )


def _text(raw: Any, ctx: Context) -> tuple[str | None, list[Any]]:
    """A `DefinitionString` as JSON text, with each expression it splices in replaced by a token."""
    name = intrinsic_name(raw)
    if name == "Fn::Sub":
        arg = raw[name]
        template = arg[0] if isinstance(arg, list) and arg else arg
        variables = arg[1] if isinstance(arg, list) and len(arg) > 1 and isinstance(arg[1], dict) else {}
        if not isinstance(template, str):
            return None, []
        pieces: list[Any] = []
        last = 0
        for match in _SUB_VARIABLE.finditer(template):
            pieces.append(template[last : match.start()])
            pieces.append(_sub_variable(match[1].strip(), variables))
            last = match.end()
        pieces.append(template[last:])
        return _splice(pieces, ctx)
    if name == "Fn::Join":
        arg = raw[name]
        if not (
            isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], list)
        ):
            return None, []
        joined: list[Any] = []
        for index, piece in enumerate(arg[1]):
            if index:
                joined.append(arg[0])
            joined.append(piece)
        return _splice(joined, ctx)
    value = ctx.resolver.resolve(raw)
    return (value, []) if isinstance(value, str) else (None, [])


def _sub_variable(variable: str, variables: Mapping[str, Any]) -> Any:
    """The expression `${variable}` of an `Fn::Sub` stands for (`${!x}` is the literal `${x}`)."""
    if variable.startswith("!"):
        return "${" + variable[1:] + "}"
    if variable in variables:
        return variables[variable]
    if "." in variable and not variable.startswith("AWS::"):
        resource, attribute = variable.split(".", 1)
        return {"Fn::GetAtt": [resource, attribute]}
    return {"Ref": variable}


def _splice(pieces: list[Any], ctx: Context) -> tuple[str, list[Any]]:
    """Join text pieces and expressions; an expression with a known text value is written in place."""
    out: list[str] = []
    spliced: list[Any] = []
    in_string = False
    for piece in pieces:
        value = piece if isinstance(piece, str) else ctx.resolver.resolve(piece)
        if isinstance(value, str):
            out.append(value)
            in_string = _still_in_string(value, in_string=in_string)
            continue
        spliced.append(piece)
        token = _TOKEN.format(len(spliced) - 1)
        out.append(token if in_string else f'"{token}"')
    return "".join(out), spliced


def _still_in_string(text: str, *, in_string: bool) -> bool:
    """Whether a JSON text continued by `text` ends inside a string literal."""
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and in_string:
            escaped = True
        elif char == '"':
            in_string = not in_string
    return in_string


def _task_function(
    task: Task, definition: _Definition, ctx: Context
) -> tuple[str | Unresolved, int | None] | None:
    """The function a Task state invokes and the line that names it; None for other tasks."""
    resource = _expression(task.state.get("Resource"), definition)
    if resource is None:
        return None
    shape = _shape(resource, ctx)
    if invokes_lambda(shape):
        field = function_field(task.state)
        if field is None:
            return None
        line = line_of(field.container, field.key) if definition.inline else definition.line
        if field.dynamic:
            return Unresolved(f"{task.name}: {field.key} {describe(field.value)}"), line
        expression = _expression(field.value, definition)
        if expression is None:
            return Unresolved(f"{task.name}: {field.key} {describe(field.value)}"), line
        return function_in_expression(ctx, expression), line
    if names_function(shape) or _links_function(resource, ctx):
        line = line_of(task.state, "Resource") if definition.inline else definition.line
        return function_in_expression(ctx, resource), line
    return None


def _expression(value: Any, definition: _Definition) -> Any:
    """A value of the definition as a template expression: tokens and `${Name}` substitutions replaced
    by what they stand for; None for a value that is neither text nor an expression."""
    if isinstance(value, dict):
        return value if intrinsic_name(value) is not None else None
    if not isinstance(value, str):
        return None
    pieces: list[Any] = []
    last = 0
    for match in _TOKEN_OR_PLACEHOLDER.finditer(value):
        if match[1] is not None:
            replacement: Any = definition.spliced[int(match[1])]
        elif match[2] in definition.substitutions:
            replacement = definition.substitutions[match[2]]
        else:
            continue
        pieces.extend((value[last : match.start()], replacement))
        last = match.end()
    if not pieces:
        return value
    pieces.append(value[last:])
    parts = [piece for piece in pieces if piece != ""]
    if len(parts) == 1:
        return parts[0]
    return {"Fn::Join": ["", parts]}


def _shape(expression: Any, ctx: Context) -> str:
    """The text of an ARN expression with its unknown parts written as UNKNOWN."""
    value = ctx.resolver.resolve(expression)
    if isinstance(value, str):
        return value
    arg = expression.get("Fn::Join") if isinstance(expression, dict) else None
    if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
        parts = [ctx.resolver.resolve(part) for part in arg[1]]
        return "".join(part if isinstance(part, str) else UNKNOWN for part in parts)
    sub = expression.get("Fn::Sub") if isinstance(expression, dict) else None
    template = sub[0] if isinstance(sub, list) and sub else sub
    if isinstance(template, str):
        return _SUB_VARIABLE.sub(UNKNOWN, template)
    return UNKNOWN


def _links_function(expression: Any, ctx: Context) -> bool:
    """True when an expression is a reference to a function, alias or version of the template."""
    value = ctx.resolver.resolve(expression)
    if isinstance(value, Link):
        return ctx.types.get(value.logical_id, "") in _FUNCTION_TYPES
    if _shape(expression, ctx) != UNKNOWN:
        return False
    found = function_in_expression(ctx, expression)  # `!Sub ${Fn.Arn}`
    return isinstance(found, str) and found.startswith(f"{ctx.file}#")
