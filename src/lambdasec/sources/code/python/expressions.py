"""Abstract evaluation of Python expressions: sources, propagation, sanitizers and object kinds."""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import replace
from typing import Final

from lambdasec.model import FlowStep, SinkKind, Taint

from .modules import Function, ModuleInfo, dotted_name
from .routes import REQUEST_OBJECTS
from .session import Hit, Session
from .specs import (
    CLEANING_CALLS,
    CONSTRUCTORS,
    NORMALIZERS,
    PROPAGATORS,
    REDIRECT_CODES,
    SANITIZERS,
    SECRET_CALLS,
    STRING_METHODS,
    is_credential_key,
    is_secret_name,
)
from .values import CLEAN, Value, combine, const_string, fixed_destination, merge

__all__ = ["DATA_CLASS_GETTERS", "ExpressionWalker", "shorten"]

_NOTE_LIMIT: Final = 100
# Powertools event data classes: attribute -> the event key it reads (`event.json_body` is the body).
_DATA_CLASS_ATTRS: Final = {
    "body": ("body",),
    "json_body": ("body",),
    "decoded_body": ("body",),
    "raw_event": (),
    "headers": ("headers",),
    "query_string_parameters": ("queryStringParameters",),
    "multi_value_query_string_parameters": ("multiValueQueryStringParameters",),
    "path_parameters": ("pathParameters",),
    "path": ("path",),
    "raw_path": ("rawPath",),
    "cookies": ("cookies",),
    "records": ("Records",),
    "detail": ("detail",),
    "request_context": ("requestContext",),
    "input_s3_url": ("getObjectContext", "inputS3Url"),
    "request_route": ("getObjectContext", "outputRoute"),
    "request_token": ("getObjectContext", "outputToken"),
}
DATA_CLASS_GETTERS: Final = {
    "get_query_string_value": "queryStringParameters",
    "get_header_value": "headers",
    "get_path_param": "pathParameters",
    "get_multi_value_query_string_values": "multiValueQueryStringParameters",
}
_LIST_BUILDERS: Final = frozenset({"shlex.split", "list", "tuple", "sorted"})
_SPLITTERS: Final = frozenset({"split", "rsplit", "splitlines"})
_FILE_NAME_PARTS: Final = frozenset({"name", "stem", "suffix"})  # of a `pathlib.Path`
# The parts of a string split at `/` (none holds a `/`), and of `rsplit("/", n)` (only the last is sure to).
_SEGMENTS: Final = "list.segments"
_LAST_SEGMENT: Final = "list.last_segment"
_SAFE_YAML_LOADERS: Final = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader"})
_FORMAT_HOLE: Final = re.compile(r"[{%]")


def _split_kind(method: str, values: list[Value]) -> str:
    """The kind of list a split returns: path segments when it splits at `/`."""
    if method == "splitlines" or not values or not values[0].const or values[0].prefix != "/":
        return "list"
    if len(values) == 1:
        return _SEGMENTS
    return _LAST_SEGMENT if method == "rsplit" else "list"


def _one_segment(kind: str | None, index: ast.expr) -> bool:
    """True when indexing a list of path segments with `index` gives one segment (no `/` in it)."""
    if kind == _SEGMENTS:
        return not isinstance(index, ast.Slice)
    last = ast.UnaryOp(op=ast.USub(), operand=ast.Constant(value=1))
    return kind == _LAST_SEGMENT and ast.dump(index) == ast.dump(last)


def shorten(text: str) -> str:
    """A note for a trace step: at most a hundred characters."""
    return text if len(text) <= _NOTE_LIMIT else text[: _NOTE_LIMIT - 3] + "..."


