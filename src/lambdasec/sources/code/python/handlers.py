"""Python handler entry points: where a named handler is defined, and functions shaped like handlers."""

from __future__ import annotations

import ast
from typing import Final

from lambdasec.sources.code.analyzer import HandlerShape, ParsedFile

__all__ = ["handler_line", "handler_shapes"]

_HANDLER_NAMES: Final = frozenset({"handler", "lambda_handler", "main"})
_CONTEXT_NAMES: Final = frozenset({"context", "ctx", "_context", "_ctx", "lambda_context"})
_EVENT_NAMES: Final = frozenset({"event", "evt", "_event", "e", "payload", "request", "req", "records"})
_CONTEXT_ATTRS: Final = frozenset(
    {
        "aws_request_id",
        "get_remaining_time_in_millis",
        "function_name",
        "function_version",
        "invoked_function_arn",
        "log_group_name",
        "log_stream_name",
        "memory_limit_in_mb",
    }
)
_EVENT_KEYS: Final = frozenset(
    {"Records", "body", "queryStringParameters", "pathParameters", "httpMethod", "requestContext", "detail"}
)
_ADAPTERS: Final = frozenset({"Mangum", "make_lambda_handler", "LambdaHandler"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def handler_line(parsed: ParsedFile, symbol: str) -> int | None:
    """The line of the module-level function (or name bound to one, `handler = Mangum(app)`) `symbol`."""
    tree = parsed.tree
    if not isinstance(tree, ast.Module):
        return None
    found: int | None = None
    for node in tree.body:
        if (
            (isinstance(node, _FUNCTIONS) and node.name == symbol)
            or (isinstance(node, ast.Assign) and any(_binds(t, symbol) for t in node.targets))
            or (isinstance(node, ast.AnnAssign) and node.value is not None and _binds(node.target, symbol))
            or (isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == symbol for a in node.names))
        ):
            found = node.lineno
    return found


def _binds(target: ast.expr, symbol: str) -> bool:
    if isinstance(target, ast.Name):
        return target.id == symbol
    if isinstance(target, ast.Tuple | ast.List):
        return any(_binds(t, symbol) for t in target.elts)
    return False


def handler_shapes(parsed: ParsedFile) -> list[HandlerShape]:
    """Module-level functions taking exactly (event, context): by name, or by a context-named parameter."""
    tree = parsed.tree
    if not isinstance(tree, ast.Module):
        return []
    shapes = [
        HandlerShape(symbol=node.name, line=node.lineno)
        for node in tree.body
        if isinstance(node, _FUNCTIONS) and _looks_like_handler(node)
    ]
    shapes += [
        HandlerShape(symbol=target.id, line=node.lineno)
        for node in tree.body
        if isinstance(node, ast.Assign) and _adapter_call(node.value)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id in _HANDLER_NAMES
    ]
    return shapes


def _adapter_call(value: ast.expr) -> bool:
    """`Mangum(app)`, `make_lambda_handler(app)`: a web app adapted to a Lambda handler."""
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in _ADAPTERS


def _looks_like_handler(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    if len(positional) != 2 or args.vararg is not None or args.kwonlyargs or args.defaults:
        return False
    event, context = (a.arg for a in positional)
    if context in _CONTEXT_NAMES:
        return True
    if node.name in _HANDLER_NAMES and (event in _EVENT_NAMES or context.endswith("context")):
        return True
    return _used_like_handler(node, event=event, context=context)


def _used_like_handler(node: ast.FunctionDef | ast.AsyncFunctionDef, *, event: str, context: str) -> bool:
    """The second parameter used as a Lambda context, or a handler-named function reading event keys."""
    handler_named = "handle" in node.name.lower() or "lambda" in node.name.lower()
    for inner in ast.walk(node):
        match inner:
            case ast.Attribute(value=ast.Name(id=name), attr=attr) if (
                name == context and attr in _CONTEXT_ATTRS
            ):
                return True
            case ast.Subscript(value=ast.Name(id=name), slice=ast.Constant(value=str() as key)) if (
                handler_named and name == event and key in _EVENT_KEYS
            ):
                return True
            case _:
                pass
    return False
