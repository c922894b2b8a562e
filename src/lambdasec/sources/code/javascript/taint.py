"""The taint engine: abstract interpretation of handler functions over tree-sitter trees, with summaries."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final

from tree_sitter import Node

from lambdasec.model import FlowStep, SinkKind, Taint
from lambdasec.records import record
from lambdasec.sources.code.analyzer import Package, ParsedFile
from lambdasec.sources.code.javascript import sinks
from lambdasec.sources.code.javascript.exports import exported, top_binding
from lambdasec.sources.code.javascript.handlers import parameters
from lambdasec.sources.code.javascript.modules import (
    import_bindings,
    module_name,
    require_source,
    resolve_relative,
)
from lambdasec.sources.code.javascript.parse import language_of
from lambdasec.sources.code.javascript.specs import (
    ARRAY_CALLBACKS,
    PROPAGATING_FUNCTIONS,
    PROPAGATING_METHODS,
    SANITIZING_FUNCTIONS,
    SECRET_CALLS,
    SECRET_COMMANDS,
    VALIDATING_METHODS,
    secret_named,
)
from lambdasec.sources.code.javascript.syntax import FUNCTIONS, line, note, string_value, text, unwrap
from lambdasec.sources.code.javascript.values import (
    CLEAN,
    REQUEST,
    RESPONSE,
    FuncRef,
    Hit,
    Label,
    ParamRef,
    Trace,
    Value,
    join,
    join_all,
    merge_labels,
)

__all__ = ["MAX_DEPTH", "MAX_WORK", "Engine", "Summary"]

MAX_DEPTH: Final = 3
# Expressions and statements evaluated for one handler before the analysis stops (a generated or
# minified module); a typical handler with its helpers takes a few hundred.
MAX_WORK: Final = 200_000
_NO_DATA: Final = frozenset({"length", "size", "byteLength"})
_SECRET_REQUEST: Final = "<secret request>"
# validator.js checks that pass only strings of letters, digits and a few safe characters.
_CHARSET_CHECKS: Final = frozenset(
    {
        "isAlphanumeric",
        "isAlpha",
        "isNumeric",
        "isInt",
        "isFloat",
        "isDecimal",
        "isUUID",
        "isMongoId",
        "isHexadecimal",
        "isBoolean",
        "isPort",
    }
)
_CONTEXT_REQUEST: Final = f"{RESPONSE}.req"  # the request a web framework's context holds
_CLASSES: Final = frozenset({"class_declaration", "class", "abstract_class_declaration"})
# On the parts of a string split at `/`: the methods that return one part, and all that keep track of them.
_SEGMENT_ELEMENTS: Final = frozenset({"pop", "shift", "at", "find", "findLast"})
_SEGMENT_METHODS: Final = frozenset(
    {"split", "join", "slice", "filter", "reverse", "sort", *_SEGMENT_ELEMENTS}
)


@record(kw_only=False)
class Summary:
    """What calling a function does, in terms of its parameters: its return value and the sinks reached."""

    returns: Value
    hits: tuple[Hit, ...]


@dataclass(slots=True)
class _File:
    parsed: ParsedFile
    bindings: dict[str, Value] = field(default_factory=dict)


@dataclass(slots=True)
class _Frame:
    file: _File
    env: dict[str, Value]
    depth: int
    hits: list[Hit]
    returns: list[Value] = field(default_factory=list)
    checks: dict[str, Node] = field(default_factory=dict)

    def lookup(self, name: str) -> Value:
        found = self.env.get(name)
        if found is None:
            found = self.file.bindings.get(name)
        return found if found is not None else Value(qname=name)


class Engine:
    """Summaries of the functions of one package, computed on demand and cached."""

    def __init__(self, package: Package, *, first: ParsedFile) -> None:
        self._package = package
        self._first = first
        self._files: dict[str, _File | None] = {}
        self._summaries: dict[tuple[str, int, int], Summary | None] = {}
        self._active: set[tuple[str, int]] = set()
        self._removed: set[str] | None = None
        self.work = 0

    # ---- files and module scope ------------------------------------------------------------------------

    def file(self, path: str) -> _File | None:
        """The analysed module at package path `path` (its bindings evaluated), or None."""
        if path in self._files:
            return self._files[path]
        parsed = self._first if path == self._first.path else self._package.load(path)
        if parsed is None:
            self._files[path] = None
            return None
        module = _File(parsed)
        self._files[path] = module
        self._bind_module(module)
        return module

    def removed_paths(self) -> set[str]:
        """Every literal path any JavaScript/TypeScript file of the package removes (fs.unlink, rm...)."""
        if self._removed is None:
            self._removed = set()
            for path in sorted(self._package.paths):
                parsed = self._first if path == self._first.path else None
                if parsed is None and language_of(path) is not None:
                    parsed = self._package.load(path)
                if parsed is not None:
                    self._removed |= _removals(parsed.tree.root_node)
        return self._removed

    def _bind_module(self, module: _File) -> None:
        frame = _Frame(module, module.bindings, 0, [])
        root = module.parsed.tree.root_node
        for statement in root.named_children:
            inner = statement
            if statement.type == "export_statement":
                declaration = statement.child_by_field_name("declaration")
                if declaration is None:
                    continue
                inner = declaration
            if inner.type == "import_statement":
                for local, source, export in import_bindings(inner):
                    module.bindings[local] = self._imported(module, source, export)
            elif inner.type in ("function_declaration", "generator_function_declaration"):
                name = inner.child_by_field_name("name")
                if name is not None:
                    module.bindings[text(name)] = Value(
                        func=FuncRef(module.parsed.path, inner, inner.start_byte)
                    )
            elif inner.type in _CLASSES:
                name = inner.child_by_field_name("name")
                if name is not None:
                    module.bindings[text(name)] = Value(
                        klass=FuncRef(module.parsed.path, inner, inner.start_byte)
                    )
            elif inner.type in ("lexical_declaration", "variable_declaration"):
                self._declare(inner, frame)

    def _imported(self, module: _File, source: str, export: str | None) -> Value:
        relative = resolve_relative(module.parsed.path, source, self._package.paths)
        if source.startswith("."):
            return Value(module=relative, qname=export) if relative is not None else CLEAN
        base = module_name(source)
        return Value(qname=base if export in (None, "default") else f"{base}.{export}")

    # ---- summaries -------------------------------------------------------------------------------------

    def summary(self, ref: FuncRef, depth: int) -> Summary | None:
        """The summary of function `ref` analysed at call depth `depth`; None beyond the depth bound."""
        key = (ref.path, ref.start, depth)
        if key in self._summaries:
            return self._summaries[key]
        if depth > MAX_DEPTH or (ref.path, ref.start) in self._active:
            return None
        module = self.file(ref.path)
        if module is None:
            return None
        self._active.add((ref.path, ref.start))
        frame = _Frame(module, {}, depth, [])
        owner = _owner(ref)
        if owner is not None:
            frame.env["this"] = Value(klass=owner)
        for index, param in enumerate(parameters(ref.node)):
            self._bind(param, Value(labels={ParamRef(index): Trace()}), frame, step=False)
        returns = self._body(ref.node, frame)
        self._active.discard((ref.path, ref.start))
        result = Summary(returns=returns, hits=tuple(frame.hits))
        self._summaries[key] = result
        return result

    def entry(self, ref: FuncRef, args: list[Value]) -> tuple[Hit, ...]:
        """The sinks function `ref` reaches when called with `args`: an entry point other than the handler."""
        module = self.file(ref.path)
        if module is None or (ref.path, ref.start) in self._active:
            return ()
        self._active.add((ref.path, ref.start))
        frame = _Frame(module, {}, 0, [])
        for index, param in enumerate(parameters(ref.node)):
            self._bind(param, args[index] if index < len(args) else CLEAN, frame, step=False)
        self._body(ref.node, frame)
        self._active.discard((ref.path, ref.start))
        return tuple(frame.hits)

    def module_value(self, path: str, node: Node) -> Value:
        """The value of name or member access `node` in the module scope of package file `path`."""
        module = self.file(path)
        node = unwrap(node)
        if module is None:
            return CLEAN
        frame = _Frame(module, {}, 0, [])
        if node.type == "shorthand_property_identifier":
            return frame.lookup(text(node))
        return self.eval(node, frame) if node.type in ("identifier", "member_expression") else CLEAN

    @property
    def package_paths(self) -> frozenset[str]:
        """The package's file paths."""
        return self._package.paths

    def export(self, path: str, name: str) -> FuncRef | None:
        """The function package file `path` exports as `name`, when it is one."""
        return self._export(path, name)

    def _body(self, function: Node, frame: _Frame) -> Value:
        body = function.child_by_field_name("body")
        if body is None:
            return CLEAN
        if body.type == "statement_block":
            self._block(body, frame)
            return join_all(frame.returns)
        return self.eval(body, frame)

    # ---- statements ------------------------------------------------------------------------------------

    def _block(self, block: Node, frame: _Frame) -> bool:
        """Analyse the statements of `block`; True when it always leaves the function."""
        return any(self._statement(statement, frame) for statement in block.named_children)

    def _statement(self, node: Node, frame: _Frame) -> bool:
        self.work += 1
        if self.work > MAX_WORK:
            return False
        kind = node.type
        if kind in ("lexical_declaration", "variable_declaration"):
            self._declare(node, frame)
        elif kind == "expression_statement":
            for child in node.named_children:
                self.eval(child, frame)
        elif kind == "return_statement":
            value = self.eval(node.named_children[0], frame) if node.named_children else CLEAN
            self._check_redirect(node, value, frame)
            frame.returns.append(value)
            return True
        elif kind == "throw_statement":
            for child in node.named_children:
                self.eval(child, frame)
            return True
        elif kind == "statement_block":
            return self._block(node, frame)
        elif kind == "if_statement":
            return self._if(node, frame)
        elif kind in ("for_in_statement",):
            self._for_in(node, frame)
        elif kind in ("for_statement", "while_statement", "do_statement"):
            for child in node.named_children:
                if child.type.endswith("statement") or child.type == "statement_block":
                    self._statement(child, frame)
                else:
                    self.eval(child, frame)
        elif kind == "try_statement":
            body = node.child_by_field_name("body")
            exits = self._block(body, frame) if body is not None else False
            handler = node.child_by_field_name("handler")
            if handler is not None:
                handler_body = handler.child_by_field_name("body")
                if handler_body is not None:
                    self._block(handler_body, frame)
            finalizer = node.child_by_field_name("finalizer")
            if finalizer is not None:
                final_body = finalizer.child_by_field_name("body")
                if final_body is not None:
                    self._block(final_body, frame)
            return exits and handler is None
        elif kind == "switch_statement":
            self._switch(node, frame)
        elif kind in ("function_declaration", "generator_function_declaration"):
            name = node.child_by_field_name("name")
            if name is not None:
                frame.env[text(name)] = Value(func=FuncRef(frame.file.parsed.path, node, node.start_byte))
        elif kind == "labeled_statement":
            body = node.child_by_field_name("body")
            if body is not None:
                return self._statement(body, frame)
        return False

    def _declare(self, node: Node, frame: _Frame) -> None:
        for declarator in node.named_children:
            if declarator.type != "variable_declarator":
                continue
            name, value_node = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
            if name is None:
                continue
            value = self.eval(value_node, frame) if value_node is not None else CLEAN
            if (
                name.type == "identifier"
                and value_node is not None
                and unwrap(value_node).type == "call_expression"
            ):
                frame.checks[text(name)] = unwrap(value_node)
            secret = name.type == "identifier" and _secret_candidate(value) and secret_named(text(name))
            if value.labels or secret:
                step = FlowStep(file=frame.file.parsed.display, line=line(declarator), note=note(declarator))
                value = value.with_step(step)
                if secret:
                    labels = dict(value.labels)
                    labels.setdefault(Taint.SECRET, Trace((step,)))
                    value = replace(value, labels=labels)
            self._bind(name, value, frame, step=True)

    def _bind(self, pattern: Node, value: Value, frame: _Frame, *, step: bool) -> None:
        """Bind the names of `pattern` (identifier or destructuring) to the parts of `value`."""
        kind = pattern.type
        if kind in ("identifier", "shorthand_property_identifier_pattern"):
            frame.env[text(pattern)] = value
        elif kind == "object_pattern":
            for part in pattern.named_children:
                if part.type == "shorthand_property_identifier_pattern":
                    frame.env[text(part)] = self._member_value(value, text(part), part, frame)
                elif part.type == "pair_pattern":
                    key, target = part.child_by_field_name("key"), part.child_by_field_name("value")
                    if key is not None and target is not None:
                        name = string_value(key) or text(key)
                        self._bind(target, self._member_value(value, name, part, frame), frame, step=step)
                elif part.type == "object_assignment_pattern":
                    left = part.child_by_field_name("left")
                    if left is not None:
                        frame.env[text(left)] = self._member_value(value, text(left), part, frame)
                elif part.type == "rest_pattern" and part.named_children:
                    self._bind(part.named_children[0], value.only_data(), frame, step=step)
        elif kind == "array_pattern":
            for part in pattern.named_children:
                self._bind(part, self._member_value(value, "*", part, frame), frame, step=step)
        elif kind == "assignment_pattern":
            left, right = pattern.child_by_field_name("left"), pattern.child_by_field_name("right")
            if left is not None:
                default = self.eval(right, frame) if right is not None else CLEAN
                self._bind(left, join(value, default), frame, step=step)
        elif kind == "rest_pattern" and pattern.named_children:
            self._bind(pattern.named_children[0], value, frame, step=step)

    def _if(self, node: Node, frame: _Frame) -> bool:
        condition = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        alternative = node.child_by_field_name("alternative")
        if condition is not None:
            self.eval(condition, frame)
        then_frame = replace(frame, env=dict(frame.env), returns=frame.returns)
        if condition is not None:
            for name, value in _guards(condition, positive=True, frame=frame, engine=self):
                then_frame.env[name] = value
        then_exits = self._statement(consequence, then_frame) if consequence is not None else False
        else_frame = replace(frame, env=dict(frame.env), returns=frame.returns)
        if condition is not None:
            for name, value in _guards(condition, positive=False, frame=frame, engine=self):
                else_frame.env[name] = value
        else_exits = False
        if alternative is not None:
            for child in alternative.named_children:
                else_exits = self._statement(child, else_frame) or else_exits
        if then_exits and else_exits:
            return True
        if then_exits:
            frame.env.clear()
            frame.env.update(else_frame.env)
        elif else_exits:
            frame.env.clear()
            frame.env.update(then_frame.env)
        else:
            merged = dict(else_frame.env)
            for name, value in then_frame.env.items():
                merged[name] = join(merged[name], value) if name in merged else value
            frame.env.clear()
            frame.env.update(merged)
        return False

    def _for_in(self, node: Node, frame: _Frame) -> None:
        left, right, body = (node.child_by_field_name(name) for name in ("left", "right", "body"))
        if right is not None and left is not None:
            iterable = self.eval(right, frame)
            of = any(child.type == "of" for child in node.children)
            element = self._member_value(iterable, "*", right, frame) if of else iterable.only_data()
            self._bind(left, element, frame, step=True)
        if body is not None:
            self._statement(body, frame)

    def _switch(self, node: Node, frame: _Frame) -> None:
        value = node.child_by_field_name("value")
        if value is not None:
            self.eval(value, frame)
        body = node.child_by_field_name("body")
        merged = dict(frame.env)
        for case in body.named_children if body is not None else ():
            case_frame = replace(frame, env=dict(frame.env), returns=frame.returns)
            for statement in case.children_by_field_name("body"):
                if self._statement(statement, case_frame):
                    break
            for name, bound in case_frame.env.items():
                merged[name] = join(merged[name], bound) if name in merged else bound
        frame.env.clear()
        frame.env.update(merged)

    # ---- expressions -----------------------------------------------------------------------------------

    def eval(self, node: Node, frame: _Frame) -> Value:
        """The abstract value of expression `node` (sinks reached while evaluating it are recorded)."""
        self.work += 1
        if self.work > MAX_WORK:
            return CLEAN
        node = unwrap(node)
        kind = node.type
        if kind == "identifier":
            return frame.lookup(text(node))
        if kind == "this":
            return frame.env.get("this", CLEAN)
        if kind in ("member_expression", "subscript_expression"):
            return self._member(node, frame)
        if kind == "call_expression":
            return self._call(node, frame)
        if kind == "new_expression":
            return self._new(node, frame)
        if kind in ("string", "number", "true", "false", "null", "undefined", "regex"):
            literal = string_value(node) if kind == "string" else text(node)
            return Value(text=literal)
        if kind == "template_string":
            return self._template(node, frame)
        if kind == "binary_expression":
            return self._binary(node, frame)
        if kind == "assignment_expression":
            return self._assign(node, frame)
        if kind == "augmented_assignment_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None:
                return CLEAN
            value = join(self.eval(left, frame), self.eval(right, frame))
            if left.type == "identifier":
                frame.env[text(left)] = value.with_step(_step(node, frame)) if value.labels else value
            return value
        if kind == "ternary_expression":
            cond = node.child_by_field_name("condition")
            if cond is not None:
                self.eval(cond, frame)
            parts = [node.child_by_field_name("consequence"), node.child_by_field_name("alternative")]
            return join_all(self.eval(part, frame) for part in parts if part is not None)
        if kind in ("array", "sequence_expression"):
            return join_all(self.eval(child, frame).only_data() for child in node.named_children)
        if kind == "spread_element":
            return self.eval(node.named_children[0], frame) if node.named_children else CLEAN
        if kind == "object":
            return self._object(node, frame)
        if kind == "unary_expression":
            argument = node.child_by_field_name("argument")
            if argument is not None:
                self.eval(argument, frame)
            return CLEAN
        if kind in FUNCTIONS:
            return Value(func=FuncRef(frame.file.parsed.path, node, node.start_byte))
        if kind in ("update_expression",):
            return CLEAN
        return join_all(
            self.eval(child, frame).only_data() for child in node.named_children if _is_expr(child)
        )

    def _template(self, node: Node, frame: _Frame) -> Value:
        parts: list[str] = []
        values: list[Value] = []
        for child in node.named_children:
            if child.type == "template_substitution":
                value = join_all(self.eval(inner, frame) for inner in child.named_children)
                values.append(value.only_data())
                parts.append(value.text if value.text is not None else "*")
            else:
                parts.append(text(child))
        return replace(join_all(values), text="".join(parts))

    def _binary(self, node: Node, frame: _Frame) -> Value:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        operator = node.child_by_field_name("operator")
        op = text(operator) if operator is not None else ""
        lv = self.eval(left, frame) if left is not None else CLEAN
        rv = self.eval(right, frame) if right is not None else CLEAN
        if op == "+":
            shape = None if lv.text is None and rv.text is None else (lv.text or "*") + (rv.text or "*")
            return replace(join(lv.only_data(), rv.only_data()), text=shape)
        if op in ("||", "??", "&&"):
            return join(lv, rv) if op != "&&" else rv
        return CLEAN

    def _object(self, node: Node, frame: _Frame) -> Value:
        fields: dict[str, Value] = {}
        labels: dict[Label, Trace] = {}
        is_open = False
        for member in node.named_children:
            if member.type == "pair":
                key, value_node = member.child_by_field_name("key"), member.child_by_field_name("value")
                if key is None or value_node is None:
                    continue
                name = string_value(key) or text(key)
                if key.type == "computed_property_name":
                    name = "*"
                value = self.eval(value_node, frame)
                fields[name] = value
                merge_labels(labels, value.labels)
            elif member.type == "shorthand_property_identifier":
                value = frame.lookup(text(member))
                fields[text(member)] = value
                merge_labels(labels, value.labels)
            elif member.type == "spread_element" and member.named_children:
                spread = self.eval(member.named_children[0], frame)
                if spread.fields is not None:
                    fields.update(spread.fields)
                    is_open = is_open or spread.open
                else:
                    is_open = True
                merge_labels(labels, spread.labels)
        return Value(labels=labels, fields=tuple(fields.items()), open=is_open)

    def _assign(self, node: Node, frame: _Frame) -> Value:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return CLEAN
        value = self.eval(right, frame)
        if value.labels:
            value = value.with_step(_step(node, frame))
        left = unwrap(left)
        if left.type == "identifier":
            frame.env[text(left)] = value
        elif left.type in ("object_pattern", "array_pattern"):
            self._bind(left, value, frame, step=True)
        elif left.type in ("member_expression", "subscript_expression"):
            frame.env[_key_text(left)] = value
            target, key = left.child_by_field_name("object"), _access_key(left)
            if target is not None and unwrap(target).type == "identifier":
                name = text(unwrap(target))
                current = frame.lookup(name)
                fields = dict(current.fields or ())
                fields[key] = value
                labels = dict(current.labels)
                merge_labels(labels, value.labels)
                frame.env[name] = replace(
                    current,
                    labels=labels,
                    fields=tuple(fields.items()),
                    open=current.open or current.fields is None,
                )
        return value

    def _member(self, node: Node, frame: _Frame) -> Value:
        known = frame.env.get(_key_text(node))
        if known is not None:
            return known
        target = node.child_by_field_name("object")
        if target is None:
            return CLEAN
        if node.type == "subscript_expression":
            index = node.child_by_field_name("index")
            if index is not None and string_value(index) is None:
                self.eval(index, frame)
        return self._member_value(self.eval(target, frame), _access_key(node), node, frame)

    def _member_value(self, value: Value, key: str, node: Node, frame: _Frame | None) -> Value:
        """The value of `value[key]`; `node` is where the access is written (for the trace)."""
        if value.klass is not None:
            method = self._method(value.klass, key, 0)
            if method is not None:
                return Value(func=method)
        if key == "default" and _external_module(value):
            return value  # the interop default of a required module (`__importDefault(require(m))`)
        qname = f"{value.qname}.{key}" if value.qname is not None else None
        if value.qname in ("process", "process.env") or any(
            isinstance(label, ParamRef) for label in value.labels
        ):
            step = _step(node, frame) if frame is not None else None
        else:
            step = None
        if value.qname == "process" and key == "env":
            return Value(labels={Taint.ENVIRONMENT: Trace((step,) if step else ())}, qname="process.env")
        if value.qname == "process.env":
            if key != "*" and secret_named(key):
                return Value(labels={Taint.SECRET: Trace((step,) if step else ())}, qname=qname)
            return Value(qname=qname)
        if value.module is not None and value.qname is None:
            return Value(module=value.module, qname=key)
        if value.fields is not None:
            found = value.field(key)
            if found is not None:
                return found
            if key == "*":
                return join_all(part for _, part in value.fields)
            if not value.open:
                return CLEAN
        if key in _NO_DATA:
            return CLEAN
        labels: dict[Label, Trace] = {}
        for label, trace in value.labels.items():
            if isinstance(label, ParamRef) and label.exact:
                new_trace = trace
                if step is not None and (
                    _chained(trace, step) or _bare(trace, label) or _element(trace, label)
                ):
                    new_trace = Trace((*trace.steps[:-1], step), trace.certain)
                elif step is not None and not trace.steps:
                    new_trace = Trace((step,), trace.certain)
                labels[ParamRef(label.index, (*label.path, key), True)] = new_trace
            else:
                labels[label] = trace
        if value.segments and (key == "*" or key.isdigit()):
            return Value(labels=labels, qname=qname, safe=value.safe | {SinkKind.PATH})
        return Value(labels=labels, qname=qname, safe=value.safe)

    # ---- calls -----------------------------------------------------------------------------------------

    def _call(self, node: Node, frame: _Frame) -> Value:
        callee_node = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if callee_node is None:
            return CLEAN
        callee_node = unwrap(callee_node)
        if arguments is not None and arguments.type == "template_string":
            return self._template(arguments, frame)
        arg_nodes = (
            [child for child in arguments.named_children if child.type != "comment"] if arguments else []
        )
        if callee_node.type in ("identifier", "import"):
            source = require_source(node)
            if source is not None:
                return self._imported(frame.file, source, None)
        receiver: Value | None = None
        method = ""
        if callee_node.type == "member_expression":
            target = callee_node.child_by_field_name("object")
            receiver = self.eval(target, frame) if target is not None else CLEAN
            method = _access_key(callee_node)
            callee = self._member_value(receiver, method, callee_node, None)
            if receiver.qname == REQUEST and method in ("get", "header") and arg_nodes:
                return self._header(receiver, arg_nodes[0], node, frame)
            if receiver.qname == _CONTEXT_REQUEST:  # Hono's `c.req.query("q")`, `c.req.json()`: input
                return self._member_value(receiver, method, callee_node, frame)
        else:
            callee = self.eval(callee_node, frame)
        written = " ".join(text(callee_node).replace("?.", ".").split())
        qname = callee.qname
        if (
            method in ARRAY_CALLBACKS
            and receiver is not None
            and arg_nodes
            and unwrap(arg_nodes[0]).type in FUNCTIONS
        ):
            element = (
                receiver.only_data() if method == "then" else self._member_value(receiver, "*", node, None)
            )
            return self._callback(unwrap(arg_nodes[0]), element, frame, both=method == "reduce")
        args = [self.eval(arg, frame) for arg in arg_nodes]
        for arg_node, arg in zip(arg_nodes, args, strict=True):
            if unwrap(arg_node).type in FUNCTIONS and arg.func is not None and callee.func is None:
                self._inline(arg.func, [], frame)
        context = sinks.CallSite(
            node=node,
            written=written,
            qname=qname,
            method=method,
            receiver=receiver,
            args=args,
            arg_nodes=arg_nodes,
        )
        if callee.func is None and callee.module is None:
            frame.hits.extend(sinks.check(context, display=frame.file.parsed.display))
        if _last(written) in SECRET_CALLS or any(arg.qname == _SECRET_REQUEST for arg in args):
            return Value(labels={Taint.SECRET: Trace((_step(node, frame),))})
        if qname in SANITIZING_FUNCTIONS or (method and f"{_last(qname)}" in SANITIZING_FUNCTIONS):
            safe_for = SANITIZING_FUNCTIONS.get(qname or "", SANITIZING_FUNCTIONS.get(_last(qname)))
            if safe_for is None:
                return CLEAN
            return replace(join_all(args).only_data(), safe=safe_for)
        if method in VALIDATING_METHODS and receiver is not None and _validator(receiver, written):
            return CLEAN
        if qname in ("path.resolve", "path.normalize", "path.join"):
            joined = join_all(arg.only_data() for arg in args)
            shape = "/".join(arg.text or "*" for arg in args) if args else None
            return replace(joined, text=shape, resolved=qname != "path.join")
        if qname in ("os.tmpdir",):
            return Value(text="/tmp")
        if qname in ("util.promisify",) and args:
            return args[0]
        if callee.func is not None:
            return self._call_function(callee.func, args, node, frame)
        if callee.module is not None and callee.qname is not None:
            ref = self._export(callee.module, callee.qname)
            if ref is not None:
                return self._call_function(ref, args, node, frame)
        data = join_all(arg.only_data() for arg in args)
        if receiver is not None:
            data = join(data, receiver.only_data())
        result_name = f"{qname}()" if qname else None
        if not data.labels:
            return Value(qname=result_name) if result_name else CLEAN
        if receiver is not None and method in _SEGMENT_METHODS:
            split = method == "split" and bool(args) and args[0].text == "/"
            if split or receiver.segments:
                return _segment(data, method, qname=result_name)
        if qname in PROPAGATING_FUNCTIONS or method in PROPAGATING_METHODS:
            return Value(labels=data.labels, qname=result_name, safe=data.safe, resolved=data.resolved)
        return Value(labels=data.with_step(_step(node, frame), certain=False).labels, qname=result_name)

    def _header(self, request: Value, name: Node, node: Node, frame: _Frame) -> Value:
        """`req.get("X-Name")` of a web framework's request: the header, looked up case-insensitively."""
        literal = string_value(unwrap(name))
        headers = self._member_value(request, "headers", node, frame)
        return self._member_value(headers, literal.lower() if literal is not None else "*", node, frame)

    def _new(self, node: Node, frame: _Frame) -> Value:
        constructor = node.child_by_field_name("constructor")
        arguments = node.child_by_field_name("arguments")
        arg_nodes = (
            [child for child in arguments.named_children if child.type != "comment"] if arguments else []
        )
        args = [self.eval(arg, frame) for arg in arg_nodes]
        for arg_node, arg in zip(arg_nodes, args, strict=True):
            if unwrap(arg_node).type in FUNCTIONS and arg.func is not None:
                self._inline(arg.func, [], frame)  # `new Promise((resolve, reject) => ...)` runs it
        callee = self.eval(constructor, frame) if constructor is not None else CLEAN
        klass = callee.klass or self._class(callee)
        if klass is not None:  # an instance of the package's own class: its methods are followed
            return Value(labels=join_all(arg.only_data() for arg in args).labels, klass=klass)
        written = " ".join(text(constructor).split()) if constructor is not None else ""
        context = sinks.CallSite(
            node=node,
            written=written,
            qname=callee.qname,
            method="",
            receiver=None,
            args=args,
            arg_nodes=arg_nodes,
            new=True,
        )
        frame.hits.extend(sinks.check(context, display=frame.file.parsed.display))
        if _last(written) in SECRET_COMMANDS:
            return Value(qname=_SECRET_REQUEST)
        data = join_all(arg.only_data() for arg in args)
        shape = args[0] if args and args[0].fields is not None else CLEAN
        return Value(
            labels=data.labels,
            fields=shape.fields,
            open=shape.open,
            qname=f"{callee.qname}()" if callee.qname else None,
            safe=data.safe,
        )

    def _callback(self, function: Node, element: Value, frame: _Frame, *, both: bool) -> Value:
        """A callback of an array method or a promise, given the element (or resolved value) it receives.

        `reduce` passes the accumulator first: both of its first two parameters get the element.
        """
        inner = replace(frame, env=dict(frame.env), returns=[])
        for index, param in enumerate(parameters(function)):
            self._bind(param, element if index == 0 or (both and index == 1) else CLEAN, inner, step=False)
        return self._body(function, inner)

    def _inline(self, ref: FuncRef, args: list[Value], frame: _Frame) -> Value:
        """Analyse a nested function (a callback or a local closure) in the caller's scope."""
        if frame.depth > MAX_DEPTH or (ref.path, ref.start) in self._active:
            return CLEAN
        self._active.add((ref.path, ref.start))
        inner = replace(frame, env=dict(frame.env), returns=[], depth=frame.depth + 1)
        for index, param in enumerate(parameters(ref.node)):
            self._bind(param, args[index] if index < len(args) else CLEAN, inner, step=False)
        result = self._body(ref.node, inner)
        self._active.discard((ref.path, ref.start))
        return result

    def _call_function(self, ref: FuncRef, args: list[Value], node: Node, frame: _Frame) -> Value:
        if ref.path == frame.file.parsed.path and not _top_level(ref.node) and _owner(ref) is None:
            return self._inline(ref, args, frame)
        summary = self.summary(ref, frame.depth + 1)
        if summary is None:
            data = join_all(arg.only_data() for arg in args)
            return data.with_step(_step(node, frame), certain=False) if data.labels else CLEAN
        elsewhere = "" if ref.path == frame.file.parsed.path else f" in {self._display(ref.path)}"
        call_step = FlowStep(
            file=frame.file.parsed.display, line=line(node), note=f"passed to {note(node)}{elsewhere}"
        )
        for hit in summary.hits:
            value = self.substitute(hit.value, args, call_step)
            if value.labels:
                frame.hits.append(replace(hit, value=value))
        returned = self.substitute(summary.returns, args, call_step)
        return replace(
            returned, fields=summary.returns.fields if not summary.returns.labels else returned.fields
        )

    def substitute(self, value: Value, args: list[Value], step: FlowStep | None) -> Value:
        """`value` of a callee in terms of the caller: parameter references replaced by the arguments."""
        labels: dict[Label, Trace] = {}
        for label, trace in value.labels.items():
            if not isinstance(label, ParamRef):
                merge_labels(labels, {label: trace})
                continue
            if label.index < 0 or label.index >= len(args):
                continue
            part = args[label.index]
            for key in label.path:
                part = self._member_value(part, key, None, None)  # type: ignore[arg-type]
            for inner, inner_trace in part.labels.items():
                if isinstance(inner, ParamRef) and not label.exact:
                    inner = ParamRef(inner.index, inner.path, False)
                prefix = inner_trace.steps + ((step,) if step is not None else ())
                merge_labels(
                    labels, {inner: Trace(prefix + trace.steps, inner_trace.certain and trace.certain)}
                )
        return Value(labels=labels, text=value.text, safe=value.safe, resolved=value.resolved)

    def _export(self, path: str, name: str) -> FuncRef | None:
        module = self.file(path)
        if module is None:
            return None
        found = exported(module.parsed.tree.root_node, name)
        if found is None or found[1] is None:
            return None
        return FuncRef(path, found[1], found[1].start_byte)

    def _class(self, value: Value) -> FuncRef | None:
        """The class declaration an imported name (`{ Orders } from "./orders"`) denotes, if it is one."""
        if value.module is None or value.qname is None:
            return None
        module = self.file(value.module)
        if module is None:
            return None
        root = module.parsed.tree.root_node
        found = exported(root, value.qname)
        node = unwrap(found[0]) if found is not None else None
        if node is not None and node.type == "identifier":
            node = top_binding(root, text(node))
        if node is None or node.type not in _CLASSES:
            return None
        return FuncRef(value.module, node, node.start_byte)

    def _method(self, klass: FuncRef, name: str, depth: int) -> FuncRef | None:
        """The method `name` of package class `klass` or of a package class it extends."""
        body = klass.node.child_by_field_name("body")
        for member in body.named_children if body is not None else ():
            key = member.child_by_field_name("name")
            if member.type == "method_definition" and key is not None and text(key) == name:
                return FuncRef(klass.path, member, member.start_byte)
        heritage = next((c for c in klass.node.named_children if c.type == "class_heritage"), None)
        if heritage is None or depth > MAX_DEPTH:
            return None
        parent = next((c for c in heritage.named_children if c.type == "identifier"), None)
        if parent is None:  # TypeScript: `class_heritage` > `extends_clause` > value
            clause = next((c for c in heritage.named_children if c.type == "extends_clause"), None)
            value = clause.child_by_field_name("value") if clause is not None else None
            parent = value if value is not None and value.type == "identifier" else None
        module = self.file(klass.path)
        if parent is None or module is None:
            return None
        base = module.bindings.get(text(parent))
        ref = None if base is None else base.klass or self._class(base)
        return self._method(ref, name, depth + 1) if ref is not None else None

    def display(self, path: str) -> str:
        """How package file `path` is named in findings."""
        return self._display(path)

    def _display(self, path: str) -> str:
        module = self.file(path)
        return module.parsed.display if module is not None else path

    def _check_redirect(self, node: Node, value: Value, frame: _Frame) -> None:
        hit = sinks.redirect(node, value, display=frame.file.parsed.display)
        if hit is not None:
            frame.hits.append(hit)


