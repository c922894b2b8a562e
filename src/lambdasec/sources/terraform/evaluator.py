"""Parses and evaluates one Terraform expression (the inside of `${...}`) against a scope of known values."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any, Final, Protocol

from lambdasec.model import Unresolved
from lambdasec.records import record
from lambdasec.sources.terraform.calls import (
    CALLS,
    IDENTITY_ATTRIBUTES,
    DataInstance,
    EvalError,
    Key,
    SetValue,
)
from lambdasec.sources.terraform.path_functions import absolute

__all__ = ["Env", "Step", "evaluate_expression", "follow"]

_NUMBER: Final = re.compile(r"\d+(\.\d+)?([eE][+-]?\d+)?")
_IDENT: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_DIGITS: Final = re.compile(r"\d+")
_LINE_BREAK: Final = re.compile(r"\s*\n\s*")
_FOR: Final = re.compile(r"[\[{]\s*for\s")
_RAW_END: Final = ",]"
# Functions that read the local file their first argument names.
_FILE_READERS: Final = frozenset({"file", "templatefile"})
# What ends the key or value of a `for` body: `=>`, `...`, or the `if` of its condition.
_FOR_BODY_END: Final = re.compile(r"=>|\.\.\.|(?<![\w.])if\b")
_BINARY: Final = (
    ("||",),
    ("&&",),
    ("==", "!="),
    ("<=", ">=", "<", ">"),
    ("+", "-"),
    ("*", "/", "%"),
)
_PRECEDENCE: Final = {op: level for level, ops in enumerate(_BINARY) for op in ops}
# An operator after optional space; `=>`, `->` and a lone `=` are not operators.
_OPERATOR: Final = re.compile(r"\s*(\|\||&&|==|!=|<=|>=|<(?!<)|>|\+|-(?!>)|\*|/|%)")


@record(kw_only=False)
class Step:
    """One step after a reference's root: `.name` (index=False) or `[key]` (index=True)."""

    key: str | int
    index: bool


class Env(Protocol):
    """What an expression can look up: named roots (`var`, `local`, resources...) and template resolution."""

    def lookup(self, root: str, path: list[Step], *, depth: int) -> Any:
        """The value of a reference `root` followed by `path` steps (attributes and index keys)."""
        ...

    def template(self, text: str, *, depth: int) -> Any:
        """A quoted template string with `${...}` pieces, resolved."""
        ...

    def bind(self, names: Mapping[str, Any]) -> Env:
        """This environment with the iteration variables of a `for` expression bound to values."""
        ...

    def read_file(self, path: str) -> str | None:
        """The text of a local file (`file()`, `templatefile()`), or None when it cannot be read."""
        ...

    def for_files(self) -> Env:
        """This environment reading a local file path (where `path.cwd` is known)."""
        ...

    def render(self, text: str, names: Mapping[str, Any], *, depth: int) -> Any:
        """A template file's text rendered with `names` as its only variables."""
        ...


def evaluate_expression(text: str, env: Env, *, depth: int) -> Any:
    """The value of `text`; unknown parts are `Unresolved` with the source text of the unknown part."""
    parser = _Parser(text, env, depth=depth)
    try:
        value = parser.expression()
        parser.space()
        if parser.pos != len(text):
            return Unresolved(_one_line(text))
    except (EvalError, _Syntax):
        return Unresolved(_one_line(text))
    return value


def _one_line(text: str) -> str:
    """An expression as a reason: stripped, its line breaks (multi-line calls and objects) as spaces."""
    return _LINE_BREAK.sub(" ", text.strip())


class _Syntax(Exception):
    """The text is not an expression this parser reads; the whole expression becomes Unresolved."""


