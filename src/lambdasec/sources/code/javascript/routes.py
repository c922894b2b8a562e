"""Express apps behind a Lambda adapter (`handler = serverless(app)`): route callbacks as entry points."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from tree_sitter import Node

from lambdasec.model import Taint
from lambdasec.records import record
from lambdasec.sources.code.analyzer import ParsedFile
from lambdasec.sources.code.event_shapes import TaintPolicy
from lambdasec.sources.code.javascript.exports import exported, exports_of, top_binding
from lambdasec.sources.code.javascript.handlers import parameters
from lambdasec.sources.code.javascript.modules import require_source, resolve_relative
from lambdasec.sources.code.javascript.syntax import FUNCTIONS, string_value, text, unwrap
from lambdasec.sources.code.javascript.taint import Engine
from lambdasec.sources.code.javascript.values import FuncRef

__all__ = ["Route", "request_taints", "routes"]

# Calls that turn an Express app into a Lambda handler (or into the server a handler proxies to).
_ADAPTERS: Final = frozenset(
    {
        "serverless-http",
        "@vendia/serverless-express",
        "@vendia/serverless-express.configure",
        "@codegenie/serverless-express",
        "@codegenie/serverless-express.configure",
        "aws-serverless-express.createServer",
        "@fastify/aws-lambda",
        "aws-lambda-fastify",
        "hono/aws-lambda.handle",
    }
)
# Adapters of apps whose route callbacks get one context (`c.req.query("q")`, `c.redirect(url)`).
_CONTEXT_ADAPTERS: Final = frozenset({"hono/aws-lambda.handle"})
_PROXY: Final = "aws-serverless-express.proxy"
_METHODS: Final = frozenset({"get", "post", "put", "patch", "delete", "all", "options", "head", "use"})
# Parts of an Express request that come from the client (the rest, like `req.app`, are the server's).
_INPUTS: Final = frozenset(
    {
        "query",
        "params",
        "body",
        "cookies",
        "signedCookies",
        "headers",
        "rawHeaders",
        "path",
        "url",
        "originalUrl",
        "baseUrl",
        "hostname",
        "host",
        "subdomains",
    }
)
_MAX_MODULES: Final = 32
# Members of a Hono request that are the server's, not the client's.
_NOT_INPUT: Final = frozenset({"routePath", "matchedRoutes"})


@record(kw_only=False)
class Route:
    """A callback registered on an adapted app: its function, which parameter is the request, and where.

    `context` marks a callback whose request parameter is a context holding both the request (under
    `req`) and the response (Hono's `c`).
    """

    ref: FuncRef
    request: int
    method: str
    path: str
    context: bool = False

    @property
    def label(self) -> str:
        """`GET /files`, or `middleware /api` for `use`."""
        verb = "middleware" if self.method == "use" else self.method.upper()
        return f"{verb} {self.path or '/'}"


@dataclass(slots=True)
class _Collector:
    engine: Engine
    found: list[Route] = field(default_factory=list)
    seen: set[tuple[str, str, str]] = field(default_factory=set)
    context: bool = False


def routes(engine: Engine, parsed: ParsedFile, symbol: str) -> list[Route]:
    """The route callbacks of the app the handler `symbol` adapts, in source order.

    The export is an adapter call (`serverless(app)`, bound to a name or not), or a function that
    proxies events to an adapted server (`awsServerlessExpress.proxy(server, event, context)`).
    """
    found = exported(parsed.tree.root_node, symbol)
    if found is None:
        return []
    node, function = found
    calls = [_adapter_call(engine, parsed, node)] if function is None else _proxied(engine, parsed, function)
    collector = _Collector(engine)
    for call in calls:
        app = _app_argument(call) if call is not None else None
        if app is not None:
            callee = call.child_by_field_name("function") if call is not None else None
            adapter = engine.module_value(parsed.path, callee).qname if callee is not None else None
            collector.context = adapter in _CONTEXT_ADAPTERS
            _callback(collector, parsed.path, app, method="use", prefix="")
    return collector.found


def _proxied(engine: Engine, parsed: ParsedFile, function: Node) -> list[Node | None]:
    """The adapter calls a handler function makes, or whose server it proxies events to."""
    found: list[Node | None] = []
    stack = [function]
    followed = {function.start_byte}  # module functions it calls are searched too (`setup(event)`)
    while stack:
        node = stack.pop()
        stack.extend(reversed(node.named_children))
        callee = node.child_by_field_name("function") if node.type == "call_expression" else None
        if callee is None:
            continue
        value = engine.module_value(parsed.path, callee)
        arguments = node.child_by_field_name("arguments")
        if value.qname == _PROXY and arguments is not None and arguments.named_children:
            found.append(_adapter_call(engine, parsed, arguments.named_children[0]))
        elif value.qname in _ADAPTERS:
            found.append(node)
        elif value.func is not None and value.func.path == parsed.path and value.func.start not in followed:
            followed.add(value.func.start)
            stack.append(value.func.node)
    return found


def request_taints(path: tuple[str, ...], policy: TaintPolicy) -> frozenset[Taint]:
    """What the request part at `path` carries: client input, judged like the event (headers: credentials).

    Under a context's `req` (Hono: `c.req.query("q")`, `c.req.json()`) every part is client input.
    """
    if not path:
        return policy.taints(())
    if path[0] == "req":
        return policy.taints(("body",)) if len(path) == 1 or path[1] not in _NOT_INPUT else frozenset()
    if path[0] not in _INPUTS:
        return frozenset()
    head = "cookies" if path[0] == "signedCookies" else path[0]
    return policy.taints((head, *path[1:]))


def _adapter_call(engine: Engine, parsed: ParsedFile, node: Node) -> Node | None:
    node = unwrap(node)
    if node.type in ("identifier", "shorthand_property_identifier"):
        bound = top_binding(parsed.tree.root_node, text(node))
        node = unwrap(bound) if bound is not None else node
    if node.type != "call_expression":
        return None
    callee = node.child_by_field_name("function")
    if callee is None or engine.module_value(parsed.path, callee).qname not in _ADAPTERS:
        return None
    return node


def _app_argument(call: Node) -> Node | None:
    """`app` of `serverless(app)` and of `serverlessExpress({ app })`."""
    arguments = call.child_by_field_name("arguments")
    first = unwrap(arguments.named_children[0]) if arguments and arguments.named_children else None
    if first is None or first.type != "object":
        return first
    for member in first.named_children:
        if member.type == "shorthand_property_identifier" and text(member) == "app":
            return member
        key = member.child_by_field_name("key") if member.type == "pair" else None
        if key is not None and text(key) == "app":
            return member.child_by_field_name("value")
    return None


def _callback(collector: _Collector, path: str, node: Node, *, method: str, prefix: str) -> None:
    """Record `node`, an argument of a registration: a function, a list of them, or a router."""
    node = unwrap(node)
    engine = collector.engine
    if node.type in FUNCTIONS:
        _add(collector, FuncRef(path, node, node.start_byte), method=method, prefix=prefix)
    elif node.type == "array":
        for element in node.named_children:
            _callback(collector, path, element, method=method, prefix=prefix)
    elif node.type == "call_expression":
        source = require_source(node)
        if source is not None:
            relative = resolve_relative(path, source, engine.package_paths)
            if relative is not None:
                _router_module(collector, relative, "default", prefix=prefix)
            return
        arguments = node.child_by_field_name("arguments")  # wrappers: `asyncHandler(async (req, res) => ...)`
        for argument in arguments.named_children if arguments is not None else ():
            _callback(collector, path, argument, method=method, prefix=prefix)
    elif node.type in ("identifier", "shorthand_property_identifier", "member_expression"):
        value = engine.module_value(path, node)
        if value.func is not None:
            _add(collector, value.func, method=method, prefix=prefix)
        elif value.module is not None:
            name = value.qname or "default"
            ref = engine.export(value.module, name)
            if ref is not None:
                _add(collector, ref, method=method, prefix=prefix)
            else:
                _router_module(collector, value.module, name, prefix=prefix)
        elif node.type != "member_expression":
            _registrations(collector, path, text(node), prefix=prefix)


def _router_module(collector: _Collector, path: str, name: str, *, prefix: str) -> None:
    """The app or router package file `path` exports as `name` (`module.exports = router`)."""
    module = collector.engine.file(path)
    if module is None:
        return
    root = module.parsed.tree.root_node
    for exported_name, node in exports_of(root):
        if exported_name != name:
            continue
        if unwrap(node).type in ("identifier", "shorthand_property_identifier"):
            _registrations(collector, path, text(unwrap(node)), prefix=prefix)
        elif top_binding(root, name) == node:  # `export const app = express()`: the name is the binding
            _registrations(collector, path, name, prefix=prefix)


def _registrations(
    collector: _Collector, path: str, name: str, *, prefix: str, body: Node | None = None
) -> None:
    """The callbacks registered on the app or router `name` of package file `path`.

    Registrations are read at the top level of the module (or of `body`, a function that receives the
    app); a call passing the app to such a function (`registerRoutes(app)`) is followed into it.
    """
    key = (path, name if body is None else f"{name}@{body.start_byte}", prefix)
    if key in collector.seen or len(collector.seen) >= _MAX_MODULES:
        return
    collector.seen.add(key)
    module = collector.engine.file(path)
    if module is None:
        return
    for statement in (body if body is not None else module.parsed.tree.root_node).named_children:
        if statement.type != "expression_statement" or not statement.named_children:
            continue
        expression = unwrap(statement.named_children[0])
        for call, method, route in _calls_on(expression, name):
            arguments = call.child_by_field_name("arguments")
            args = list(arguments.named_children) if arguments is not None else []
            literal = string_value(unwrap(args[0])) if args else None
            where = route if literal is None else route + literal
            for arg in args[1:] if literal is not None else args:
                _callback(collector, path, arg, method=method, prefix=prefix + where)
        _passed(collector, path, expression, name, prefix=prefix)


def _passed(collector: _Collector, path: str, call: Node, name: str, *, prefix: str) -> None:
    """Follow `registerRoutes(app)` / `require("./routes")(app)` into the function given the app."""
    callee = call.child_by_field_name("function") if call.type == "call_expression" else None
    arguments = call.child_by_field_name("arguments")
    if callee is None or arguments is None:
        return
    args = [unwrap(arg) for arg in arguments.named_children]
    index = next((i for i, arg in enumerate(args) if arg.type == "identifier" and text(arg) == name), None)
    if index is None:
        return
    engine = collector.engine
    callee = unwrap(callee)
    source = require_source(callee)
    ref: FuncRef | None = None
    if source is not None:
        relative = resolve_relative(path, source, engine.package_paths)
        ref = engine.export(relative, "default") if relative is not None else None
    elif callee.type in ("identifier", "member_expression"):
        value = engine.module_value(path, callee)
        ref = value.func
        if ref is None and value.module is not None:
            ref = engine.export(value.module, value.qname or "default")
    params = parameters(ref.node) if ref is not None else []
    block = ref.node.child_by_field_name("body") if ref is not None else None
    if ref is None or index >= len(params) or params[index].type != "identifier" or block is None:
        return
    if block.type == "statement_block":
        _registrations(collector, ref.path, text(params[index]), prefix=prefix, body=block)


def _calls_on(node: Node, name: str) -> Iterator[tuple[Node, str, str]]:
    """`name.get(...)`, `name.route("/x").get(...).post(...)`: each call with its method and route path."""
    if node.type != "call_expression":
        return
    callee = node.child_by_field_name("function")
    if callee is None or callee.type != "member_expression":
        return
    target, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
    if target is None or prop is None:
        return
    route = _receiver(target, name)
    if route is not None and text(prop) in _METHODS:
        yield node, text(prop), route
    yield from _calls_on(unwrap(target), name)


def _receiver(node: Node, name: str) -> str | None:
    """The route path when `node` is the app or router `name` (`""`), or a route of it, else None."""
    node = unwrap(node)
    if node.type == "identifier":
        return "" if text(node) == name else None
    callee = node.child_by_field_name("function") if node.type == "call_expression" else None
    if callee is None or callee.type != "member_expression":
        return None
    target, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
    base = _receiver(target, name) if target is not None else None
    if base is None or prop is None:
        return None
    if text(prop) == "route":
        arguments = node.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
        return base + ((string_value(unwrap(first)) if first is not None else None) or "")
    return base if text(prop) in _METHODS else None  # a registration returns its receiver


def _add(collector: _Collector, ref: FuncRef, *, method: str, prefix: str) -> None:
    params = parameters(ref.node)
    request = 1 if len(params) == 4 and not collector.context else 0  # `(err, req, res, next)`
    if len(params) > request:
        collector.found.append(Route(ref, request, method, prefix, collector.context))