def _step(node: Node, frame: _Frame | None) -> FlowStep:
    display = frame.file.parsed.display if frame is not None else ""
    return FlowStep(file=display, line=line(node), note=note(node))


def _chained(trace: Trace, step: FlowStep) -> bool:
    """True when `step` extends the access the trace ends with (`event.body` then `event.body.name`)."""
    if not trace.steps:
        return False
    last = trace.steps[-1]
    return last.line == step.line and last.file == step.file and step.note.startswith(last.note)


def _bare(trace: Trace, label: ParamRef) -> bool:
    """True when the trace is only the destructured parameter name itself (`{ body }`)."""
    return len(trace.steps) == 1 and bool(label.path) and trace.steps[0].note == label.path[-1]


def _element(trace: Trace, label: ParamRef) -> bool:
    """True when the trace is only the collection an element was taken from (`for (const r of
    event.Records)`, `forEach((r) => ...)`): the access on the element (`r.s3.object.key`) names it."""
    return len(trace.steps) == 1 and label.path[-1:] == ("*",)


def _access_key(node: Node) -> str:
    if node.type == "subscript_expression":
        index = node.child_by_field_name("index")
        literal = string_value(index) if index is not None else None
        return literal if literal is not None else "*"
    prop = node.child_by_field_name("property")
    return text(prop) if prop is not None else "*"