class _Parser:
    """Recursive descent over the text, evaluating as it goes (expressions have no side effects)."""

    def __init__(self, text: str, env: Env, *, depth: int) -> None:
        self.text = text
        self.pos = 0
        self.env = env
        self.depth = depth

    # -- helpers ---------------------------------------------------------------------------------------

    def space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self, token: str) -> bool:
        self.space()
        return self.text.startswith(token, self.pos)

    def take(self, token: str) -> bool:
        if self.peek(token):
            self.pos += len(token)
            return True
        return False

    def expect(self, token: str) -> None:
        if not self.take(token):
            raise _Syntax(f"expected {token!r} at {self.pos}")

    def unknown(self, start: int) -> Unresolved:
        return Unresolved(_one_line(self.text[start : self.pos]))

    # -- grammar ---------------------------------------------------------------------------------------

    def expression(self) -> Any:
        self.space()
        start = self.pos
        condition = self.binary(0)
        if not self.take("?"):
            return condition
        # Only the chosen result matters: `var.x != null ? var.x.y : null` is fine when x is null.
        yes = self.branch()
        self.expect(":")
        no = self.branch()
        if isinstance(condition, bool):
            chosen = yes if condition else no
            if isinstance(chosen, EvalError):
                raise chosen
            return chosen
        if isinstance(condition, Unresolved):
            if isinstance(yes, EvalError) or isinstance(no, EvalError):
                return self.unknown(start)
            return yes if _same(yes, no) else self.unknown(start)
        raise EvalError(f"condition is not a bool: {condition!r}")

    def branch(self, *, in_for: bool = False) -> Any:
        """One result of a conditional (or a `for` body's key or value), or the error evaluating it,
        past its text either way: only a result that is used makes its error Terraform's."""
        begin = self.pos
        try:
            return self.expression()
        except EvalError as exc:
            self.pos = begin
            self._skip_branch(in_for=in_for)
            return exc

    def binary(self, minimum: int) -> Any:
        """Operators by precedence climbing: operands of operators binding at least `minimum`."""
        self.space()
        start = self.pos
        left = self.unary()
        while True:
            match = _OPERATOR.match(self.text, self.pos)
            if match is None:
                return left
            operator = match[1]
            precedence = _PRECEDENCE[operator]
            if precedence < minimum:
                return left
            self.pos = match.end()
            if operator in ("&&", "||") and left is (operator == "||"):
                # `!contains(keys(v), "k") || v.k`: a known left operand that decides short-circuits,
                # so the right one may fail (as Terraform allows)
                self._short_circuit(precedence)
                continue
            right = self.binary(precedence + 1)
            left = _apply(operator, left, right)
            if isinstance(left, Unresolved):
                left = self.unknown(start)

    def unary(self) -> Any:
        self.space()
        start = self.pos
        if self.take("!"):
            value = self.unary()
            if isinstance(value, Unresolved):
                return self.unknown(start)
            if not isinstance(value, bool):
                raise EvalError("! on a non-bool")
            return not value
        if self.peek("-") and not self.text.startswith("->", self.pos):
            self.pos += 1
            value = self.unary()
            if isinstance(value, Unresolved):
                return self.unknown(start)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return -value
            raise EvalError("- on a non-number")
        return self.postfix()

    def postfix(self) -> Any:
        self.space()
        start = self.pos
        value = self.primary()
        while True:
            if self.peek("[*]") or self.peek(".*"):
                if isinstance(value, _Root):
                    value = value.resolve(self)
                if isinstance(value, Unresolved):
                    return self._skip_rest(start)
                value = self.splat(value, start)
                if isinstance(value, Unresolved):
                    return self._skip_rest(start)
                continue
            if self.peek("["):
                self.pos += 1
                key = self.expression()
                self.expect("]")
                value = value.step(key, index=True) if isinstance(value, _Root) else _index(value, key)
            elif self.peek(".") and not self.text.startswith("..", self.pos):
                self.pos += 1
                self.space()
                match = _IDENT.match(self.text, self.pos) or _DIGITS.match(self.text, self.pos)
                if match is None:
                    raise _Syntax("attribute name expected")
                self.pos = match.end()
                name: str | int = int(match[0]) if match[0].isdigit() else match[0]
                value = value.step(name, index=False) if isinstance(value, _Root) else _index(value, name)
            else:
                break
            if isinstance(value, Unresolved):
                value = self.unknown(start)
        if isinstance(value, _Root):
            value = value.resolve(self)
            # A reference keeps the reason its value carries (`var.missing` behind a local); a bare
            # unknown (an unmodelled resource attribute) is named by the reference's own text.
            if isinstance(value, Unresolved) and not value.reason:
                return self.unknown(start)
        return value

    def splat(self, value: Any, start: int) -> Any:
        """`value[*]` with the traversal after it applied to each element (`.*` applies only attributes).

        A value that is not a list is a one-element list, null an empty one, as in Terraform.
        """
        full = self.take("[*]")
        if not full:
            self.expect(".*")
        steps: list[Step] = []
        while True:
            if self.peek(".") and not self.peek("..") and not self.peek(".*"):
                self.pos += 1
                self.space()
                match = _IDENT.match(self.text, self.pos) or _DIGITS.match(self.text, self.pos)
                if match is None:
                    raise _Syntax("attribute name expected")
                self.pos = match.end()
                steps.append(Step(int(match[0]) if match[0].isdigit() else match[0], False))
            elif full and self.peek("[") and not self.peek("[*]"):
                self.pos += 1
                key = self.expression()
                self.expect("]")
                if isinstance(key, Unresolved):
                    return key
                if isinstance(key, bool) or not isinstance(key, str | int):
                    raise EvalError(f"bad index {key!r}")
                steps.append(Step(key, True))
            else:
                break
        elements = [] if value is None else value if isinstance(value, list) else [value]
        out = [follow(element, steps) for element in elements]
        if full and self.peek("[*]"):
            return self._nested_splat(out, start)
        # an element whose attribute is not modelled is named by the splat's text
        return [self.unknown(start) if _unnamed(item) else item for item in out]

    def _nested_splat(self, items: list[Any], start: int) -> list[Any]:
        """`a[*].b[*].c`: the inner splat applies to each element's `b`, giving a list per element."""
        after = self.pos
        self.splat([], start)  # past the inner traversal, whatever the elements are
        end = self.pos
        out: list[Any] = []
        for item in items:
            self.pos = after
            out.append(self.unknown(start) if _unnamed(item) else self.splat(item, start))
            self.pos = end
        return out

    def for_expression(self, start: int, *, closing: str) -> Any:
        """`[for v in coll : expr if cond]` or `{for k, v in coll : key => value... if cond}`.

        The body is read once per element with the names bound; an unknown collection, key or condition
        makes the whole result unknown, named by the expression's text.
        """
        opening = self.text[start]
        self.pos = start + 1
        self.keyword("for")
        names = [self.name()]
        if self.take(","):
            names.append(self.name())
        self.keyword("in")
        collection = self.expression()
        self.expect(":")
        body = self.pos
        items = _iteration(collection)
        if items is None:
            return self._skip_unknown(start, opening, closing)
        listing: list[Any] = []
        mapping: dict[str, Any] = {}
        outer = self.env
        try:
            for key, element in items:
                bound = {names[0]: element} if len(names) == 1 else {names[0]: key, names[1]: element}
                self.env = outer.bind(bound)
                self.pos = body
                # The condition is evaluated first: the key and value of a left out element may fail.
                name: Any = self.branch(in_for=True) if closing == "}" else None
                if closing == "}":
                    self.expect("=>")
                value = self.branch(in_for=True)
                grouped = closing == "}" and self.take("...")
                keep: Any = True
                if self.keyword("if", required=False):
                    keep = self.expression()
                self.expect(closing)
                if isinstance(keep, Unresolved):
                    return self._skip_unknown(start, opening, closing)
                if not isinstance(keep, bool):
                    raise EvalError(f"for condition is not a bool: {keep!r}")
                if not keep:
                    continue
                for outcome in (name, value):
                    if isinstance(outcome, EvalError):
                        raise outcome
                if isinstance(name, Unresolved | Key):
                    return self._skip_unknown(start, opening, closing)
                if closing == "]":
                    listing.append(value)
                    continue
                if name is None:
                    raise EvalError("for key is null")
                text = _text(name)
                if grouped:
                    mapping.setdefault(text, []).append(value)
                elif text in mapping:
                    raise EvalError(f"for: duplicate key {text!r} (use `...` to group)")
                else:
                    mapping[text] = value
        finally:
            self.env = outer
        self.pos = start
        self._skip_bracket(opening, closing)
        return listing if closing == "]" else mapping

    def keyword(self, word: str, *, required: bool = True) -> bool:
        """Takes `word` as a whole word; a missing required one is a syntax error."""
        self.space()
        if re.match(rf"{word}\b", self.text[self.pos : self.pos + len(word) + 1]):
            self.pos += len(word)
            return True
        if required:
            raise _Syntax(f"{word!r} expected at {self.pos}")
        return False

    def name(self) -> str:
        self.space()
        match = _IDENT.match(self.text, self.pos)
        if match is None:
            raise _Syntax("name expected")
        self.pos = match.end()
        return match[0]

    def _skip_unknown(self, start: int, opening: str, closing: str) -> Unresolved:
        self.pos = start
        self._skip_bracket(opening, closing)
        return self.unknown(start)

    def _skip_rest(self, start: int) -> Unresolved:
        """A splat over an unknown value: skip the traversal that follows."""
        while self.pos < len(self.text) and (
            self.text[self.pos] in ".[*]" or self.text[self.pos].isalnum() or self.text[self.pos] == "_"
        ):
            if self.text[self.pos] == "[":
                self._skip_bracket("[", "]")
            else:
                self.pos += 1
        return self.unknown(start)

    def primary(self) -> Any:
        self.space()
        start = self.pos
        if self.pos >= len(self.text):
            raise _Syntax("unexpected end")
        char = self.text[self.pos]
        if char == "(":
            self.pos += 1
            value = self.expression()
            self.expect(")")
            return value
        if char == '"':
            return self.env.template(self.quoted(), depth=self.depth + 1)
        if char == "'":
            # python-hcl2 writes the strings of a list inside a conditional as Python does:
            # `c ? [var.y] : []` reaches us as `c ? ['${var.y}'] : []` (HCL itself has no `'`)
            return self.env.template(self.single_quoted(), depth=self.depth + 1)
        if self.text.startswith("${", self.pos):
            inner = self.interpolation()
            return evaluate_expression(inner, self.env, depth=self.depth + 1)
        if self.text.startswith("<<", self.pos):
            raise _Syntax("heredoc inside an expression")
        if char == "[":
            return self.sequence()
        if char == "{":
            return self.mapping()
        if match := _NUMBER.match(self.text, self.pos):
            self.pos = match.end()
            return float(match[0]) if match[1] or match[2] else int(match[0])
        match = _IDENT.match(self.text, self.pos)
        if match is None:
            raise _Syntax(f"unexpected {char!r}")
        name = match[0]
        self.pos = match.end()
        if name in ("true", "false"):
            return name == "true"
        if name == "null":
            return None
        if self.peek("("):
            return self.call(name, start)
        return _Root(name, self.env, depth=self.depth)

    def quoted(self) -> str:
        """A double-quoted string's content, unescaped, with its `${...}` pieces left for the template."""
        return self._string('"', interpolations=True)

    def single_quoted(self) -> str:
        """A Python-style single-quoted string's content, unescaped (see `primary`)."""
        return self._string("'", interpolations=False)

    def _string(self, quote: str, *, interpolations: bool) -> str:
        """The content of the string that starts at the current position, up to its closing `quote`."""
        self.pos += 1
        out: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                escaped = self.text[self.pos + 1]
                out.append({"n": "\n", "t": "\t", "r": "\r"}.get(escaped, escaped))
                self.pos += 2
                continue
            if char == quote:
                self.pos += 1
                return "".join(out)
            if interpolations and self.text.startswith("${", self.pos):
                out.append("${" + self.interpolation() + "}")
                continue
            out.append(char)
            self.pos += 1
        raise _Syntax("unterminated string")

    def interpolation(self) -> str:
        """The inside of the `${...}` at the current position."""
        begin = self.pos + 2
        depth = 0
        i = begin
        quoted = False
        while i < len(self.text):
            char = self.text[i]
            if quoted:
                if char == "\\":
                    i += 1
                elif char == '"':
                    quoted = False
            elif char == '"':
                quoted = True
            elif char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    self.pos = i + 1
                    return self.text[begin:i]
                depth -= 1
            i += 1
        raise _Syntax("unclosed ${")

    def _skip_bracket(self, opening: str, closing: str) -> None:
        depth = 0
        quoted = False
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if quoted:
                if char == "\\":
                    self.pos += 1
                elif char == '"':
                    quoted = False
            elif char == '"':
                quoted = True
            elif char == opening:
                depth += 1
            elif char == closing:
                depth -= 1
                if depth == 0:
                    return
        raise _Syntax(f"unclosed {opening}")

    def sequence(self) -> Any:
        start = self.pos
        if _FOR.match(self.text, self.pos):
            return self.for_expression(start, closing="]")
        self.pos += 1
        items: list[Any] = []
        while not self.take("]"):
            items.append(self.element())
            if not self.take(","):
                self.expect("]")
                break
        return items

    def element(self) -> Any:
        """A list element. python-hcl2 drops the quotes of plain strings in lists inside expressions
        (`toset(["a", var.b])` reaches us as `toset([a, ${var.b}])`), so a bare word is a string unless it
        reads as a reference or a call."""
        self.space()
        rest = self.text[self.pos :]
        if (
            not rest
            or rest[0] in "\"'[{(-!"
            or rest.startswith("${")
            or _NUMBER.match(rest)
            or re.match(r"(true|false|null)\s*[,\]]", rest)
            or re.match(r"(var|local|module|data|each|count|path|terraform)\.", rest)
            or re.match(r"aws_[a-z0-9_]+\.[A-Za-z_]", rest)
            or re.match(r"[A-Za-z_][A-Za-z0-9_]*\s*\(", rest)
        ):
            return self.expression()
        start = self.pos
        depth = 0
        while self.pos < len(self.text):
            if self.text.startswith("${", self.pos):
                self.interpolation()
                continue
            char = self.text[self.pos]
            if char in _RAW_END and depth == 0:
                break
            depth += {"[": 1, "]": -1}.get(char, 0)
            self.pos += 1
        return self.env.template(self.text[start : self.pos].strip(), depth=self.depth + 1)

    def mapping(self) -> Any:
        start = self.pos
        if _FOR.match(self.text, self.pos):
            return self.for_expression(start, closing="}")
        self.pos += 1
        out: dict[str, Any] = {}
        while not self.take("}"):
            self.space()
            if self.peek('"'):
                key: Any = self.env.template(self.quoted(), depth=self.depth + 1)
            elif self.peek("("):
                key = self.expression()
            else:
                match = _IDENT.match(self.text, self.pos)
                if match is None:
                    raise _Syntax("object key expected")
                self.pos = match.end()
                key = match[0]
            if not (self.take("=") or self.take(":")):
                raise _Syntax("= or : expected")
            value = self.expression()
            if not isinstance(key, str):
                return self._finish_unknown_mapping(start)
            out[key] = value
            self.take(",")
        return out

    def _finish_unknown_mapping(self, start: int) -> Unresolved:
        self.pos = start
        self._skip_bracket("{", "}")
        return self.unknown(start)

    def call(self, name: str, start: int) -> Any:
        self.expect("(")
        if name in ("try", "can"):
            return self._guarded(name, start)
        arguments: list[Any] = []
        unknown_expansion = False
        while not self.take(")"):
            argument = self._argument(path=name in _FILE_READERS and not arguments)
            if self.take("..."):
                # `f(list...)`: the list's elements are the arguments (Terraform allows it last only)
                if isinstance(argument, list):
                    arguments.extend(argument)
                elif isinstance(argument, Unresolved):
                    unknown_expansion = True
                else:
                    raise EvalError(f"{name}: only a list can be expanded into arguments")
            else:
                arguments.append(argument)
            if not self.take(","):
                self.expect(")")
                break
        if unknown_expansion:
            return self.unknown(start)  # a list not known: neither how many arguments nor what they are
        if name in _FILE_READERS:
            return self._file(name, arguments, start)
        if name == "abspath":
            return self._abspath(arguments, start)
        function: Callable[..., Any] | None = CALLS.get(name)
        if function is None or any(isinstance(a, DataInstance) for a in arguments):
            return self.unknown(start)
        try:
            result = function(*arguments)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise EvalError(f"{name}: {exc}") from None
        return self.unknown(start) if isinstance(result, Unresolved) else result

    def _argument(self, *, path: bool) -> Any:
        """One call argument; the path `file()` and `templatefile()` read is evaluated as a file path."""
        if not path:
            return self.expression()
        outer = self.env
        self.env = outer.for_files()
        try:
            return self.expression()
        finally:
            self.env = outer

    def _file(self, name: str, arguments: list[Any], start: int) -> Any:
        """`file(path)`: the local file's text; `templatefile(path, vars)`: it rendered with `vars`."""
        expected = 1 if name == "file" else 2
        if len(arguments) != expected:
            raise EvalError(f"{name}: {expected} argument(s) expected")
        path = arguments[0]
        names = arguments[1] if name == "templatefile" else {}
        if not isinstance(path, str) or isinstance(path, Key) or not isinstance(names, Mapping):
            return self.unknown(start)
        text = self.env.read_file(path)
        if text is None:
            return self.unknown(start)
        if name == "file":
            return text
        rendered = self.env.render(text, names, depth=self.depth + 1)
        return self.unknown(start) if isinstance(rendered, Unresolved) else rendered

    def _abspath(self, arguments: list[Any], start: int) -> Any:
        """`abspath(path)`: an absolute path cleaned; a relative one joined to the working directory, which
        is known (`path.cwd`) only where a local file path is read, so elsewhere the result is unknown."""
        if len(arguments) != 1:
            raise EvalError("abspath: 1 argument expected")
        path = arguments[0]
        if isinstance(path, list | Mapping) and not isinstance(path, DataInstance):
            raise EvalError("abspath of a collection")
        if not isinstance(path, str) or isinstance(path, Key):
            return self.unknown(start)
        cwd = self.env.lookup("path", [Step("cwd", index=False)], depth=self.depth + 1)
        known = isinstance(cwd, str) and not isinstance(cwd, Key)
        result = absolute(path, cwd=cwd if known else None)
        return self.unknown(start) if result is None else result

    def _guarded(self, name: str, start: int) -> Any:
        """`try(a, b, ...)`: the first argument that evaluates without error; `can(a)`: whether it does."""
        outcomes: list[Any] = []
        while not self.take(")"):
            begin = self.pos
            try:
                outcomes.append(self.expression())
            except EvalError as exc:
                outcomes.append(exc)
                self.pos = begin
                self._skip_branch(in_for=False)  # the argument: up to its `,` or `)`
            if not self.take(","):
                self.expect(")")
                break
        for outcome in outcomes:
            if isinstance(outcome, EvalError):
                if name == "can":
                    return False
                continue
            if isinstance(outcome, Unresolved):
                return self.unknown(start)
            return True if name == "can" else outcome
        raise EvalError(f"{name}: no argument succeeded")

    def _short_circuit(self, precedence: int) -> None:
        """Past the right operand of a decided `&&`/`||`, evaluated only for its syntax."""
        begin = self.pos
        try:
            self.binary(precedence + 1)
        except EvalError:
            self.pos = begin
            self._skip_branch(in_for=True, operators=True)

    def _skip_branch(self, *, in_for: bool, operators: bool = False) -> None:
        """Past one result of a conditional: up to its `:` (nested conditionals' own `? :` pairs
        skipped), or a `,` or closing bracket that ends the expression around it (so, too, past one
        function argument); in a `for` body also up to `=>`, `...` or `if`."""
        depth = 0
        pending = 0
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if in_for and depth == 0 and _FOR_BODY_END.match(self.text, self.pos):
                return
            if operators and depth == 0 and (self.text.startswith(("&&", "||"), self.pos) or char == "?"):
                return
            if char == '"':
                self.quoted()
                continue
            if self.text.startswith("${", self.pos):
                self.interpolation()
                continue
            if char in "([{":
                depth += 1
            elif char in ")]}":
                if depth == 0:
                    return
                depth -= 1
            elif depth == 0 and char == "?":
                pending += 1
            elif depth == 0 and char == ":":
                if pending == 0:
                    return
                pending -= 1
            elif depth == 0 and char == ",":
                return
            self.pos += 1


