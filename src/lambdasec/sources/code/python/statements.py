"""An ordered walk over a function's statements: bindings, branches joined, guards that sanitize."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from typing import Final

from lambdasec.model import SinkKind

from .calls import CallWalker
from .modules import Function, ModuleInfo, dotted_name
from .session import MAX_DEPTH, Session, Summary
from .values import CLEAN, Value, combine, merge

__all__ = ["Walker", "ensure_module_env"]

_CHECK_METHODS: Final = frozenset(
    {"isdigit", "isdecimal", "isnumeric", "isalnum", "isalpha", "isidentifier", "fullmatch"}
)
# Summaries computed for one handler at most; calls beyond are treated as unknown library calls.
MAX_SUMMARIES: Final = 500
_MODULE_STATEMENTS: Final = (
    ast.Assign,
    ast.AnnAssign,
    ast.AugAssign,
    ast.Expr,
    ast.If,
    ast.Try,
    ast.With,
    ast.For,
)
_ANCHORED: Final = re.compile(r"(\$|\\Z)$")
Refinement = dict[str, Value]


class Walker(CallWalker):
    """Walks statements in order; branches are walked separately and joined, loops once."""

    def block(self, body: list[ast.stmt]) -> bool:
        """Walks `body`; True when it always leaves (return, raise, break, continue)."""
        return any(self.statement(statement) for statement in body)

    def statement(self, node: ast.stmt) -> bool:
        """Walks one statement; True when control never continues past it."""
        match node:
            case ast.Assign(
                targets=[ast.Tuple(elts=names) | ast.List(elts=names)], value=ast.Tuple(elts=values)
            ) if len(names) == len(values) and not any(isinstance(e, ast.Starred) for e in [*names, *values]):
                for name, value in zip(names, [self.expr(v) for v in values], strict=True):
                    self.bind(name, value, node=node)
            case ast.Assign(targets=targets, value=value):
                result = self.expr(value)
                for target in targets:
                    self.bind(target, result, node=node)
            case ast.AnnAssign(target=target, value=value) if value is not None:
                self.bind(target, self.expr(value), node=node)
            case ast.AugAssign(target=target, value=value):
                added = self.expr(value)
                if isinstance(target, ast.Name):
                    old = self.lookup(target.id)
                    self.bind(target, combine([old.data(), added.data()], kind=old.kind), node=node)
            case ast.Expr(value=value):
                self.expr(value)
            case ast.Return(value=value):
                if value is not None:
                    self.returns.append(self.expr(value).step(self.step(node)))
                return True
            case ast.Raise(exc=exc):
                if exc is not None:
                    self.expr(exc)
                return True
            case ast.Continue() | ast.Break():
                return True
            case ast.If(test=test, body=body, orelse=orelse):
                return self.branch(test, body=body, orelse=orelse)
            case ast.While(test=test, body=body, orelse=orelse):
                self.expr(test)
                self.loop(body, orelse)
            case (
                ast.For(target=target, iter=iterable, body=body, orelse=orelse)
                | ast.AsyncFor(target=target, iter=iterable, body=body, orelse=orelse)
            ):
                self.bind(target, self.iterate(self.expr(iterable), iterable), node=node, step=False)
                self.loop(body, orelse)
            case ast.With(items=items, body=body) | ast.AsyncWith(items=items, body=body):
                for item in items:
                    entered = self.expr(item.context_expr)
                    if item.optional_vars is not None:
                        self.bind(item.optional_vars, entered, node=item.context_expr)
                return self.block(body)
            case (
                ast.Try(body=body, handlers=handlers, orelse=orelse, finalbody=final)
                | ast.TryStar(body=body, handlers=handlers, orelse=orelse, finalbody=final)
            ):
                self.attempt(body, handlers=handlers, orelse=orelse, final=final)
            case ast.FunctionDef() | ast.AsyncFunctionDef():
                self.nested[node.name] = node
                self.env.pop(node.name, None)
            case ast.Assert(test=test):
                self.expr(test)
                self.env.update(self.refine(test, truth=True))
            case ast.Match(subject=subject, cases=cases):
                self.expr(subject)
                before = dict(self.env)
                ends = []
                for case in cases:
                    self.env = dict(before)
                    if not self.block(case.body):
                        ends.append(self.env)
                self.env = _join([before, *ends])
            case _:
                return False
        return False

    def loop(self, body: list[ast.stmt], orelse: list[ast.stmt]) -> None:
        """A loop body runs zero or more times: walked once, then joined with the state before it."""
        before = dict(self.env)
        self.block(body)
        self.env = _join([before, self.env])
        self.block(orelse)

    def attempt(
        self,
        body: list[ast.stmt],
        *,
        handlers: list[ast.ExceptHandler],
        orelse: list[ast.stmt],
        final: list[ast.stmt],
    ) -> None:
        """try/except: the handlers may start from any point of the body, so states are joined."""
        before = dict(self.env)
        body_left = self.block(body)
        after_body = dict(self.env)
        ends = [] if body_left else [after_body]
        if not body_left and not self.block(orelse):
            ends = [dict(self.env)]
        for handler in handlers:
            self.env = _join([before, after_body])
            if handler.name:
                self.env[handler.name] = CLEAN
            if not self.block(handler.body):
                ends.append(dict(self.env))
        self.env = _join(ends) if ends else after_body
        self.block(final)

    def branch(self, test: ast.expr, *, body: list[ast.stmt], orelse: list[ast.stmt]) -> bool:
        """if/else with guards: `if x not in ALLOWED: return` leaves x clean after the if."""
        self.expr(test)
        before = dict(self.env)
        self.env.update(self.refine(test, truth=True))
        body_left = self.block(body)
        after_body = self.env
        self.env = dict(before)
        self.env.update(self.refine(test, truth=False))
        else_left = self.block(orelse)
        after_else = self.env
        if body_left and else_left:
            return True
        if body_left:
            self.env = after_else
        elif else_left:
            self.env = after_body
        else:
            self.env = _join([after_body, after_else])
        return False

    # -- guards ------------------------------------------------------------------------------------

    def refine(self, test: ast.expr, *, truth: bool) -> Refinement:
        """Names a branch condition proves safe when it is `truth`."""
        match test:
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return self.refine(operand, truth=not truth)
            case ast.BoolOp(op=ast.And(), values=values) if truth:
                return {k: v for value in values for k, v in self.refine(value, truth=True).items()}
            case ast.BoolOp(op=ast.Or(), values=values) if not truth:
                return {k: v for value in values for k, v in self.refine(value, truth=False).items()}
            case ast.Compare(left=ast.Name(id=name), ops=[ast.In()], comparators=[allowed]) if truth:
                return {name: CLEAN} if self.allow_list(allowed) else {}
            case ast.Compare(left=ast.Name(id=name), ops=[ast.NotIn()], comparators=[allowed]) if not truth:
                return {name: CLEAN} if self.allow_list(allowed) else {}
            case ast.Call() if truth:
                return self.call_guard(test)
            case _:
                return {}

    def call_guard(self, test: ast.Call) -> Refinement:
        """`re.fullmatch(P, x)`, `PATTERN.fullmatch(x)`, `x.isdigit()`, `path.startswith(base)`."""
        match test:
            case ast.Call(func=func, args=[pattern, ast.Name(id=name)]):
                matcher = dotted_name(func, self.module.imports)
                if matcher in ("re.fullmatch", "re.match") and _anchored(
                    pattern, full=matcher == "re.fullmatch"
                ):
                    return {name: CLEAN}
                return {}
            case ast.Call(func=ast.Attribute(attr="fullmatch"), args=[ast.Name(id=name)]):
                return {name: CLEAN}
            case ast.Call(func=ast.Attribute(value=ast.Name(id=name), attr=attr), args=args):
                return self.checked(name, attr, args=args)
            case _:
                return {}

    def checked(self, name: str, attr: str, *, args: list[ast.expr]) -> Refinement:
        """`x.isdigit()` cleans x; `x.startswith(base)` on a normalized path makes it safe for file access."""
        value = self.lookup(name)
        if attr in _CHECK_METHODS and not args:
            return {name: CLEAN}
        if attr in ("startswith", "is_relative_to") and value.normalized:
            return {name: replace(value, safe_for=value.safe_for | {SinkKind.PATH})}
        return {}

    def allow_list(self, node: ast.expr) -> bool:
        """True for a collection of constants (literal, or a name bound to untainted data)."""
        if isinstance(node, ast.Set | ast.List | ast.Tuple):
            return all(isinstance(e, ast.Constant) for e in node.elts)
        if isinstance(node, ast.Dict):
            return all(isinstance(k, ast.Constant) for k in node.keys)
        if isinstance(node, ast.Name | ast.Attribute | ast.Call):
            value = self.expr(node)
            return not value.tainted and value.path is None
        return False

    # -- summaries ---------------------------------------------------------------------------------

    def summarize(self, module: ModuleInfo, function: Function, *, args: dict[int, Value]) -> Summary | None:
        """The function's effect for these arguments, computed once per argument signature (depth-bounded)."""
        if self.depth >= MAX_DEPTH or len(self.session.summaries) >= MAX_SUMMARIES:
            return None
        args = {i: _signature(v) for i, v in args.items()}
        key = (
            module.parsed.path,
            f"{function.name}:{function.lineno}@{self.depth}",
            tuple(sorted(args.items())),
        )
        cached = self.session.summaries.get(key)
        if cached is not None:
            return cached
        if key in self.session.active:
            return None
        self.session.active.add(key)
        try:
            walker = Walker(self.session, module, depth=self.depth + 1)
            ensure_module_env(self.session, module)
            walker.enter(function, args)
            summary = Summary(
                hits=tuple(walker.hits), returned=merge(walker.returns) if walker.returns else CLEAN
            )
        finally:
            self.session.active.discard(key)
        self.session.summaries[key] = summary
        return summary

    def enter(self, function: Function, args: dict[int, Value]) -> None:
        """Walks `function` with its parameters bound to `args` (a tainted argument marks its parameter)."""
        params = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
        for index, param in enumerate(params):
            value = args.get(index, CLEAN)
            if value.tainted:
                value = replace(value, steps=(), params=frozenset({index}))
            self.env[param.arg] = value
        for extra in (function.args.vararg, function.args.kwarg):
            if extra is not None:
                self.env[extra.arg] = CLEAN
        self.block(function.body)