def _key_text(node: Node) -> str:
    return "".join(text(node).replace("?.", ".").split())


def _last(qname: str | None) -> str:
    return (qname or "").rpartition(".")[2]


def _owner(ref: FuncRef) -> FuncRef | None:
    """The class whose method `ref` is, or None for a function."""
    body = ref.node.parent
    klass = body.parent if body is not None and body.type == "class_body" else None
    return FuncRef(ref.path, klass, klass.start_byte) if klass is not None else None


def _segment(data: Value, method: str, *, qname: str | None) -> Value:
    """A method on the parts of a string split at `/`: an element holds no `/`, so no path traversal."""
    if method in _SEGMENT_ELEMENTS:
        return Value(labels=data.labels, qname=qname, safe=data.safe | {SinkKind.PATH})
    return Value(labels=data.labels, qname=qname, safe=data.safe, segments=method != "join")


def _is_expr(node: Node) -> bool:
    return not node.type.startswith("type") and node.type not in ("comment", "predefined_type")


def _top_level(function: Node) -> bool:
    parent = function.parent
    while parent is not None:
        if parent.type in FUNCTIONS or parent.type == "class_body":
            return False
        parent = parent.parent
    return True


def _validator(receiver: Value, written: str) -> bool:
    """True for a schema object's validate/parse (not JSON.parse, querystring.parse and the like)."""
    head = written.rpartition(".")[0].lower()
    if receiver.qname in ("JSON", "querystring", "qs", "url", "path", "Date", "js-yaml", "yaml", "URL"):
        return False
    return written.rpartition(".")[2].startswith("validate") or "schema" in head or head.startswith("z.")


