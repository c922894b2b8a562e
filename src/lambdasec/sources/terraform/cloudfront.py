"""Maps the Lambda@Edge associations of an `aws_cloudfront_distribution` to push triggers."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

from lambdasec.model import Origin, PushTrigger, SourceKind, TriggerKind, Unresolved
from lambdasec.sources.terraform.calls import Key
from lambdasec.sources.terraform.dynamic import scope_of
from lambdasec.sources.terraform.expressions import Scope
from lambdasec.sources.terraform.reader import Reader

__all__ = ["map_distribution"]

# A function's version ARN, or the parts it is built from (`${aws_lambda_function.f.arn}:${...version}`).
_VERSION_PARTS: Final = re.compile(
    r"(?<![\w.])(aws_lambda_function\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?)\.(?:qualified_arn|arn|version)\b"
)
# Locals an expression reads (followed a few levels), and module outputs (another module's resources).
_LOCAL: Final = re.compile(r"(?<![\w.])local\.([A-Za-z_][\w-]*)")
_MODULE: Final = re.compile(r"(?<![\w.])module\.")
_LOCAL_DEPTH: Final = 4


def map_distribution(r: Reader) -> Iterator[PushTrigger]:
    """One trigger per `lambda_function_association` of the default and the ordered cache behaviors.

    `lambda_arn` is a version ARN (`aws_lambda_function.x.qualified_arn`); the trigger points at the
    function behind it. A distribution with `enabled = false` serves nothing.
    """
    enabled = r.flag("enabled", field="enabled")
    behaviors = [("default_cache_behavior", body) for body in r.nested_all("default_cache_behavior")[:1]]
    behaviors.extend(
        (f"ordered_cache_behavior/{index}", body)
        for index, body in enumerate(r.nested_all("ordered_cache_behavior"))
    )
    for path, behavior in behaviors:
        for index, body in enumerate(r.nested_all("lambda_function_association", behavior)):
            entry = Reader(block=r.block, scope=r.scope)
            function = _function(entry, body, scope=r.scope)
            name = f"{path}/lambda_function_association/{index}"
            yield PushTrigger(
                key=f"{r.key}/{name}",
                function=function or Unresolved("lambda_arn: required attribute missing"),
                kind=TriggerKind.CLOUDFRONT,
                source=r.key,
                detail=entry.text("event_type", field="detail", body=body),
                enabled=True if enabled is None else enabled,
                origin=_origin(r, entry, name=name, line=_start(body)),
            )


def _function(entry: Reader, body: Mapping[str, Any], *, scope: Scope) -> str | Unresolved | None:
    """The function whose version `lambda_arn` names: the one function of the module it is built from,
    in the attribute or in the locals it reads (`var.on ? aws_lambda_function.f[0].qualified_arn : ""`)."""
    value = entry.text("lambda_arn", field="function", body=body)
    raw = body.get("lambda_arn")
    if not isinstance(value, Unresolved) or not isinstance(raw, str):
        return value
    text = _expression_text(raw, scope)
    named = {match[1] for match in _VERSION_PARTS.finditer(text)} if text is not None else set()
    if len(named) != 1:
        return value
    found = scope_of(body, scope).resolve("${" + named.pop() + ".arn}")
    return found if isinstance(found, Key) else value


def _expression_text(raw: str, scope: Scope) -> str | None:
    """`raw` followed by the expressions of the locals it reads (and theirs); None when any of it reads a
    module's output, whose resources are the module's and not the ones of the same address here."""
    text, seen = raw, set()
    for _ in range(_LOCAL_DEPTH):
        names = [name for name in _LOCAL.findall(text) if name not in seen]
        if not names:
            break
        seen.update(names)
        text += "".join(f"\n{scope.locals.get(name, '')}" for name in names)
    return None if _MODULE.search(text) else text


def _start(body: Mapping[str, Any]) -> int | None:
    line = body.get("__start_line__")
    return line if isinstance(line, int) else None


def _origin(r: Reader, entry: Reader, *, name: str, line: int | None) -> Origin:
    return Origin(
        source=SourceKind.TERRAFORM,
        file=r.block.file.display,
        line=line if line is not None else r.block.line,
        resource=f"{r.block.address}/{name}",
        fields=(*entry.fields, *r.fields),
    )
