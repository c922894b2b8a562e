"""Stage parameters of a serverless.yml: `stages.<stage>.params` (v4) and `params.<stage>` (v3)."""

from __future__ import annotations

from typing import Any, Final

from lambdasec.sources.yaml_loader import MarkedDict

__all__ = ["DEFAULT_STAGE_KEY", "declared_resolvers", "find_param", "parse_cli_param"]

DEFAULT_STAGE_KEY: Final = "default"


def find_param(document: MarkedDict, name: str, *, stage: str) -> tuple[Any, int] | None:
    """The unresolved value of parameter `name` for `stage`, with its line; None when the file has none.

    The framework's order: `stages.<stage>.params`, `params.<stage>`, then the `default` stage of each.
    """
    for stage_key in (stage, DEFAULT_STAGE_KEY):
        for section in (_section(document, "stages", stage_key), _params_of(document, stage_key)):
            if section is not None and name in section:
                return section[name], section.key_lines.get(name, section.line)
    return None


def parse_cli_param(text: str) -> tuple[str, str]:
    """`KEY=VALUE` (a `--param`) as a key and its string value; ValueError with the reason when it is not one.

    The key runs to the first `=`; the value is the rest, as written.
    """
    key, equals, value = text.partition("=")
    if not equals:
        raise ValueError(f"`{text}` is not KEY=VALUE")
    if not key.strip():
        raise ValueError(f"`{text}` has no parameter name before `=`")
    return key, value


def declared_resolvers(document: MarkedDict) -> frozenset[str]:
    """Names of the variable providers a v4 `stages.<stage>.resolvers` block declares, in any stage."""
    stages = document.get("stages")
    if not isinstance(stages, dict):
        return frozenset()
    names: set[str] = set()
    for settings in stages.values():
        resolvers = settings.get("resolvers") if isinstance(settings, dict) else None
        if isinstance(resolvers, dict):
            names.update(str(key) for key in resolvers)
    return frozenset(names)


def _section(document: MarkedDict, top: str, stage: str) -> MarkedDict | None:
    """`<top>.<stage>.params` as a mapping, else None."""
    stages = document.get(top)
    settings = stages.get(stage) if isinstance(stages, dict) else None
    params = settings.get("params") if isinstance(settings, dict) else None
    return params if isinstance(params, MarkedDict) else None


def _params_of(document: MarkedDict, stage: str) -> MarkedDict | None:
    """`params.<stage>` as a mapping, else None."""
    params = document.get("params")
    values = params.get(stage) if isinstance(params, dict) else None
    return values if isinstance(values, MarkedDict) else None