def _static_text(node: Node) -> str | None:
    """The string an argument certainly is (template parts unknown as `*`), when written inline."""
    node = unwrap(node)
    literal = string_value(node)
    if literal is not None:
        return literal
    if node.type == "template_string":
        return "".join(
            "*" if child.type == "template_substitution" else text(child) for child in node.named_children
        )
    return None


def _external_module(value: Value) -> bool:
    """A value that is only the qualified name of a package module (no data, no function or class)."""
    return (
        value.qname is not None
        and value.module is None
        and not value.labels
        and value.fields is None
        and value.func is None
        and value.klass is None
    )


def _removals(root: Node) -> set[str]:
    """The literal paths (`*` for computed parts) a module removes with fs.unlink/rm and friends."""
    found: set[str] = set()
    for node in _calls(root):
        callee = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if callee is None or arguments is None or not arguments.named_children:
            continue
        if text(callee).rpartition(".")[2] in sinks.REMOVERS:
            shape = _static_text(arguments.named_children[0])
            if shape is not None:
                found.add(shape)
    return found


def _secret_candidate(value: Value) -> bool:
    """A value a secret-named variable may hold a secret in: not a literal, a function or a module."""
    return value.text is None and value.func is None and value.module is None and value.fields is None


def _calls(root: Node) -> list[Node]:
    found: list[Node] = []
    stack = [root]
    while stack:
        current = stack.pop()
        if current.type == "call_expression":
            found.append(current)
        stack.extend(current.named_children)
    return found


