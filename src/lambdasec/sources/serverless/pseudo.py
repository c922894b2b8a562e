"""The serverless-pseudo-parameters plugin: `#{AWS::AccountId}` and `#{Resource}` in strings as `Fn::Sub`."""

from __future__ import annotations

import re
from typing import Any, Final

from lambdasec.sources.cloudformation.sam_marks import node
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

__all__ = ["PSEUDO_PARAMETERS_PLUGIN", "with_pseudo_parameters"]

PSEUDO_PARAMETERS_PLUGIN: Final = "serverless-pseudo-parameters"
_PLACEHOLDER: Final = re.compile(r"#\{([A-Za-z0-9_.:]+)\}")


def with_pseudo_parameters(value: Any, *, region: str, line: int = 0) -> Any:
    """`value` with each string holding `#{Name}` replaced, in place, by `Fn::Sub` of `${Name}`.

    `#{AWS::Region}` is the deployment region, known here; a string left without placeholders stays one.
    """
    if isinstance(value, str):
        if "#{" not in value:
            return value
        text = value.replace("#{AWS::Region}", region)
        return (
            node(line, [("Fn::Sub", _PLACEHOLDER.sub(r"${\1}", text))]) if _PLACEHOLDER.search(text) else text
        )
    if isinstance(value, dict):
        lines = value.key_lines if isinstance(value, MarkedDict) else {}
        for key, child in value.items():
            value[key] = with_pseudo_parameters(child, region=region, line=lines.get(key, line))
    elif isinstance(value, list):
        item_lines = value.item_lines if isinstance(value, MarkedList) else []
        for index, child in enumerate(value):
            at = item_lines[index] if index < len(item_lines) else line
            value[index] = with_pseudo_parameters(child, region=region, line=at)
    return value