def _signature(value: Value) -> Value:
    """What of an argument a summary depends on: no trace, and a constant only where sinks look at it."""
    prefix = value.prefix
    keep = prefix is not None and (prefix.startswith("/tmp") or "://" in prefix or prefix.startswith("/"))
    return replace(
        value,
        steps=(),
        params=frozenset(),
        location=None,
        prefix=prefix if keep else None,
        const=value.const and keep,
    )


def _join(states: list[dict[str, Value]]) -> dict[str, Value]:
    if len(states) == 1:
        return states[0]
    names = set().union(*states)
    return {name: merge([state.get(name, CLEAN) for state in states]) for name in names}


def _anchored(pattern: ast.expr, *, full: bool) -> bool:
    if not (isinstance(pattern, ast.Constant) and isinstance(pattern.value, str | bytes)):
        return False
    text = pattern.value if isinstance(pattern.value, str) else pattern.value.decode("latin-1")
    return full or bool(_ANCHORED.search(text))


def ensure_module_env(session: Session, module: ModuleInfo) -> None:
    """Evaluates module-level code once: constants, clients, secrets read and sinks reached at import."""
    if module.env is not None:
        return
    module.env = {}
    walker = Walker(session, module, depth=MAX_DEPTH)
    tree = module.parsed.tree
    assert isinstance(tree, ast.Module)
    for node in tree.body:
        if isinstance(node, _MODULE_STATEMENTS):
            walker.statement(node)
    module.env = walker.env
    session.indexed.import_hits[id(module.parsed)] = tuple(walker.hits)