def _equal_to_literal(parts: list[Node]) -> list[tuple[str, Value]]:
    """`x === "a"`: `x` is that constant; `url.hostname === "api.example.com"`: the URL's host is fixed."""
    if len(parts) != 2:
        return []
    literal = [string_value(unwrap(part)) is not None for part in parts]
    if literal.count(True) != 1:
        return []
    other = unwrap(parts[literal.index(False)])
    if other.type not in ("identifier", "member_expression"):
        return []
    found = [(_key_text(other), CLEAN)]
    target = other.child_by_field_name("object") if other.type == "member_expression" else None
    if target is not None and _key_text(other).rpartition(".")[2] in ("hostname", "host", "origin"):
        found.append((_key_text(unwrap(target)), CLEAN))
    return found


def _guards(condition: Node, *, positive: bool, frame: _Frame, engine: Engine) -> list[tuple[str, Value]]:
    """The variables a condition proves clean on the branch where it is `positive` (or false)."""
    node = unwrap(condition)
    if node.type == "unary_expression" and text(node).startswith("!"):
        argument = node.child_by_field_name("argument")
        return (
            _guards(argument, positive=not positive, frame=frame, engine=engine)
            if argument is not None
            else []
        )
    if node.type == "binary_expression":
        operator = node.child_by_field_name("operator")
        op = text(operator) if operator is not None else ""
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        parts = [part for part in (left, right) if part is not None]
        if (op == "&&" and positive) or (op == "||" and not positive):
            return [
                found
                for part in parts
                for found in _guards(part, positive=positive, frame=frame, engine=engine)
            ]
        if (op in ("===", "==") and positive) or (op in ("!==", "!=") and not positive):
            return _equal_to_literal(parts)
        return []
    if positive and node.type == "identifier" and text(node) in frame.checks:
        node = frame.checks[text(node)]
    if not positive or node.type != "call_expression":
        return []
    callee = node.child_by_field_name("function")
    arguments = node.child_by_field_name("arguments")
    if callee is None or arguments is None:
        return []
    args = [unwrap(arg) for arg in arguments.named_children]
    method = text(callee).rpartition(".")[2]
    receiver = callee.child_by_field_name("object") if callee.type == "member_expression" else None
    if (method in ("includes", "has", "test") or method in _CHARSET_CHECKS) and args:
        return [(_key_text(args[0]), CLEAN)]
    if method == "startsWith" and receiver is not None:
        if engine.eval(receiver, frame).resolved:
            return [(_key_text(unwrap(receiver)), CLEAN)]
        return []
    if method.startswith("validate") or method in ("isValid", "is"):
        return [(_key_text(arg), CLEAN) for arg in args if arg.type in ("identifier", "member_expression")]
    return []
