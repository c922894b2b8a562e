"""Taint analysis of one Python handler: the event parameter as source, flows to sinks as results."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Final

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import CodeUnit, Flow, FlowStep, Origin, SinkKind, SourceKind
from lambdasec.sources.code.analyzer import Analysis, Package, ParsedFile
from lambdasec.sources.code.event_shapes import Invocation

from .calls import INJECTION_SINKS
from .handlers import handler_line
from .modules import Function, ModuleInfo, dotted_name
from .routes import route_functions, route_parameters, routes_reached
from .session import Hit, ModuleIndex, Session
from .statements import Walker, ensure_module_env
from .values import Value

__all__ = ["analyze_handler"]

# Modules that turn a WSGI/ASGI app into a Lambda handler.
_WEB_ADAPTERS: Final = frozenset(
    {"serverless_wsgi", "mangum", "awsgi", "apig_wsgi", "aws_wsgi", "asgi_lambda"}
)


def analyze_handler(
    unit: CodeUnit,
    *,
    parsed: ParsedFile,
    package: Package,
    indexed: ModuleIndex | None = None,
    invocation: Invocation | None = None,
) -> Analysis:
    """Flows from `unit`'s event (and secrets, the environment) to sinks, following package calls;
    `invocation` is how the unit is invoked (`Invocation.of(unit)` when not given)."""
    session = Session(
        policy=Invocation.of(unit) if invocation is None else invocation,
        package=package,
        indexed=indexed or ModuleIndex(),
    )
    module = session.module(parsed.path, parsed=parsed)
    if module is None:
        return Analysis()
    function = module.functions.get(unit.symbol)
    if function is None and unit.symbol in module.imports:  # `from .impl import process as handler`
        found = session.find_function(module.imports[unit.symbol], importer=module.parsed.path)
        if found is not None:
            module, function = found
    routes = [(module, route) for route in route_functions(module)]
    if function is not None and routes and not routes_reached(module, function, [r for _, r in routes]):
        routes = []
    if not routes:  # the app is built in another module (`from app import app`, then `Mangum(app)`)
        scope = function if function is not None else _binding(module, unit.symbol)
        routes = [
            (found, route)
            for found in _app_modules(session, module, scope)
            for route in route_functions(found)
        ]
    if function is None and not routes:
        return Analysis(diagnostics=(_not_followed(unit, parsed),))
    for owner in [module, *(owner for owner, _ in routes)]:
        ensure_module_env(session, owner)  # once per module: it keeps the environment it built
    hits = session.import_time_hits()
    if function is not None:
        hits += _walk_handler(session, module, function=function)
    for owner, route in routes:  # an app behind an adapter (`handler = Mangum(app)`): routes are entry points
        walker = Walker(session, owner, depth=0)
        walker.env.update(route_parameters(route, display=owner.parsed.display))
        walker.block(route.body)
        hits += walker.hits
    writes = any(hit.sink is SinkKind.TMP_WRITE for hit in hits)
    return Analysis(flows=_flows(unit, hits, removed=session.removed_paths() if writes else set()))


def _binding(module: ModuleInfo, symbol: str) -> ast.stmt | None:
    """The module-level assignment that binds `symbol` (`handler = Mangum(app)`)."""
    tree = module.parsed.tree
    for statement in tree.body if isinstance(tree, ast.Module) else ():
        if isinstance(statement, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == symbol for target in statement.targets
        ):
            return statement
    return None


def _app_modules(session: Session, module: ModuleInfo, scope: ast.stmt | None) -> list[ModuleInfo]:
    """The package modules of the imported names a handler that runs a web app uses: where the app
    is built (`from web import app` then `handle_request(app, ...)`, `Mangum(web.app)`, `app.resolve`).
    """
    if scope is None or not _runs_an_app(module, scope):
        return []
    names = {node.id for node in ast.walk(scope) if isinstance(node, ast.Name)}
    found: list[ModuleInfo] = []
    for name in sorted(names & module.imports.keys()):
        dotted = module.imports.get(name)
        for candidate in (dotted.rpartition(".")[0], dotted) if dotted is not None else ():
            target = session.find_module(candidate, importer=module.parsed.path) if candidate else None
            if target is not None:
                if target is not module and target not in found:
                    found.append(target)
                break
    return found


def _runs_an_app(module: ModuleInfo, scope: ast.stmt) -> bool:
    """A cheap test before the search: the module imports a Lambda adapter for web apps, or the
    handler calls `.resolve(` (a Powertools resolver) or is an adapter assignment."""
    if any(dotted.partition(".")[0] in _WEB_ADAPTERS for dotted in module.imports.values()):
        return True
    end = scope.end_lineno or scope.lineno
    return isinstance(scope, ast.Assign) or any(
        ".resolve(" in line for line in module.lines[scope.lineno - 1 : end]
    )


def _walk_handler(session: Session, module: ModuleInfo, *, function: Function) -> list[Hit]:
    """The sinks the handler function reaches, its first parameter being the event."""
    walker = Walker(session, module, depth=0)
    event = _event_parameter(function)
    if event is not None:
        value = Value(
            taints=session.policy.taints(()),
            steps=(FlowStep(file=module.parsed.display, line=function.lineno, note=f"{event} (the event)"),),
            path=(),
        )
        value = _decorated(walker, function, event=value)
        walker.env[event] = value
    for param in [*function.args.posonlyargs, *function.args.args][1:]:
        walker.env[param.arg] = Value()
    walker.block(function.body)
    return walker.hits


def _not_followed(unit: CodeUnit, parsed: ParsedFile) -> Diagnostic:
    """A handler bound to something else than a function (`handler = Mangum(app)`) is not analysed."""
    return Diagnostic(
        level=DiagnosticLevel.WARNING,
        source="code",
        message=f"handler `{unit.symbol}` is not a function defined in the package; its code is not analysed",
        file=parsed.display,
        line=handler_line(parsed, unit.symbol),
    )


def _event_parameter(function: Function) -> str | None:
    params = [*function.args.posonlyargs, *function.args.args]
    return params[0].arg if params else None


def _decorated(walker: Walker, function: Function, *, event: Value) -> Value:
    """Powertools decorators: `@validator(inbound_schema=...)` validates the event; logging it whole."""
    for decorator in function.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        target = call.func if call is not None else decorator
        name = dotted_name(target, walker.module.imports) or ""
        short = name.rpartition(".")[2]
        keywords = {k.arg: k.value for k in call.keywords} if call is not None else {}
        if short == "validator" and "inbound_schema" in keywords:
            event = replace(event, validated=True, safe_for=event.safe_for | INJECTION_SINKS)
        logged = keywords.get("log_event")
        if short == "inject_lambda_context" and isinstance(logged, ast.Constant) and logged.value is True:
            whole = replace(event, taints=walker.session.policy.taints(()))
            walker.record(
                SinkKind.LOG,
                callee=walker.note(target),
                node=decorator,
                value=whole,
                note=f"{walker.note(decorator)} logs the whole event",
            )
    return event


def _removed(path: str | None, removed: set[str]) -> bool:
    if path is None:
        return False
    clean = path.rstrip("/")
    return any(clean == r or clean.startswith(r + "/") for r in removed)


def _flows(unit: CodeUnit, hits: list[Hit], *, removed: set[str]) -> tuple[Flow, ...]:
    """One flow per sink call site: taints merged, the shortest trace kept, numbered in source order."""
    sites: dict[tuple[str, int, int, SinkKind, str], Hit] = {}
    for hit in hits:
        if hit.sink is SinkKind.TMP_WRITE and _removed(hit.tmp_path, removed):
            continue
        key = (hit.file, hit.line, hit.col, hit.sink, hit.callee)
        known = sites.get(key)
        if known is None:
            sites[key] = hit
            continue
        merged = replace(
            known.value,
            taints=known.value.taints | hit.value.taints,
            steps=min(known.value.steps, hit.value.steps, key=len),
            certain=known.value.certain or hit.value.certain,
        )
        sites[key] = replace(known, value=merged)
    flows: list[Flow] = []
    ordinals: dict[tuple[SinkKind, str], int] = {}
    for (file, line, _col, sink, callee), hit in sorted(sites.items(), key=lambda item: item[0][:3]):
        ordinal = ordinals.get((sink, callee), 0) + 1
        ordinals[(sink, callee)] = ordinal
        flow_key = f"{unit.key}#{sink}:{callee}:{ordinal}"
        flows.append(
            Flow(
                key=flow_key,
                unit=unit.key,
                function=unit.function,
                sink=sink,
                callee=callee,
                taints=hit.value.taints,
                steps=hit.value.steps,
                certain=hit.value.certain,
                origin=Origin(
                    source=SourceKind.CODE, file=file, line=line, resource=flow_key, fields=(("sink", line),)
                ),
            )
        )
    return tuple(flows)
