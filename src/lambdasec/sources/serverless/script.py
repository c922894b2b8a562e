"""`serverless.ts` / `serverless.js`: the exported configuration object read without running the file."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from tree_sitter import Node

from lambdasec.findings import Diagnostic
from lambdasec.records import record
from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.code.javascript.exports import exports_of, top_binding
from lambdasec.sources.code.javascript.parse import parse
from lambdasec.sources.code.javascript.syntax import line, note, string_value, text, unwrap
from lambdasec.sources.serverless.script_methods import NO_RESULT, Pattern, call_method, pattern_of
from lambdasec.sources.serverless.variables import is_unresolved, unresolved
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

__all__ = ["load_script"]

_MODULE_SUFFIXES: Final = (".ts", ".js", ".mjs", ".cjs", ".mts", ".cts", ".json")
_MAX_BYTES: Final = 2 * 1024 * 1024
# Guards against import chains and values that nest without end (a module importing itself, say).
_MAX_MODULES: Final = 64
_MAX_DEPTH: Final = 64
# Calls of the service's functions evaluated per configuration: `f = (x) => f(x) + f(x)` must end.
_MAX_CALLS: Final = 10_000
_ESCAPES: Final = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|.)", re.DOTALL)
_SIMPLE_ESCAPES: Final = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_NOT_SET: Final = object()


def load_script(path: Path, *, display: str, diagnostics: Diagnostics) -> MarkedDict | None:
    """The configuration a `serverless.ts`/`.js` exports, as a line-marked document; None when unreadable.

    Literals, objects, arrays, spreads, template strings and constants (in the file or imported from
    the service's own modules and JSON files, `tsconfig.json` path aliases included) are read as the
    framework would get them, and calls of the service's own functions are evaluated over such values
    (with `__dirname`, `process.cwd()` and pure string and array methods); `process.env.X` becomes
    `${env:X}`. Whatever else needs the code to run (a call into a package, arithmetic) is Unresolved
    with its source text, and a warning names the first such value.
    """
    reader = _Reader(base=path.parent, diagnostics=diagnostics, display=display)
    module = reader.module(path, display=display)
    if module is None:
        return None
    exported = _exported_config(module.root)
    if exported is None:
        diagnostics.error(
            "no configuration found: expected `module.exports = ...`, `export default ...` or `export = ...`",
            None,
        )
        return None
    value = reader.value(exported, module, depth=0)
    if is_unresolved(value):
        diagnostics.error(
            f"the exported configuration {_quoted(note(exported))} is computed when the file runs; not read",
            line(exported),
        )
        return None
    if not isinstance(value, MarkedDict):
        diagnostics.error("the exported configuration is not an object", line(exported))
        return None
    if reader.computed:
        first, where = reader.computed[0]
        more = len(reader.computed) - 1
        diagnostics.warn(
            f"{_quoted(first)} is computed when the file runs; read as unknown"
            + (f" (and {more} more value{'s' if more > 1 else ''})" if more else ""),
            where,
        )
    return value


@dataclass(slots=True, kw_only=True)
class _Module:
    """One parsed module of the service."""

    path: Path
    root: Node
    bindings: dict[str, Any] = field(default_factory=dict)


@record
class _Function:
    """A function of the service's modules: its parameter names and body (an expression or a block)."""

    params: tuple[str, ...]
    body: Node
    module: _Module


@dataclass(slots=True, kw_only=True)
class _Reader:
    """Evaluates constant expressions across the service's modules; records what it could not."""

    base: Path
    diagnostics: Diagnostics
    display: str
    modules: dict[Path, _Module | None] = field(default_factory=dict)
    computed: list[tuple[str, int | None]] = field(default_factory=list)
    # While a value of another module is read, the line in the configuration file that refers to it:
    # every line mark must point into the configuration file, where findings are reported.
    anchor: int | None = None
    # The parameters and constants of the function being called, innermost last (no closures).
    scopes: list[dict[str, Any]] = field(default_factory=list)
    calls: int = 0
    _aliases: list[tuple[str, tuple[str, ...]]] | None = None

    def module(self, path: Path, *, display: str) -> _Module | None:
        """`path` parsed (once); None with an error when it cannot be read or parsed."""
        if path in self.modules:
            return self.modules[path]
        self.modules[path] = None  # a module importing itself reads as unknown, not as a loop
        if len(self.modules) > _MAX_MODULES:
            return None
        try:
            if path.stat().st_size > _MAX_BYTES:
                self.diagnostics.error(f"{display} is over {_MAX_BYTES // (1024 * 1024)} MiB; not read", None)
                return None
            source = path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            self.diagnostics.error(f"cannot read {display}: {exc.strerror or exc}", None)
            return None
        except UnicodeDecodeError as exc:
            self.diagnostics.error(f"{display} is not a text file (invalid UTF-8 at byte {exc.start})", None)
            return None
        parsed = parse(path=path.name, display=display, text=source)
        if isinstance(parsed, Diagnostic):
            self.diagnostics.error(f"cannot parse {display}: {parsed.message}", parsed.line)
            return None
        loaded = _Module(path=path, root=parsed.tree.root_node)
        self.modules[path] = loaded
        return loaded

    def value(self, node: Node, module: _Module, *, depth: int) -> Any:
        """The value of an expression, or an Unresolved marker; `_NOT_SET` for `undefined`."""
        node = unwrap(node)
        kind = node.type
        if depth > _MAX_DEPTH:
            return self._unknown(node, module)
        if kind == "object":
            return self._object(node, module, depth=depth)
        if kind == "array":
            return self._array(node, module, depth=depth)
        if kind in ("string", "template_string"):
            return self._string(node, module, depth=depth)
        if kind == "number":
            return _number(text(node)) if _number(text(node)) is not None else self._unknown(node, module)
        if kind in ("true", "false"):
            return kind == "true"
        if kind == "null":
            return None
        if kind == "undefined":
            return _NOT_SET
        if kind == "unary_expression" and text(node)[:1] == "-":
            operand = self.value(node.named_children[0], module, depth=depth + 1)
            if isinstance(operand, int | float) and not isinstance(operand, bool):
                return -operand
        if kind in ("identifier", "shorthand_property_identifier"):
            return self._name(node, module, depth=depth)
        if kind == "member_expression":
            return self._member(node, module, depth=depth)
        if kind == "subscript_expression":
            return self._subscript(node, module, depth=depth)
        if kind == "call_expression":
            return self._call(node, module, depth=depth)
        if kind == "binary_expression":
            return self._sum(node, module, depth=depth)
        if kind in (
            "arrow_function",
            "function_expression",
            "function_declaration",
            "function",
            "method_definition",
        ):
            return _function(node, module)
        if kind == "regex":
            return pattern_of(text(node)) or self._unknown(node, module)
        return self._unknown(node, module)

    def _bound(self, name: str, module: _Module) -> bool:
        """True when `name` is a parameter of the function being called or declared in `module`."""
        return bool(self.scopes and name in self.scopes[-1]) or top_binding(module.root, name) is not None

    def _stored(self, item: Any, node: Node, module: _Module) -> Any:
        """`item` as a configuration value: functions and patterns are code, not configuration."""
        return self._unknown(node, module) if isinstance(item, _Function | Pattern) else item

    def _subscript(self, node: Node, module: _Module, *, depth: int) -> Any:
        target, index = node.child_by_field_name("object"), node.child_by_field_name("index")
        if target is None or index is None:
            return self._unknown(node, module)
        owner = self.value(target, module, depth=depth + 1)
        key = self.value(index, module, depth=depth + 1)
        if is_unresolved(owner) or is_unresolved(key):
            return owner if is_unresolved(owner) else key
        if isinstance(owner, list) and isinstance(key, int) and not isinstance(key, bool):
            return owner[key] if 0 <= key < len(owner) else _NOT_SET
        if isinstance(owner, MarkedDict) and isinstance(key, str):
            return owner.get(key, _NOT_SET)
        return self._unknown(node, module)

    def _sum(self, node: Node, module: _Module, *, depth: int) -> Any:
        """`a + b` over strings and integers, as JavaScript adds or concatenates them."""
        left, operator, right = (node.child_by_field_name(f) for f in ("left", "operator", "right"))
        if left is None or right is None or operator is None or text(operator) != "+":
            return self._unknown(node, module)
        values = [self.value(side, module, depth=depth + 1) for side in (left, right)]
        for value in values:
            if is_unresolved(value):
                return value
        if all(_is_int(v) for v in values):
            return values[0] + values[1]
        if all(isinstance(v, str) or _is_int(v) for v in values):
            return f"{values[0]}{values[1]}"
        return self._unknown(node, module)

    def _call(self, node: Node, module: _Module, *, depth: int) -> Any:
        """A call of a string or array method, of `process.cwd()`, or of a function of the service."""
        callee, arguments = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        if callee is None or arguments is None or arguments.type != "arguments":
            return self._unknown(node, module)
        if text(callee).replace(" ", "") == "process.cwd" and not arguments.named_children:
            return self.base.as_posix()  # the framework runs in the service's directory
        args: list[Any] = []
        for argument in arguments.named_children:
            if argument.type == "comment":
                continue
            value = self.value(argument, module, depth=depth + 1)
            if is_unresolved(value):
                return value
            args.append(value)
        if callee.type == "member_expression":
            target, method = callee.child_by_field_name("object"), callee.child_by_field_name("property")
            noted = len(self.computed)
            owner = self.value(target, module, depth=depth + 1) if target is not None else None
            if is_unresolved(owner):
                del self.computed[noted:]  # the warning names the call
                return self._unknown(node, module)
            result = call_method(owner, text(method), args) if method is not None else NO_RESULT
            return self._unknown(node, module) if result is NO_RESULT else result
        if text(callee) == "require" and not self._bound("require", module):
            required = self._required(node, module, use=node, depth=depth)
            if required is not None:
                return required
        noted = len(self.computed)
        function = self.value(callee, module, depth=depth + 1)
        if not isinstance(function, _Function):
            del self.computed[noted:]  # the warning names the call, not its callee
            return self._unknown(node, module)
        return self._apply(function, args, node, depth=depth)

    def _apply(self, function: _Function, args: list[Any], call: Node, *, depth: int) -> Any:
        """The result of calling `function`: an expression body, or a block of constants and a return."""
        self.calls += 1
        if self.calls > _MAX_CALLS:
            return self._unknown(call, function.module)
        scope = {name: args[i] if i < len(args) else _NOT_SET for i, name in enumerate(function.params)}
        self.scopes.append(scope)
        try:
            if function.body.type != "statement_block":
                return self.value(function.body, function.module, depth=depth + 1)
            for statement in function.body.named_children:
                if statement.type == "comment":
                    continue
                if statement.type == "return_statement":
                    returned = statement.named_children
                    return self.value(returned[0], function.module, depth=depth + 1) if returned else _NOT_SET
                if statement.type != "lexical_declaration":
                    break
                for declarator in statement.named_children:
                    target, init = (
                        declarator.child_by_field_name("name"),
                        declarator.child_by_field_name("value"),
                    )
                    if target is not None and init is not None and target.type == "identifier":
                        scope[text(target)] = self.value(init, function.module, depth=depth + 1)
            return self._unknown(call, function.module)
        finally:
            self.scopes.pop()

    def _object(self, node: Node, module: _Module, *, depth: int) -> MarkedDict:
        out = MarkedDict(self._at(node))
        for member in node.named_children:
            if member.type == "spread_element" and member.named_children:
                spread = self.value(member.named_children[0], module, depth=depth + 1)
                if isinstance(spread, MarkedDict):
                    for spread_key, spread_item in spread.items():
                        out[spread_key] = spread_item
                        out.key_lines[spread_key] = spread.key_lines.get(spread_key, self._at(member))
                elif spread is not None and spread is not _NOT_SET:
                    self._unknown(member, module)
                continue
            if member.type == "shorthand_property_identifier":
                key: Any = text(member)
                item = self._name(member, module, depth=depth + 1)
            elif member.type == "pair":
                key = self._key(member.child_by_field_name("key"), module, depth=depth)
                raw = member.child_by_field_name("value")
                if key is None or raw is None:
                    self._unknown(member, module)
                    continue
                item = self.value(raw, module, depth=depth + 1)
            else:  # methods, getters: code, not configuration
                continue
            if item is _NOT_SET:
                out.pop(key, None)
                continue
            out[key] = self._stored(item, member, module)
            out.key_lines[key] = self._at(member)
        return out

    def _key(self, node: Node | None, module: _Module, *, depth: int) -> str | None:
        if node is None:
            return None
        if node.type in ("property_identifier", "number"):
            return text(node)
        if node.type == "string":
            value = self._string(node, module, depth=depth)
            return value if isinstance(value, str) else None
        if node.type == "computed_property_name" and node.named_children:
            value = self.value(node.named_children[0], module, depth=depth + 1)
            return value if isinstance(value, str) else None
        return None

    def _array(self, node: Node, module: _Module, *, depth: int) -> MarkedList:
        out = MarkedList(self._at(node))
        for item in node.named_children:
            if item.type == "comment":
                continue
            if item.type == "spread_element" and item.named_children:
                spread = self.value(item.named_children[0], module, depth=depth + 1)
                if isinstance(spread, MarkedList):
                    out.extend(spread)
                    out.item_lines.extend(spread.item_lines)
                else:
                    out.append(self._unknown(item, module))
                    out.item_lines.append(self._at(item))
                continue
            value = self.value(item, module, depth=depth + 1)
            out.append(None if value is _NOT_SET else self._stored(value, item, module))
            out.item_lines.append(self._at(item))
        return out

    def _string(self, node: Node, module: _Module, *, depth: int) -> Any:
        parts: list[str] = []
        for child in node.named_children:
            if child.type == "string_fragment":
                parts.append(text(child))
            elif child.type == "escape_sequence":
                parts.append(_unescape(text(child)))
            elif child.type == "template_substitution" and child.named_children:
                # The part that is unknown names the value, without the template's `${`, which the
                # framework's variable syntax would read again.
                inner = child.named_children[0]
                value = self.value(inner, module, depth=depth + 1)
                if is_unresolved(value):
                    return value
                if isinstance(value, bool) or not isinstance(value, str | int | float):
                    return self._unknown(inner, module)
                parts.append(str(value))
            elif child.type != "comment":
                return self._unknown(node, module)
        return "".join(parts)

    def _name(self, node: Node, module: _Module, *, depth: int) -> Any:
        name = text(node)
        if self.scopes and name in self.scopes[-1]:
            return self.scopes[-1][name]
        if name in ("__dirname", "__filename") and not top_binding(module.root, name) is not None:
            return (module.path.parent if name == "__dirname" else module.path).as_posix()
        if name in module.bindings:
            return module.bindings[name]
        module.bindings[name] = self._unknown(node, module, record=False)  # while it is read: no loop
        bound = self._binding(name, module, use=node, depth=depth)
        value = self._unknown(node, module) if bound is None else bound
        module.bindings[name] = value
        return value

    def _binding(self, name: str, module: _Module, *, use: Node, depth: int) -> Any:
        """A module-level constant, or an import of one, by name; None when there is no such binding."""
        for statement in module.root.named_children:
            inner = (
                statement.child_by_field_name("declaration")
                if statement.type == "export_statement"
                else statement
            )
            if inner is None:
                continue
            if inner.type == "function_declaration":
                declared = inner.child_by_field_name("name")
                if declared is not None and text(declared) == name:
                    return _function(inner, module)
            if inner.type == "import_statement":
                found = self._imported(inner, name, module, use=use, depth=depth)
                if found is not None:
                    return found
            elif inner.type in ("lexical_declaration", "variable_declaration"):
                for declarator in inner.named_children:
                    found = self._declared(declarator, name, module, use=use, depth=depth)
                    if found is not None:
                        return found
        return None

    def _declared(self, declarator: Node, name: str, module: _Module, *, use: Node, depth: int) -> Any:
        target, init = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
        if target is None or init is None:
            return None
        if target.type == "identifier":
            return self.value(init, module, depth=depth + 1) if text(target) == name else None
        if target.type != "object_pattern":
            return None
        for part in target.named_children:  # const { a, b: c } = require('./x') or = someObject
            if part.type == "shorthand_property_identifier_pattern" and text(part) == name:
                key = name
            elif part.type == "pair_pattern":
                alias = part.child_by_field_name("value")
                if alias is None or text(alias) != name:
                    continue
                key = text(part.child_by_field_name("key") or alias).strip("'\"")
            else:
                continue
            whole = self._required(init, module, use=use, depth=depth)
            if whole is None:
                whole = self.value(init, module, depth=depth + 1)
            if isinstance(whole, MarkedDict):
                return whole[key] if key in whole else self._unknown(part, module)
            return whole
        return None

    def _required(self, init: Node, module: _Module, *, use: Node, depth: int) -> Any:
        """The exports of `require('./x')` as an object; None when `init` is not such a call."""
        init = unwrap(init)
        callee = init.child_by_field_name("function") if init.type == "call_expression" else None
        arguments = init.child_by_field_name("arguments")
        if (
            callee is None
            or text(callee) != "require"
            or arguments is None
            or len(arguments.named_children) != 1
        ):
            return None
        specifier = arguments.named_children[0]
        if specifier.type != "string":
            return self._unknown(init, module)
        exports = self._exports(_literal(specifier), module, node=use, name=None, depth=depth)
        # `module.exports = ...` (and a JSON file) is what require() gives; else the named exports.
        return exports.get("default", exports) if isinstance(exports, MarkedDict) else exports

    def _imported(self, statement: Node, name: str, module: _Module, *, use: Node, depth: int) -> Any:
        source = statement.child_by_field_name("source")
        clause = next((child for child in statement.named_children if child.type == "import_clause"), None)
        if source is None or clause is None or any(child.type == "type" for child in statement.children):
            return None
        for part in clause.named_children:
            if part.type == "identifier" and text(part) == name:  # import x from '...'
                return self._exports(_literal(source), module, node=use, name="default", depth=depth)
            if part.type == "namespace_import" and text(part).split()[-1] == name:
                return self._exports(_literal(source), module, node=use, name=None, depth=depth)
            if part.type == "named_imports":
                for specifier in part.named_children:
                    imported = specifier.child_by_field_name("name")
                    alias = specifier.child_by_field_name("alias") or imported
                    if imported is not None and alias is not None and text(alias) == name:
                        return self._exports(
                            _literal(source), module, node=use, name=text(imported), depth=depth
                        )
        return None

    def _exports(self, specifier: str, module: _Module, *, node: Node, name: str | None, depth: int) -> Any:
        """Export `name` (all exports as an object when None) of the service module `specifier` names."""
        path = self._resolve(specifier, module.path.parent)
        if path is None:
            return self._unknown(node, module)
        if path.suffix == ".json":
            data = self._json_like(path, anchor=self._at(node))
            if data is None:
                return self._unknown(node, module)
            exports = MarkedDict(self._at(node))
            exports["default"] = data
            if name is None or name in exports:
                return exports if name is None else exports[name]
            return self._unknown(node, module)
        target = self.module(path, display=_display(path, self.base, self.display))
        if target is None:
            return self._unknown(node, module)
        outer = self.anchor
        self.anchor = self._at(node)
        # `module.exports = {...}` gives its members; a default import of such a CommonJS module is
        # that whole object, as Node.js and TypeScript's interop give it.
        common_js = not any(statement.type == "export_statement" for statement in target.root.named_children)
        whole = name is None or (name == "default" and common_js)
        try:
            exports = MarkedDict(self.anchor)
            for exported_name, value_node in exports_of(target.root):
                if whole or exported_name == name:
                    exports[exported_name] = self.value(value_node, target, depth=depth + 1)
                    exports.key_lines[exported_name] = self.anchor
        finally:
            self.anchor = outer
        if name is None:
            return exports
        if name in exports:
            return exports[name]
        return exports if whole else self._unknown(node, module)

    def _resolve(self, specifier: str, directory: Path) -> Path | None:
        """The file of a relative or tsconfig-aliased import inside the service; None for packages."""
        candidates: list[Path] = []
        if specifier.startswith("."):
            candidates.append(directory / specifier)
        else:
            for pattern, targets in self._path_aliases():
                prefix, star, suffix = pattern.partition("*")
                if star and specifier.startswith(prefix) and specifier.endswith(suffix):
                    middle = specifier[len(prefix) : len(specifier) - len(suffix)]
                    candidates.extend(self.base / t.replace("*", middle) for t in targets)
                elif not star and specifier == pattern:
                    candidates.extend(self.base / t for t in targets)
        base = self.base.resolve()
        for candidate in candidates:
            files = (
                candidate,
                *(Path(f"{candidate}{suffix}") for suffix in _MODULE_SUFFIXES),
                *(candidate / f"index{suffix}" for suffix in _MODULE_SUFFIXES),
            )
            for path in files:
                if path.is_file() and path.resolve().is_relative_to(base):
                    return path
        return None

    def _path_aliases(self) -> list[tuple[str, tuple[str, ...]]]:
        """`compilerOptions.paths` of the service's tsconfig.json, targets joined to its `baseUrl`."""
        if self._aliases is None:
            self._aliases = []
            config = self.base / "tsconfig.json"
            if config.is_file():
                loaded = self._json_like(config)
                if not isinstance(loaded, dict):
                    self.diagnostics.warn(
                        f"{_display(config, self.base, self.display)} cannot be read as JSON; "
                        "its path aliases are not followed",
                        None,
                    )
                options = loaded.get("compilerOptions") if isinstance(loaded, dict) else None
                paths = options.get("paths") if isinstance(options, dict) else None
                base_url = options.get("baseUrl", ".") if isinstance(options, dict) else "."
                for pattern, targets in (paths or {}).items() if isinstance(paths, dict) else ():
                    if isinstance(targets, list) and isinstance(base_url, str):
                        joined = tuple(
                            posixpath.normpath(posixpath.join(base_url, t))
                            for t in targets
                            if isinstance(t, str)
                        )
                        self._aliases.append((str(pattern), joined))
        return self._aliases

    def _json_like(self, path: Path, *, anchor: int | None = None) -> Any:
        """A JSON file that may hold comments and trailing commas (tsconfig.json), read as an expression."""
        try:
            source = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
        if len(source) > _MAX_BYTES:
            return None
        parsed = parse(path="tsconfig.js", display=path.name, text=f"({source})")
        if isinstance(parsed, Diagnostic):
            return None
        statement = parsed.tree.root_node.named_children[0] if parsed.tree.root_node.named_children else None
        if statement is None or not statement.named_children:
            return None
        config = _Module(path=path, root=parsed.tree.root_node)
        quiet = _Reader(base=self.base, diagnostics=self.diagnostics, display=self.display, anchor=anchor)
        return quiet.value(statement.named_children[0], config, depth=0)

    def _member(self, node: Node, module: _Module, *, depth: int) -> Any:
        whole = text(node).replace(" ", "")
        if whole.startswith("process.env.") and whole.count(".") == 2:
            return "${env:" + whole.rsplit(".", 1)[1] + "}"
        target, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
        if target is None or prop is None:
            return self._unknown(node, module)
        owner = self.value(target, module, depth=depth + 1)
        if is_unresolved(owner):
            return owner
        if isinstance(owner, MarkedDict):
            return owner.get(text(prop), _NOT_SET)
        return self._unknown(node, module)

    def _at(self, node: Node) -> int:
        """The line a value read at `node` is marked with (see `anchor`)."""
        return line(node) if self.anchor is None else self.anchor

    def _unknown(self, node: Node, module: _Module, *, record: bool = True) -> MarkedDict:
        """The marker for a value computed when the file runs, noted once for the warning."""
        del module
        expression = note(node)
        if record and not any(first == expression for first, _ in self.computed):
            self.computed.append((expression, self._at(node)))
        return unresolved(f"{expression} (computed when the configuration file runs)", self._at(node))


def _exported_config(root: Node) -> Node | None:
    """The node a configuration file exports: `module.exports = X`, `export default X`, `export = X`."""
    found: Node | None = None
    for statement in root.named_children:
        if statement.type == "export_statement":
            value = statement.child_by_field_name("value")
            if value is None and any(child.type == "=" for child in statement.children):
                value = statement.named_children[-1] if statement.named_children else None
            if value is not None:
                found = value
        elif statement.type == "expression_statement" and statement.named_children:
            expression = unwrap(statement.named_children[0])
            left = (
                expression.child_by_field_name("left") if expression.type == "assignment_expression" else None
            )
            if left is not None and text(left).replace(" ", "") == "module.exports":
                found = expression.child_by_field_name("right")
    return found


def _function(node: Node, module: _Module) -> _Function:
    """A function expression or declaration with its parameter names (`""` for destructured ones)."""
    single = node.child_by_field_name("parameter")
    params: list[str] = [text(single)] if single is not None else []
    listed = node.child_by_field_name("parameters")
    for param in listed.named_children if listed is not None and single is None else ():
        if param.type == "identifier":
            params.append(text(param))
        elif param.type in ("required_parameter", "optional_parameter"):
            pattern = param.child_by_field_name("pattern")
            params.append(text(pattern) if pattern is not None and pattern.type == "identifier" else "")
        elif param.type != "comment":
            params.append("")
    body = node.child_by_field_name("body")
    return _Function(params=tuple(params), body=body if body is not None else node, module=module)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _quoted(expression: str) -> str:
    """`expression` in backticks, unless it is a template literal and has its own."""
    return expression if expression.startswith("`") else f"`{expression}`"


def _literal(node: Node) -> str:
    """The text of a string literal node (an import's source)."""
    return string_value(node) or ""


def _number(raw: str) -> int | float | None:
    cleaned = raw.replace("_", "")
    try:
        return (
            int(cleaned, 0)
            if cleaned.isdigit() or cleaned[:2].lower() in ("0x", "0o", "0b")
            else float(cleaned)
        )
    except ValueError:
        return None


def _unescape(sequence: str) -> str:
    """The character a JavaScript escape sequence stands for (`\\$` is `$`, as in `\\${opt:stage}`)."""

    def one(match: re.Match[str]) -> str:
        body = match.group(1)
        if body.startswith("u{"):
            return chr(int(body[2:-1], 16))
        if body[0] in "ux" and len(body) > 1:
            return chr(int(body[1:], 16))
        if body in ("\n", "\r\n"):
            return ""  # a line continuation
        return _SIMPLE_ESCAPES.get(body, body)

    return _ESCAPES.sub(one, sequence)


def _display(path: Path, base: Path, display: str) -> str:
    """How a module of the service is named in diagnostics: beside the configuration file's display."""
    folder = posixpath.dirname(display)
    try:
        relative = path.relative_to(base).as_posix()
    except ValueError:
        return path.name
    return posixpath.join(folder, relative) if folder else relative
