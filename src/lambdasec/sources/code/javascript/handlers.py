"""Handler entry points in JavaScript/TypeScript modules: the line of a named export, and handler shapes."""

from __future__ import annotations

from typing import Final

from tree_sitter import Node

from lambdasec.sources.code.analyzer import HandlerShape, ParsedFile
from lambdasec.sources.code.javascript.exports import (
    exported,
    exports_of,
    find_function,
    shape_names,
    top_binding,
)
from lambdasec.sources.code.javascript.syntax import line, text, unwrap

__all__ = [
    "ADAPTER_MODULES",
    "handler_exports",
    "handler_function",
    "handler_line",
    "handler_shapes",
    "parameters",
]

# Substrings of the names of the packages that adapt a web app to a Lambda handler (`serverless(app)`).
ADAPTER_MODULES: Final = (
    "serverless-http",
    "serverless-express",
    "aws-lambda-fastify",
    "fastify/aws-lambda",
    "hono/aws-lambda",
)

_EVENT_NAMES: Final = ("event", "evt", "ev", "e", "input", "payload")
_CONTEXT_NAMES: Final = ("context", "ctx", "lambdacontext")
# First parameters that mark a default export as a handler (short names like `e` are common elsewhere).
_EVENTS: Final = frozenset({"event", "evt", "lambdaevent"})


def handler_function(parsed: ParsedFile, symbol: str) -> Node | None:
    """The function node of the exported handler `symbol`, when it can be resolved in this file."""
    found = exported(parsed.tree.root_node, symbol)
    return found[1] if found is not None else None


def handler_line(parsed: ParsedFile, symbol: str) -> int | None:
    """The line of the handler `symbol`'s function (or of its export when the function is elsewhere).

    None when the runtime would not find `symbol`: it reads that property of what loading the module
    gives, so an ESM default export is `default`, and `module.exports = fn` has no `default`.
    """
    found = exported(parsed.tree.root_node, symbol, loaded=True)
    if found is None:
        return None
    node, function = found
    return line(function if function is not None else node)


def handler_exports(parsed: ParsedFile) -> tuple[str, ...]:
    """The names a handler setting can reach in this module, as the runtime loads it, in source order."""
    return tuple(dict.fromkeys(name for name, _ in exports_of(parsed.tree.root_node, loaded=True)))


def handler_shapes(parsed: ParsedFile) -> tuple[HandlerShape, ...]:
    """Exports named like handlers, exported functions taking (event, context), and adapted web apps."""
    root = parsed.tree.root_node
    shapes: dict[str, HandlerShape] = {}
    adapters = any(name in parsed.text for name in ADAPTER_MODULES)
    for name, node in exports_of(root):
        if name in shapes:
            continue
        function = find_function(root, node)
        if function is None:
            call = _call(root, node) if adapters and name in shape_names() else None
            if call is not None:
                shapes[name] = HandlerShape(symbol=name, line=line(call))
            continue
        if (
            name in shape_names()
            or _event_context(function)
            or _handler_named(name, function)
            or (name == "default" and _takes_event(function))
        ):
            shapes[name] = HandlerShape(symbol=name, line=line(function))
    return tuple(shapes.values())


def _call(root: Node, node: Node) -> Node | None:
    """The call an export is (`serverless(app)`), written in place or bound to a module name."""
    node = unwrap(node)
    if node.type in ("identifier", "shorthand_property_identifier"):
        bound = top_binding(root, text(node))
        node = unwrap(bound) if bound is not None else node
    return node if node.type == "call_expression" else None


def parameters(function: Node) -> list[Node]:
    """The parameter nodes of `function` (patterns included, TypeScript wrappers removed)."""
    params = function.child_by_field_name("parameters")
    if params is None:
        single = function.child_by_field_name("parameter")
        return [single] if single is not None else []
    result: list[Node] = []
    for param in params.named_children:
        if param.type in ("required_parameter", "optional_parameter"):
            pattern = param.child_by_field_name("pattern")
            if pattern is not None:
                result.append(pattern)
        elif param.type != "comment":
            result.append(param)
    return result


def _handler_named(name: str, function: Node) -> bool:
    """`getItemsHandler = async (event) => ...`: named a handler, its first parameter an event."""
    params = parameters(function)
    if not name.lower().endswith("handler") or not params or params[0].type != "identifier":
        return False
    return text(params[0]).lstrip("_").lower().endswith(_EVENT_NAMES)


def _takes_event(function: Node) -> bool:
    """`export default middy(async (event) => ...)`: a default export whose first parameter is an event."""
    params = parameters(function)
    return bool(params) and params[0].type == "identifier" and text(params[0]).lstrip("_").lower() in _EVENTS


def _event_context(function: Node) -> bool:
    params = parameters(function)
    if len(params) < 2 or params[0].type != "identifier" or params[1].type != "identifier":
        return False
    first, second = text(params[0]).lstrip("_").lower(), text(params[1]).lstrip("_").lower()
    return first.endswith(_EVENT_NAMES) and second in _CONTEXT_NAMES