class _Root:
    """A reference being read: `var`, `local`, `aws_x`... and the steps taken after it so far."""

    def __init__(self, name: str, env: Env, *, depth: int) -> None:
        self.name = name
        self.env = env
        self.depth = depth
        self.path: list[Step] = []

    def step(self, key: Any, *, index: bool) -> Any:
        if isinstance(key, Unresolved):
            return key
        if not isinstance(key, str | int) or isinstance(key, bool):
            raise EvalError(f"bad index {key!r}")
        self.path.append(Step(key, index))
        return self

    def resolve(self, parser: _Parser) -> Any:
        return self.env.lookup(self.name, self.path, depth=self.depth + 1)


def _index(value: Any, key: Any) -> Any:
    """`value[key]` or `value.key` on a known value; a missing key is an error (try() catches it)."""
    if isinstance(value, Unresolved) or isinstance(key, Unresolved):
        return Unresolved("index")
    if isinstance(value, Mapping):
        name = _text(key)
        if name not in value:
            raise EvalError(f"no key {key!r}")
        return value[name]
    if isinstance(value, SetValue):
        raise EvalError("a set has no indices")
    if isinstance(value, list):
        number = _number(key)
        if not isinstance(number, int) or not 0 <= number < len(value):
            raise EvalError(f"index {key!r} out of range")
        return value[number]
    raise EvalError(f"cannot index {value!r}")


