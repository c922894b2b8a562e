"""`AWS::Serverless::StateMachine` -> an AWS::StepFunctions::StateMachine with its definition."""

from __future__ import annotations

from typing import Any, Final

from lambdasec.sources.cloudformation.includes import INCLUDE
from lambdasec.sources.cloudformation.sam_context import Expander
from lambdasec.sources.cloudformation.sam_marks import keep, key_line, node, put

__all__ = ["expand_state_machine"]

_RENAMED: Final = (("Name", "StateMachineName"), ("Role", "RoleArn"), ("Type", "StateMachineType"))
_KEPT: Final = ("Definition", "DefinitionSubstitutions", "Logging", "TracingConfiguration")


def expand_state_machine(ex: Expander, logical_id: str, props: Any, *, line: int) -> bool:
    """The state machine SAM generates; True when its definition is a local file.

    A local `DefinitionUri` becomes an `AWS::Include` of that file (read after the expansion, like
    the includes of the template itself); one in S3 becomes `DefinitionS3Location`.
    """
    machine = node(getattr(props, "line", 0) or line)
    for key in _KEPT:
        keep(machine, props, key)
    for key, as_key in _RENAMED:
        keep(machine, props, key, as_key=as_key)
    uri = props.get("DefinitionUri")
    at = key_line(props, "DefinitionUri", line)
    local = False
    if isinstance(uri, str) and not uri.lower().startswith("s3://") and "Definition" not in props:
        include = node(at, [("Name", INCLUDE), ("Parameters", node(at, [("Location", uri)]))])
        put(machine, "Definition", node(at, [("Fn::Transform", include)]), at)
        local = True
    elif uri is not None and "Definition" not in props:
        put(machine, "DefinitionS3Location", uri, at)
    ex.replace_resource(logical_id, "AWS::StepFunctions::StateMachine", machine)
    return local
