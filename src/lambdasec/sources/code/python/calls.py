"""The call model: sinks by callee, sources, validation, package functions via summaries, unknown calls."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from typing import Final

from lambdasec.model import FlowStep, SinkKind

from .expressions import DATA_CLASS_GETTERS, ExpressionWalker
from .modules import Function, ModuleInfo, dotted_name
from .session import Summary
from .specs import LOG_METHODS, METHOD_SINKS, REMOVERS, SINKS, SinkSpec
from .values import CLEAN, EVERY_SINK, Value, combine, fixed_destination, merge

__all__ = ["INJECTION_SINKS", "CallWalker"]

INJECTION_SINKS: Final = EVERY_SINK - {SinkKind.LOG, SinkKind.TMP_WRITE}
_MONGO_RECEIVER: Final = re.compile(r"(coll|mongo|^db$|_db$|database)", re.IGNORECASE)
_LOGGER_RECEIVER: Final = re.compile(r"(^|_)(log|logger|logging)$", re.IGNORECASE)
_WRITE_MODES: Final = re.compile(r"[wax+]")
_QUERY_BUILDERS: Final = frozenset(
    {"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"}
)
_DATA_CLASSES: Final = "aws_lambda_powertools.utilities.data_classes."
_NEGATED_CLASS: Final = re.compile(r"^\[\^(?P<kept>[^\]]+)\]\+?$")
_REQUEST_OBJECTS: Final = frozenset({"urllib.request.Request", "urllib2.Request"})
_PATH_WRITES: Final = frozenset({"write_text", "write_bytes"})
_REQUEST_KIND: Final = "urllib.Request"


class CallWalker(ExpressionWalker):
    """Adds the evaluation of calls to the expression walker."""

    def summarize(self, module: ModuleInfo, function: Function, *, args: dict[int, Value]) -> Summary | None:
        """A package function's summary for these arguments; implemented by the statement walker."""
        raise NotImplementedError

    def call(self, node: ast.Call) -> Value:
        """The value of a call, recording any sink it is."""
        func = node.func
        receiver = self.expr(func.value) if isinstance(func, ast.Attribute) else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and receiver == CLEAN:
            receiver = (
                self.package_class(func.value, dotted_name(func.value, self.module.imports)) or receiver
            )
        args = [self.expr(a) for a in node.args]
        keywords = {k.arg: self.expr(k.value) for k in node.keywords}
        name = self.canonical(func, receiver)
        method = func.attr if isinstance(func, ast.Attribute) else None
        everything = [*args, *keywords.values()]

        if method is not None:
            secret = self.secret_source(node, method=method)
            if secret is not None:
                return secret
        if name in ("os.getenv", "os.environ.get") or (
            receiver is not None and receiver.kind == "os.environ" and method == "get"
        ):
            key = args[0] if args else CLEAN
            return self.environment_variable(key.prefix if key.const else None, node)
        if self.validation(node, name=name, method=method):
            return CLEAN

        self.sinks(node, name=name, method=method, receiver=receiver, args=args, keywords=keywords)
        if name in _QUERY_BUILDERS:
            return CLEAN  # reported here; the query object it builds is not reported again where it runs

        if name in REMOVERS and args and args[0].const and args[0].prefix:
            self.session.removed.add(args[0].prefix.rstrip("/"))
        if receiver is not None and receiver.path is not None and method is not None:
            return self.event_method(node, method=method, receiver=receiver, args=args)
        if name == "re.sub" and len(args) > 2:
            return _stripped(args[0], args[1], value=args[2])
        if name in _REQUEST_OBJECTS:  # a request's destination is its URL; the body it carries is not
            url = args[0] if args else keywords.get("url", CLEAN)
            return replace(url.data(), kind=_REQUEST_KIND)
        if name is not None and name.startswith(_DATA_CLASSES) and args and args[0].path is not None:
            return args[0]  # a Powertools event data class reads the same event
        if receiver is not None and receiver.kind == "ddb.condition":
            return Value(kind="ddb.condition")
        if name in ("open", "io.open", "codecs.open") and args:
            return self.opened(node, args[0])
        if name == "lxml.etree.XMLParser":
            safe = _false(node, "resolve_entities")
            return Value(kind="lxml.parser.safe" if safe else "lxml.parser")
        if name is not None and name.startswith("boto3.") and method in ("client", "resource", "Table"):
            return Value(kind="boto3")
        if method in ("append", "extend", "add", "insert", "update", "appendleft") and isinstance(
            func, ast.Attribute
        ):
            self.grow(func.value, args=args, keywords=keywords)
            return CLEAN

        instance = self.package_class(func, name)
        if instance is not None:
            return instance
        if receiver is not None and method is not None and receiver.kind in self.session.classes:
            found = self.session.method(receiver.kind, method)
            if found is not None:
                module, function, static = found
                result = self.follow(
                    node, (module, function), args=args if static else [receiver, *args], keywords=keywords
                )
                if result is not None:
                    return result
        target = self.package_function(func, name)
        if target is not None:
            result = self.follow(node, target, args=args, keywords=keywords)
            if result is not None:
                return result
        if name is not None:
            known = self.known_call(
                name, [*([receiver] if receiver is not None and receiver.kind else []), *everything]
            )
            if known is not None:
                return known
        if method is not None and receiver is not None and receiver.tainted:
            handled = self.string_method(method, receiver, values=everything)
            if handled is not None:
                if method == "get" and args and args[0].const:
                    return self.keyed(handled, args[0].prefix, node=node)
                return handled
            everything = [receiver, *everything]
        elif method is not None and receiver is not None and not self.is_module(func):
            handled = self.string_method(method, receiver, values=everything)
            if handled is not None:
                return handled
        return self.unknown(everything)

    def is_module(self, func: ast.expr) -> bool:
        """True for a function of an imported module (`requests.get`), not a method of a value."""
        root = func.value if isinstance(func, ast.Attribute) else func
        while isinstance(root, ast.Attribute):
            root = root.value
        return isinstance(root, ast.Name) and root.id not in self.env and root.id in self.module.imports

    # -- sources and event data classes -------------------------------------------------------------

    def event_method(self, node: ast.Call, *, method: str, receiver: Value, args: list[Value]) -> Value:
        """Methods on the event or a part of it: `.get(key)`, Powertools getters, `.items()`."""
        path = receiver.path or ()
        key = args[0].prefix if args and args[0].const else None
        if method == "get":
            part = self.event_part(receiver, (*path, key if key is not None else "*"), node=node)
            if len(args) > 1 and args[1].tainted:
                return merge([part, args[1]])
            return part
        getter = DATA_CLASS_GETTERS.get(method)
        if getter is not None:
            return self.event_part(receiver, (*path, getter, key if key is not None else "*"), node=node)
        if method in ("items", "values", "keys", "copy"):
            return self.event_part(receiver, (*path, "*"), node=node).data() if method != "copy" else receiver
        if method == "json_body" or method == "json":
            return self.event_part(receiver, (*path, "body"), node=node).data()
        part = receiver.data()
        return self.string_method(method, part, values=args) or self.unknown([part, *args])

    def opened(self, node: ast.Call, path: Value) -> Value:
        """A file opened for writing under /tmp becomes a `tmpfile` object; otherwise a clean handle."""
        mode = (
            node.args[1]
            if len(node.args) > 1
            else next((k.value for k in node.keywords if k.arg == "mode"), None)
        )
        writing = (
            isinstance(mode, ast.Constant) and isinstance(mode.value, str) and _WRITE_MODES.search(mode.value)
        )
        if writing and path.prefix is not None and _under_tmp(path.prefix):
            return Value(kind="tmpfile", prefix=path.prefix, const=path.const)
        return CLEAN

    def grow(self, container: ast.expr, *, args: list[Value], keywords: dict[str | None, Value]) -> None:
        """`items.append(x)`: the container now holds x's taint too."""
        if not isinstance(container, ast.Name):
            return
        added = [v for v in [*args, *keywords.values()] if v.tainted]
        if added:
            old = self.lookup(container.id)
            self.env[container.id] = combine([old.data(), *(v.data() for v in added)], kind=old.kind)

    def validation(self, node: ast.Call, *, name: str | None, method: str | None) -> bool:
        """`validate(instance=body, schema=S)` (jsonschema, Powertools): the validated name is now safe."""
        short = (name or "").rpartition(".")[2] if name else method
        with_schema = any(k.arg == "schema" for k in node.keywords) or len(node.args) > 1
        if not (short == "validate" and with_schema) and not (method == "validate" and node.args):
            return False
        checked = (
            node.args[0]
            if node.args
            else next((k.value for k in node.keywords if k.arg in ("instance", "event", "data")), None)
        )
        if isinstance(checked, ast.Name):
            value = self.lookup(checked.id)
            self.env[checked.id] = replace(value, validated=True, safe_for=value.safe_for | INJECTION_SINKS)
        return True

    # -- sinks -------------------------------------------------------------------------------------

    def sinks(
        self,
        node: ast.Call,
        *,
        name: str | None,
        method: str | None,
        receiver: Value | None,
        args: list[Value],
        keywords: dict[str | None, Value],
    ) -> None:
        """Records the sink this call is, if any, for the tainted values it receives."""
        spec = SINKS.get(name) if name is not None else None
        if spec is None and method is not None and (name is None or name not in SINKS):
            spec = self.method_sink(node, method=method, receiver=receiver)
        if spec is not None:
            self.check(node, spec, receiver=receiver, args=args, keywords=keywords)
        if self.is_log(node, name=name, method=method, receiver=receiver):
            value = combine(v for v in [*args, *keywords.values()] if v.tainted)
            self.record(SinkKind.LOG, callee=node.func, node=node, value=value)
        self.tmp_write(node, name=name, method=method, receiver=receiver, args=args)

    def method_sink(self, node: ast.Call, *, method: str, receiver: Value | None) -> SinkSpec | None:
        """Sinks known by method name on receivers whose type is not visible (`cursor.execute`)."""
        spec = METHOD_SINKS.get(method)
        if spec is None or spec.condition != "mongo":
            return spec
        func = node.func
        assert isinstance(func, ast.Attribute)
        if receiver is not None and receiver.kind == "pymongo":
            return spec
        return spec if _MONGO_RECEIVER.search(_tail(func.value)) else None

    def check(
        self,
        node: ast.Call,
        spec: SinkSpec,
        *,
        receiver: Value | None,
        args: list[Value],
        keywords: dict[str | None, Value],
    ) -> None:
        """Records `spec`'s sink when a checked argument is tainted and the condition holds."""
        checked = [args[i] for i in spec.args if i < len(args)]
        checked += [keywords[k] for k in spec.keywords if k in keywords]
        if spec.receiver and receiver is not None:
            checked.append(receiver)
        value = combine(v for v in checked if v.tainted)
        if not value.tainted:
            return
        if spec.kind is SinkKind.SSRF and all(v.kind == _REQUEST_KIND for v in checked if v.tainted):
            return  # `urlopen(Request(url))`: reported where the request was built
        note: str | None = None
        match spec.condition:
            case "shell":
                shell = next((k.value for k in node.keywords if k.arg == "shell"), None)
                uses_shell = isinstance(shell, ast.Constant) and bool(shell.value)
                if not uses_shell and any(v.kind == "list" for v in checked):
                    return
            case "yaml":
                if self.yaml_is_safe(node):
                    return
            case "lxml":
                parser = node.args[1] if len(node.args) > 1 else None
                parser_value = self.expr(parser) if parser is not None else keywords.get("parser")
                if parser_value is not None and parser_value.kind == "lxml.parser.safe":
                    return
            case "mongo":
                if not any(
                    v.kind == "mongo.where" or v.kind not in ("dict", "list") for v in checked if v.tainted
                ):
                    return
            case "ssrf":
                if all(fixed_destination(v) for v in checked if v.tainted):
                    return
            case "redirect":
                if all(fixed_destination(v, relative=True) for v in checked if v.tainted):
                    return
            case _:
                pass
        if spec.kind is SinkKind.PATH and any(v.prefix and _under_tmp(v.prefix) for v in checked):
            note = f"{self.note(node)} (under /tmp)"
        self.record(spec.kind, callee=node.func, node=node, value=value, note=note)

    def is_log(self, node: ast.Call, *, name: str | None, method: str | None, receiver: Value | None) -> bool:
        """print, logging.*, and logging methods of a logger (by kind or by the receiver's name)."""
        if name == "print":
            return True
        if method not in LOG_METHODS:
            return False
        if name is not None and name.startswith(("logging.", "logging.Logger.")):
            return True
        if receiver is not None and receiver.kind == "logging.Logger":
            return True
        func = node.func
        assert isinstance(func, ast.Attribute)
        return _LOGGER_RECEIVER.search(_tail(func.value)) is not None

    def tmp_write(
        self,
        node: ast.Call,
        *,
        name: str | None,
        method: str | None,
        receiver: Value | None,
        args: list[Value],
    ) -> None:
        """Secrets written to a file under /tmp (`f.write(secret)`, `Path("/tmp/k").write_text(secret)`)."""
        if receiver is None or not args:
            if (
                name in ("json.dump", "pickle.dump", "yaml.dump")
                and len(args) > 1
                and args[1].kind == "tmpfile"
            ):
                self.record(
                    SinkKind.TMP_WRITE,
                    callee=node.func,
                    node=node,
                    value=args[0],
                    tmp_path=args[1].prefix,
                )
            return
        if (receiver.kind == "tmpfile" and method in ("write", "writelines")) or (
            receiver.kind == "pathlib.Path"
            and method in _PATH_WRITES
            and receiver.prefix is not None
            and _under_tmp(receiver.prefix)
        ):
            self.record(
                SinkKind.TMP_WRITE,
                callee=node.func,
                node=node,
                value=args[0],
                tmp_path=receiver.prefix,
            )

    # -- package functions -------------------------------------------------------------------------

    def package_function(self, func: ast.expr, name: str | None) -> tuple[ModuleInfo, Function] | None:
        """The package function a callee names: same module, imported name, or module attribute."""
        if isinstance(func, ast.Name) and func.id in self.nested:
            return self.module, self.nested[func.id]
        if isinstance(func, ast.Name) and func.id not in self.env:
            local = self.module.functions.get(func.id)
            if local is not None and func.id not in self.module.imports:
                return self.module, local
        if name is None or "." not in name:
            return None
        return self.session.find_function(name, importer=self.module.parsed.path)

    def package_class(self, func: ast.expr, name: str | None) -> Value | None:
        """An instance (or the class itself) of a package class the callee names: `OrderService(...)`."""
        if isinstance(func, ast.Name) and func.id not in self.env and func.id in self.module.classes:
            return Value(kind=self.session.class_kind(self.module, self.module.classes[func.id]))
        if name is None or "." not in name or name.startswith("class:"):
            return None
        found = self.session.find_class(name, importer=self.module.parsed.path)
        return Value(kind=self.session.class_kind(*found)) if found is not None else None

    def follow(
        self,
        node: ast.Call,
        target: tuple[ModuleInfo, Function],
        *,
        args: list[Value],
        keywords: dict[str | None, Value],
    ) -> Value | None:
        """Applies a package function's summary at this call: its sinks and its return value."""
        module, function = target
        params = [a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)]
        bound: dict[int, Value] = dict(enumerate(args[: len(params)]))
        for key, value in keywords.items():
            if key in params:
                bound[params.index(key)] = value
        summary = self.summarize(module, function, args=bound)
        if summary is None:
            return None
        if not summary.hits and not summary.returned.tainted:
            return summary.returned
        where = f" in {module.parsed.display}" if module is not self.module else ""
        passed = FlowStep(file=self.file, line=node.lineno, note=f"passed to {self.note(node)}{where}")
        for hit in summary.hits:
            self.hits.append(replace(hit, value=self.rebase(hit.value, bound=bound, passed=passed)))
        if not summary.returned.tainted:
            return summary.returned
        returned = FlowStep(file=self.file, line=node.lineno, note=f"returned by {self.note(node)}")
        value = self.rebase(summary.returned, bound=bound, passed=passed)
        return replace(value, steps=(*value.steps, returned))

    def rebase(self, value: Value, *, bound: dict[int, Value], passed: FlowStep) -> Value:
        """A value from inside a callee, seen from the caller: the argument's trace before the callee's."""
        if not value.params:
            return value
        sources = [bound[i] for i in value.params if i in bound and bound[i].tainted]
        origin = min(sources, key=lambda v: len(v.steps)) if sources else None
        return replace(
            value,
            steps=(*(origin.steps if origin else ()), passed, *value.steps),
            params=frozenset().union(*(v.params for v in sources)),
            certain=value.certain and all(v.certain for v in sources),
        )

    def unknown(self, values: list[Value]) -> Value:
        """A call the analysis cannot see into: tainted arguments taint the result, but uncertainly."""
        tainted = [v.data() for v in values if v.tainted]
        if not tainted:
            return CLEAN
        return replace(combine(tainted), certain=False, prefix=None, const=False)


