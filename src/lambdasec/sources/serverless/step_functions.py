"""serverless-step-functions `stepFunctions.stateMachines`: the state machines the plugin creates."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Final

from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.sam_marks import key_line, node, put
from lambdasec.sources.serverless.naming import function_id, normalized
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

__all__ = ["compile_state_machines"]

_TYPE: Final = "AWS::StepFunctions::StateMachine"
_MAX_DEPTH: Final = 64


def compile_state_machines(
    document: MarkedDict, resources: MarkedDict, *, functions: Collection[str], diagnostics: Diagnostics
) -> None:
    """Add one AWS::StepFunctions::StateMachine per state machine, with its `definition`.

    The logical id is the machine's `id`, else `<Name>StepFunctionsStateMachine`; `Fn::GetAtt: [fn, Arn]`
    of a function key of the service names that function's resource, as the plugin translates it.
    """
    section = document.get("stepFunctions")
    machines = section.get("stateMachines") if isinstance(section, dict) else None
    if machines is None:
        return
    if not isinstance(machines, dict):
        diagnostics.warn(
            "`stepFunctions.stateMachines` must be a mapping", key_line(section, "stateMachines", 0)
        )
        return
    for name, spec in machines.items():
        line = key_line(machines, name, 0)
        if not isinstance(spec, dict):
            diagnostics.warn(f"state machine `{name}` must be a mapping", line)
            continue
        custom = spec.get("id")
        logical_id = (
            custom if isinstance(custom, str) else f"{normalized(str(name))}StepFunctionsStateMachine"
        )
        if logical_id in resources:
            continue
        properties = node(line)
        if "definition" in spec:
            definition = _translated(spec["definition"], functions, depth=0)
            at = key_line(spec, "definition", line)
            put(
                properties,
                "DefinitionString" if isinstance(definition, str) else "Definition",
                definition,
                at,
            )
        resource = node(line, [("Type", _TYPE), ("Properties", properties)])
        put(resources, logical_id, resource, line)


def _translated(value: Any, functions: Collection[str], *, depth: int) -> Any:
    """`value` (marks kept) with references to the service's functions by key turned into logical ids."""
    if depth > _MAX_DEPTH:
        return value
    if isinstance(value, dict):
        target = _function_arn(value, functions)
        if target is not None:
            return {"Fn::GetAtt": [function_id(target), "Arn"]}
        out = MarkedDict(getattr(value, "line", 0))
        for key, item in value.items():
            out[key] = _translated(item, functions, depth=depth + 1)
        out.key_lines = dict(value.key_lines) if isinstance(value, MarkedDict) else {}
        return out
    if isinstance(value, list):
        items = MarkedList(getattr(value, "line", 0))
        items.extend(_translated(item, functions, depth=depth + 1) for item in value)
        items.item_lines = list(value.item_lines) if isinstance(value, MarkedList) else []
        return items
    return value


def _function_arn(value: dict[Any, Any], functions: Collection[str]) -> str | None:
    """The function key of `Fn::GetAtt: [key, Arn]` (or `key.Arn`) when it names a function of the service."""
    if len(value) != 1 or "Fn::GetAtt" not in value:
        return None
    arg = value["Fn::GetAtt"]
    parts = arg.split(".", 1) if isinstance(arg, str) else arg
    if isinstance(parts, list) and len(parts) == 2 and parts[1] == "Arn" and parts[0] in functions:
        return str(parts[0])
    return None
