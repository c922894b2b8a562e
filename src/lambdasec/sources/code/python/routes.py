"""Web-framework apps behind a Lambda adapter (`handler = Mangum(app)`): route functions as entry points."""

from __future__ import annotations

import ast
import re
from typing import Final

from lambdasec.model import FlowStep, Taint

from .modules import Function, ModuleInfo
from .values import Value

__all__ = ["REQUEST_OBJECTS", "route_functions", "route_parameters", "routes_reached"]

# Names a framework binds to the current request: reading them reads what the client sent.
REQUEST_OBJECTS: Final = frozenset(
    {"flask.request", "quart.request", "bottle.request", "werkzeug.local.request"}
)
_ROUTE_METHODS: Final = frozenset(
    {"route", "get", "post", "put", "patch", "delete", "api_route", "websocket"}
)
# Route parameter annotations whose values the framework converts, so they carry no injectable text.
_SAFE_ANNOTATIONS: Final = frozenset(
    {"int", "float", "bool", "UUID", "uuid.UUID", "date", "datetime", "Decimal"}
)
_CONVERTED: Final = re.compile(r"<(?:int|float|uuid):(\w+)>|\{(\w+):(?:int|float|uuid)\}")
_NOT_INPUT: Final = frozenset({"self", "cls", "request", "response", "background_tasks", "db", "session"})


def route_functions(module: ModuleInfo) -> list[Function]:
    """Module functions registered as routes (`@app.route(...)`, `@router.get(...)`, `@bp.post(...)`)."""
    return [function for function in module.functions.values() if _route_decorator(function) is not None]


def routes_reached(module: ModuleInfo, handler: Function, routes: list[Function]) -> bool:
    """True when `handler` hands requests to the app its module's routes are registered on.

    It does when it names the app (`app.resolve(event, context)`, `Mangum(app)(event, context)`) or
    an object the module joins to the app (`app.include_router(router)`); another handler of the
    module (an SQS consumer next to the API's resolver) does not run the routes.
    """
    apps = {name for route in routes if (name := _receiver(_route_decorator(route))) is not None}
    tree = module.parsed.tree
    for statement in tree.body if isinstance(tree, ast.Module) else ():
        names = {node.id for node in ast.walk(statement) if isinstance(node, ast.Name)}
        if isinstance(statement, ast.Expr) and names & apps:
            apps |= names  # `app.include_router(router)`: the router's routes run behind the app
    return any(isinstance(node, ast.Name) and node.id in apps for node in ast.walk(handler))


def _receiver(decorator: ast.Call | None) -> str | None:
    """`app` for `@app.get("/")`."""
    if decorator is None or not isinstance(decorator.func, ast.Attribute):
        return None
    target = decorator.func.value
    return target.id if isinstance(target, ast.Name) else None


def _route_decorator(function: Function) -> ast.Call | None:
    for decorator in function.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        if (
            isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in _ROUTE_METHODS
            and decorator.args
            and isinstance(decorator.args[0], ast.Constant)
            and isinstance(decorator.args[0].value, str)
            and decorator.args[0].value.startswith("/")
        ) or _resolver_field(decorator) is not None:
            return decorator
    return None


def _resolver_field(decorator: ast.Call) -> str | None:
    """`Query.getTodo` for Powertools' `@app.resolver(type_name="Query", field_name="getTodo")`.

    The function's parameters are the GraphQL field's arguments, which the API's caller sends.
    """
    if not (isinstance(decorator.func, ast.Attribute) and decorator.func.attr == "resolver"):
        return None
    named = {k.arg: k.value for k in decorator.keywords}
    field = named.get("field_name")
    if not (isinstance(field, ast.Constant) and isinstance(field.value, str)):
        return None
    kind = named.get("type_name")
    prefix = f"{kind.value}." if isinstance(kind, ast.Constant) and isinstance(kind.value, str) else ""
    return prefix + field.value


def route_parameters(function: Function, *, display: str) -> dict[str, Value]:
    """The values of a route function's parameters: client input unless converted to a number or id."""
    decorator = _route_decorator(function)
    template = ""
    resolved = _resolver_field(decorator) if decorator is not None else None
    if decorator is not None and resolved is None and isinstance(decorator.args[0], ast.Constant):
        template = str(decorator.args[0].value)
    converted = {a or b for a, b in _CONVERTED.findall(template)}
    found: dict[str, Value] = {}
    for param in [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]:
        annotation = ast.unparse(param.annotation) if param.annotation is not None else ""
        if param.arg in _NOT_INPUT or param.arg in converted or annotation in _SAFE_ANNOTATIONS:
            found[param.arg] = Value()
            continue
        where = f"resolver {resolved}" if resolved is not None else f"route {template}"
        note = f"{param.arg} (parameter of {where})"
        found[param.arg] = Value(
            taints=frozenset({Taint.EVENT}),
            steps=(FlowStep(file=display, line=param.lineno, note=note),),
        )
    return found