def _stripped(pattern: Value, replacement: Value, *, value: Value) -> Value:
    """`re.sub(r"[^A-Za-z0-9_-]", "", x)`: what is left has no shell, quote or path separator characters."""
    result = replace(value.data(), prefix=None, const=False)
    if not (pattern.const and replacement.const and replacement.prefix == "" and pattern.prefix):
        return result
    match = _NEGATED_CLASS.match(pattern.prefix)
    if match is None:
        return result
    kept = match["kept"]
    for allowed in ("a-z", "A-Z", "0-9", "\\w", "\\d"):
        kept = kept.replace(allowed, "")
    kept = kept.replace("\\", "")
    if not set(kept) <= set("_-. "):
        return result
    safe = INJECTION_SINKS - {SinkKind.PATH} if "." in kept else INJECTION_SINKS
    return replace(result, safe_for=result.safe_for | safe)


def _tail(node: ast.expr) -> str:
    """The last name of a receiver expression: `logger`, `self.log`, `client["db"]["users"]` -> users."""
    while True:
        match node:
            case ast.Name(id=name):
                return name
            case ast.Attribute(attr=attr):
                return attr
            case ast.Subscript(value=value, slice=ast.Constant(value=str() as key)):
                return key if isinstance(value, ast.Subscript | ast.Name | ast.Attribute) else ""
            case ast.Subscript(value=value) | ast.Call(func=value):
                node = value
            case _:
                return ""


def _under_tmp(path: str) -> bool:
    return path == "/tmp" or path.startswith("/tmp/")


def _false(node: ast.Call, keyword: str) -> bool:
    value = next((k.value for k in node.keywords if k.arg == keyword), None)
    return isinstance(value, ast.Constant) and value.value is False