def _unnamed(value: Any) -> bool:
    return isinstance(value, Unresolved) and not value.reason


def _iteration(collection: Any) -> list[tuple[Any, Any]] | None:
    """The (key, value) pairs a `for` expression visits: list indexes in order, map keys sorted, a set's
    elements as their own keys.

    None when the collection is unknown (a bare resource key or a data source is an object whose
    attributes are unknown).
    """
    if isinstance(collection, Unresolved | Key | DataInstance):
        return None
    if isinstance(collection, SetValue):
        return [(element, element) for element in collection]
    if isinstance(collection, list):
        return list(enumerate(collection))
    if isinstance(collection, Mapping):
        return sorted(collection.items())
    raise EvalError(f"cannot iterate over {collection!r}")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise EvalError(f"not a string: {value!r}")


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("bool is not a number")
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            parsed = float(value)
        except ValueError:
            raise EvalError(f"not a number: {value!r}") from None
        return int(parsed) if parsed.is_integer() and "." not in value else parsed
    raise EvalError(f"not a number: {value!r}")


def _same(a: Any, b: Any) -> bool:
    return not isinstance(a, Unresolved) and not isinstance(b, Unresolved) and type(a) is type(b) and a == b


def _apply(operator: str, left: Any, right: Any) -> Any:
    if operator in ("&&", "||"):
        known = [v for v in (left, right) if not isinstance(v, Unresolved)]
        if any(not isinstance(v, bool) for v in known):
            raise EvalError(f"{operator} on a non-bool")
        if operator == "&&" and False in known:
            return False
        if operator == "||" and True in known:
            return True
        if len(known) < 2:
            return Unresolved(operator)
        return left and right if operator == "&&" else left or right
    if isinstance(left, Unresolved | Key) or isinstance(right, Unresolved | Key):
        return Unresolved(operator)
    if operator == "==":
        return _equal(left, right)
    if operator == "!=":
        return not _equal(left, right)
    a, b = _number(left), _number(right)
    match operator:
        case "<":
            return a < b
        case ">":
            return a > b
        case "<=":
            return a <= b
        case ">=":
            return a >= b
        case "+":
            return a + b
        case "-":
            return a - b
        case "*":
            return a * b
        case "/":
            if b == 0:
                raise EvalError("division by zero")
            return a / b
        case _:
            if b == 0:
                raise EvalError("modulo by zero")
            return a % b


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return bool(left == right)
    return bool(
        json.dumps(left, sort_keys=True, default=str) == json.dumps(right, sort_keys=True, default=str)
    )


def follow(value: Any, path: list[Step]) -> Any:
    """`value` after the steps of `path`; unknown as soon as a step meets an unknown value."""
    for number, step in enumerate(path):
        if isinstance(value, Unresolved):
            return value
        if isinstance(value, Key):
            # a whole resource passed along (a module input): its identity attributes are its key
            last = number == len(path) - 1
            return value if last and step.key in IDENTITY_ATTRIBUTES else Unresolved("")
        value = _index(value, step.key)
    return value