class ExpressionWalker:
    """Evaluates expressions of one function body to abstract values, recording sinks reached."""

    def __init__(self, session: Session, module: ModuleInfo, *, depth: int) -> None:
        self.session = session
        self.module = module
        self.depth = depth
        self.file = module.parsed.display
        self.env: dict[str, Value] = {}
        self.hits: list[Hit] = []
        self.returns: list[Value] = []
        self.nested: dict[str, Function] = {}

    # -- names -------------------------------------------------------------------------------------

    def lookup(self, name: str) -> Value:
        """The value a name holds here: local, then module level."""
        found = self.env.get(name)
        if found is not None:
            return found
        module_env = self.module.env
        if module_env is not None:
            return module_env.get(name, CLEAN)
        return CLEAN

    def canonical(self, func: ast.expr, receiver: Value | None) -> str | None:
        """The dotted name a callee stands for: an import, a builtin, or `<kind>.<method>` of an object."""
        if isinstance(func, ast.Attribute) and receiver is not None and receiver.kind is not None:
            return f"{receiver.kind}.{func.attr}"
        root = func
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and root.id in self.env:
            return None
        return dotted_name(func, self.module.imports)

    def note(self, node: ast.AST) -> str:
        """The source text of `node` for a trace step, shortened."""
        return shorten(self.module.source_of(node))

    def step(self, node: ast.AST, note: str | None = None) -> FlowStep:
        """A trace step at `node` in this file."""
        return FlowStep(file=self.file, line=getattr(node, "lineno", 0), note=note or self.note(node))

    # -- expressions -------------------------------------------------------------------------------

    def expr(self, node: ast.expr) -> Value:
        """The abstract value of `node`."""
        match node:
            case ast.Constant(value=str() as text):
                return const_string(text)
            case ast.Constant():
                return CLEAN
            case ast.Name(id=name):
                if name not in self.env and self.module.imports.get(name) in REQUEST_OBJECTS:
                    return Value(taints=frozenset({Taint.EVENT}), steps=(self.step(node),))
                return self.lookup(name)
            case ast.JoinedStr(values=parts):
                return combine(
                    const_string(p.value)
                    if isinstance(p, ast.Constant) and isinstance(p.value, str)
                    else self.expr(p.value).data()
                    if isinstance(p, ast.FormattedValue)
                    else CLEAN
                    for p in parts
                )
            case ast.BinOp():
                return self.binop(node)
            case ast.BoolOp(values=values):
                return merge([self.expr(v) for v in values])
            case ast.IfExp(test=test, body=body, orelse=orelse):
                self.expr(test)
                return merge([self.expr(body), self.expr(orelse)])
            case ast.Compare(left=left, comparators=comparators):
                self.expr(left)
                for other in comparators:
                    self.expr(other)
                return CLEAN
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                self.expr(operand)
                return CLEAN
            case ast.UnaryOp(operand=operand):
                return self.expr(operand).data()
            case ast.Subscript():
                return self.subscript(node)
            case ast.Attribute():
                return self.attribute(node)
            case ast.Call():
                return self.call(node)
            case ast.List(elts=elts) | ast.Tuple(elts=elts) | ast.Set(elts=elts):
                return combine((self.expr(e).data() for e in elts), kind="list")
            case ast.Starred(value=value) | ast.Await(value=value):
                return self.expr(value)
            case ast.Dict():
                return self.dictionary(node)
            case ast.ListComp(elt=elt, generators=gens) | ast.SetComp(elt=elt, generators=gens):
                self.comprehension(gens)
                return combine([self.expr(elt).data()], kind="list")
            case ast.GeneratorExp(elt=elt, generators=gens):
                self.comprehension(gens)
                return combine([self.expr(elt).data()], kind="list")
            case ast.DictComp(key=key, value=value, generators=gens):
                self.comprehension(gens)
                return combine([self.expr(key).data(), self.expr(value).data()], kind="dict")
            case ast.NamedExpr(target=target, value=value):
                result = self.expr(value)
                self.bind(target, result, node=node)
                return result
            case ast.Yield(value=value) | ast.YieldFrom(value=value):
                return self.expr(value) if value is not None else CLEAN
            case _:
                return CLEAN

    def binop(self, node: ast.BinOp) -> Value:
        """Concatenation, %-formatting and path joining keep every operand's taint."""
        left, right = self.expr(node.left), self.expr(node.right)
        if isinstance(node.op, ast.BitAnd | ast.BitOr) and "ddb.condition" in (left.kind, right.kind):
            return Value(kind="ddb.condition")
        kind = left.kind if left.kind in ("pathlib.Path", "list") else None
        result = combine([left.data(), right.data()], kind=kind)
        if isinstance(node.op, ast.Mod) and left.prefix is not None:
            result = replace(result, prefix=_FORMAT_HOLE.split(left.prefix)[0], const=False)
        if kind == "pathlib.Path" and left.const and right.const:
            result = replace(result, prefix=posixpath.join(left.prefix or "", right.prefix or ""), const=True)
        return result

    def comprehension(self, generators: list[ast.comprehension]) -> None:
        """Binds comprehension targets to the elements they iterate over."""
        for gen in generators:
            self.bind(gen.target, self.iterate(self.expr(gen.iter), gen.iter), node=gen.iter, step=False)
            for condition in gen.ifs:
                self.expr(condition)

    def iterate(self, value: Value, node: ast.expr) -> Value:
        """An element of an iterated value (`for record in event["Records"]`)."""
        if value.path is not None:
            return self.event_part(value, (*value.path, "*"), node=node)
        return value.data()

    def event_part(self, base: Value, path: tuple[str, ...], *, node: ast.AST) -> Value:
        """The part of the event at `path`, judged by the trigger policy, with a fresh source step."""
        taints = self.session.policy.taints(path)
        if not taints:
            return Value(path=path, params=base.params, validated=base.validated, safe_for=base.safe_for)
        return Value(
            taints=taints,
            steps=(self.step(node),),
            path=path,
            params=base.params,
            certain=base.certain,
            safe_for=base.safe_for,
            validated=base.validated,
        )

    def subscript(self, node: ast.Subscript) -> Value:
        """Item access: a part of the event, an environment variable, or the container's taint."""
        base = self.expr(node.value)
        key_value = self.expr(node.slice)
        key = key_value.prefix if key_value.const else None
        if base.path is not None:
            if isinstance(node.slice, ast.Slice):
                return self.event_part(base, (*base.path, "*"), node=node).data()
            return self.event_part(base, (*base.path, key if key is not None else "*"), node=node)
        if base.kind == "os.environ":
            return self.environment_variable(key, node)
        if base.kind == "pymongo":
            return base
        if not base.tainted:
            return CLEAN
        if _one_segment(base.kind, node.slice):
            return replace(base.data(), safe_for=base.safe_for | {SinkKind.PATH})
        return self.keyed(base.data(), key, node=node)

    def keyed(self, value: Value, key: str | None, *, node: ast.AST) -> Value:
        """A field of tainted data: a credential when its key says so."""
        if key is not None and Taint.EVENT in value.taints and is_credential_key(key):
            return replace(
                value, taints=value.taints | {Taint.CREDENTIAL}, steps=(*value.steps, self.step(node))
            )
        return value

    def environment_variable(self, key: str | None, node: ast.AST) -> Value:
        """`os.environ["DB_PASSWORD"]` is a secret; other variables are configuration."""
        if key is not None and is_secret_name(key):
            return Value(taints=frozenset({Taint.SECRET}), steps=(self.step(node),))
        return CLEAN

    def attribute(self, node: ast.Attribute) -> Value:
        """Attribute access: `os.environ`, Powertools event data classes, or the object's taint."""
        if (
            isinstance(node.value, ast.Name)
            and node.value.id not in self.env
            and dotted_name(node, self.module.imports) == "os.environ"
        ):
            return Value(taints=frozenset({Taint.ENVIRONMENT}), steps=(self.step(node),), kind="os.environ")
        if node.attr == "current_event":  # Powertools event handler resolvers: the event being routed
            whole = self.session.policy.taints(())
            return Value(taints=whole, steps=(self.step(node),), path=()) if whole else Value(path=())
        if node.attr == "current_request" or (
            isinstance(node.value, ast.Name)
            and node.value.id not in self.env
            and self.module.imports.get(node.value.id) in REQUEST_OBJECTS
        ):  # Flask `request.args`, Chalice `app.current_request`: what the client sent
            return Value(taints=frozenset({Taint.EVENT}), steps=(self.step(node),))
        base = self.expr(node.value)
        if base.path is not None:
            mapped = _DATA_CLASS_ATTRS.get(node.attr)
            if mapped is not None:
                return self.event_part(base, (*base.path, *mapped), node=node)
            return self.event_part(base, (*base.path, node.attr), node=node)
        if base.kind == "pymongo":
            return base
        if base.tainted and base.kind == "pathlib.Path" and node.attr in _FILE_NAME_PARTS:
            return replace(base.data(), safe_for=base.safe_for | {SinkKind.PATH})  # no `/` in a name
        return base.data() if base.tainted else CLEAN

    def dictionary(self, node: ast.Dict) -> Value:
        """A dict literal; remembers a tainted `Location` header and reports redirect responses."""
        keys = [self.expr(k) if k is not None else CLEAN for k in node.keys]
        values = [self.expr(v) for v in node.values]
        result = combine([*(k.data() for k in keys), *(v.data() for v in values)], kind="dict")
        named = {k.prefix: (v, n) for k, v, n in zip(keys, values, node.values, strict=True) if k.const}
        location = named.get("Location") or named.get("location")
        if location is not None and location[0].tainted:
            result = replace(result, location=location[0], location_line=location[1].lineno)
        where = named.get("$where")
        if where is not None and where[0].tainted:
            result = replace(result, kind="mongo.where")
        status = node.values[[k.prefix for k in keys].index("statusCode")] if "statusCode" in named else None
        headers = named.get("headers")
        if (
            isinstance(status, ast.Constant)
            and status.value in REDIRECT_CODES
            and headers is not None
            and headers[0].location is not None
            and not fixed_destination(headers[0].location, relative=True)
        ):
            target = headers[0].location
            self.record(
                SinkKind.REDIRECT,
                callee="Location",
                node=node,
                value=target,
                line=headers[0].location_line,
                note=f"statusCode {status.value} with a Location header from the event",
            )
        return result

    # -- binding -----------------------------------------------------------------------------------

    def bind(self, target: ast.expr, value: Value, *, node: ast.AST, step: bool = True) -> None:
        """Assigns `value` to a target; a new trace step when the value is tainted."""
        match target:
            case ast.Name(id=name):
                line = getattr(node, "lineno", 0)
                if step and value.tainted and (not value.steps or value.steps[-1].line != line):
                    value = value.step(self.step(node))
                self.env[name] = value
            case ast.Tuple(elts=elts) | ast.List(elts=elts):
                element = self.iterate(value, target) if value.path is not None else value.data()
                for elt in elts:
                    self.bind(
                        elt.value if isinstance(elt, ast.Starred) else elt, element, node=node, step=step
                    )
            case ast.Subscript(value=ast.Name(id=name), slice=key):
                old = self.lookup(name)
                key_value = self.expr(key)
                updated = combine([old.data(), value.data()], kind=old.kind)
                if key_value.const and key_value.prefix in ("Location", "location") and value.tainted:
                    updated = replace(updated, location=value, location_line=getattr(node, "lineno", 0))
                elif old.location is not None:
                    updated = replace(updated, location=old.location, location_line=old.location_line)
                self.env[name] = updated
            case ast.Starred(value=inner):
                self.bind(inner, value, node=node, step=step)
            case _:
                return

    # -- recording ---------------------------------------------------------------------------------

    def record(
        self,
        sink: SinkKind,
        *,
        callee: str | ast.AST,
        node: ast.AST,
        value: Value,
        line: int | None = None,
        note: str | None = None,
        tmp_path: str | None = None,
    ) -> None:
        """Records tainted `value` reaching a sink, unless a sanitizer made it safe for that sink."""
        if not value.tainted or sink in value.safe_for:
            return
        where = line if line is not None else getattr(node, "lineno", 0)
        last = FlowStep(file=self.file, line=where, note=note or self.note(node))
        self.hits.append(
            Hit(
                sink=sink,
                callee=callee if isinstance(callee, str) else self.note(callee),
                file=self.file,
                line=where,
                col=getattr(node, "col_offset", 0),
                value=replace(value, steps=(*value.steps, last)),
                tmp_path=tmp_path,
            )
        )

    # -- calls (see calls.py for the call model) -----------------------------------------------------

    def call(self, node: ast.Call) -> Value:
        """The value of a call; implemented by the call model."""
        raise NotImplementedError

    # -- helpers shared with the call model --------------------------------------------------------

    def secret_source(self, node: ast.Call, *, method: str) -> Value | None:
        """A Secrets Manager / Parameter Store read (decrypted), or None."""
        if method not in SECRET_CALLS:
            return None
        if method in ("get_parameter", "get_parameters"):
            decrypt = {k.arg: k.value for k in node.keywords}
            flag = decrypt.get("WithDecryption", decrypt.get("decrypt"))
            if not (isinstance(flag, ast.Constant) and flag.value is True):
                return CLEAN
        return Value(taints=frozenset({Taint.SECRET}), steps=(self.step(node),))

    def known_call(self, name: str, values: list[Value]) -> Value | None:
        """Calls with known effects on taint: cleaning, sanitizing, normalizing, constructing, propagating."""
        if name in CLEANING_CALLS:
            return CLEAN
        sanitized = SANITIZERS.get(name)
        if sanitized is not None:
            result = combine(v.data() for v in values)
            return replace(result, safe_for=result.safe_for | sanitized, prefix=None, const=False)
        if name in NORMALIZERS:
            return replace(combine(v.data() for v in values), normalized=True)
        if name in ("os.path.join", "posixpath.join") and values and all(v.const for v in values):
            return const_string(posixpath.join(*(v.prefix or "" for v in values)))
        constructed = CONSTRUCTORS.get(name)
        if constructed is not None:
            if constructed == "ddb.condition":
                return Value(kind=constructed)
            result = combine((v.data() for v in values), kind=constructed)
            if constructed == "pathlib.Path" and values and values[0].const:
                result = replace(result, prefix=posixpath.join(*(v.prefix or "" for v in values)), const=True)
            return result
        if name in _LIST_BUILDERS:
            return combine((v.data() for v in values), kind="list")
        if name in PROPAGATORS:
            result = combine(v.data() for v in values)
            return replace(result, const=False) if name not in ("str", "os.path.join") else result
        return None

    def string_method(self, method: str, receiver: Value, *, values: list[Value]) -> Value | None:
        """String and container methods on a known value: taint flows from receiver and arguments."""
        if method not in STRING_METHODS:
            return None
        if method in ("get", "pop", "setdefault"):
            values = values[1:]  # the key selects from the receiver; only a default adds data
        if not receiver.tainted and not any(v.tainted for v in values):
            if method == "format" and receiver.prefix is not None:
                return Value(prefix=_FORMAT_HOLE.split(receiver.prefix)[0])
            return CLEAN if receiver.kind != "pathlib.Path" else receiver
        kind = receiver.kind if receiver.kind == "pathlib.Path" else None
        if method in _SPLITTERS:
            kind = _split_kind(method, values)
        elif method == "pop" and receiver.kind in (_SEGMENTS, _LAST_SEGMENT) and not values:
            return replace(receiver.data(), safe_for=receiver.safe_for | {SinkKind.PATH})
        result = combine([receiver.data(), *(v.data() for v in values)], kind=kind)
        if method == "format" and receiver.prefix is not None:
            result = replace(result, prefix=_FORMAT_HOLE.split(receiver.prefix)[0], const=False)
        elif method not in ("strip", "lstrip", "rstrip", "lower", "upper", "resolve", "joinpath"):
            result = replace(result, prefix=None, const=False)
        if method == "resolve":
            result = replace(result, normalized=True)
        return result

    def yaml_is_safe(self, node: ast.Call) -> bool:
        """True when `yaml.load` is given a safe Loader."""
        loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
        if loader is None and len(node.args) > 1:
            loader = node.args[1]
        if loader is None:
            return False
        name = dotted_name(loader, self.module.imports) or ""
        return name.rpartition(".")[2] in _SAFE_YAML_LOADERS
