"""What a JavaScript/TypeScript module exports (ESM and CommonJS), and the functions behind those exports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from tree_sitter import Node

from lambdasec.sources.code.javascript.syntax import FUNCTIONS, string_value, text, unwrap

__all__ = ["exported", "exports_of", "find_function", "top_binding"]

_SHAPE_NAMES: Final = frozenset({"handler", "main", "lambdaHandler"})


def exports_of(root: Node, *, loaded: bool = False) -> Iterator[tuple[str, Node]]:
    """Each export of the module as (exported name, node of its value or declaration), in source order.

    `module.exports = value` is the module's `default` as an import sees it; `loaded` gives the names as
    the Lambda runtime resolves a handler setting instead: properties of what loading the module returns,
    where that value is the module itself and has no `default` (unless it is an object of members).
    """
    for statement in root.named_children:
        if statement.type == "export_statement":
            if any(child.type == "=" for child in statement.children) and statement.named_children:
                # TypeScript's `export = value` compiles to `module.exports = value`
                yield from _whole(statement.named_children[-1], loaded=loaded)
            else:
                yield from _esm(statement)
        elif statement.type == "expression_statement":
            expression = unwrap(statement.named_children[0]) if statement.named_children else statement
            for item in _items(expression):
                namespace = _bundled_namespace(item)
                bundled = list(_bundled_exports(root, namespace)) if namespace is not None else []
                yield from bundled or _commonjs(item, loaded=loaded)


def _items(expression: Node) -> list[Node]:
    """The expressions of a comma sequence (as minifiers join statements), else the expression itself."""
    if expression.type != "sequence_expression":
        return [expression]
    return [unwrap(child) for child in expression.named_children if child.type != "comment"]


def _esm(statement: Node) -> Iterator[tuple[str, Node]]:
    declaration = statement.child_by_field_name("declaration")
    value = statement.child_by_field_name("value")
    if declaration is not None:
        if declaration.type in ("lexical_declaration", "variable_declaration"):
            for declarator in declaration.named_children:
                name, init = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
                if (
                    declarator.type == "variable_declarator"
                    and name is not None
                    and name.type == "identifier"
                ):
                    yield text(name), init if init is not None else declarator
        else:
            name = declaration.child_by_field_name("name")
            is_default = any(child.type == "default" for child in statement.children)
            if is_default:
                yield "default", declaration
            elif name is not None:
                yield text(name), declaration
        return
    if value is not None:
        yield "default", value
        return
    for clause in statement.named_children:
        if clause.type != "export_clause":
            continue
        for specifier in clause.named_children:
            name, alias = specifier.child_by_field_name("name"), specifier.child_by_field_name("alias")
            if name is not None:
                yield text(alias if alias is not None else name), name


def _commonjs(expression: Node, *, loaded: bool) -> Iterator[tuple[str, Node]]:
    if expression.type != "assignment_expression":
        return
    left, right = expression.child_by_field_name("left"), expression.child_by_field_name("right")
    if left is None or right is None:
        return
    if unwrap(right).type == "assignment_expression":  # `exports.a = exports.b = value`
        yield from _commonjs(unwrap(right), loaded=loaded)
        while right is not None and unwrap(right).type == "assignment_expression":
            right = unwrap(right).child_by_field_name("right")
    if right is None or _undefined(right):
        return  # TypeScript declares each export first with `exports.handler = void 0;`
    target = text(left).replace(" ", "")
    if target == "exports" and loaded:
        return  # rebinds the local name only: what loading the module returns is unchanged
    if target in ("module.exports", "exports"):
        yield from _whole(right, loaded=loaded)
    elif left.type == "member_expression" and target.rpartition(".")[0] in ("exports", "module.exports"):
        yield target.rpartition(".")[2], right
    elif left.type == "subscript_expression":  # `exports["get-item"] = ...`
        owner, index = left.child_by_field_name("object"), left.child_by_field_name("index")
        key = string_value(index) if index is not None else None
        if (
            owner is not None
            and key is not None
            and text(owner).replace(" ", "") in ("exports", "module.exports")
        ):
            yield key, right


def _bundled_namespace(expression: Node) -> str | None:
    """`ns` of esbuild's CommonJS output `module.exports = __toCommonJS(ns)` (renamed when minified)."""
    if expression.type != "assignment_expression":
        return None
    left, right = expression.child_by_field_name("left"), expression.child_by_field_name("right")
    if left is None or right is None or text(left).replace(" ", "") != "module.exports":
        return None
    right = unwrap(right)
    callee = right.child_by_field_name("function") if right.type == "call_expression" else None
    arguments = right.child_by_field_name("arguments")
    if callee is None or callee.type != "identifier" or arguments is None:
        return None
    names = [child for child in arguments.named_children if child.type != "comment"]
    return text(names[0]) if len(names) == 1 and names[0].type == "identifier" else None


def _bundled_exports(root: Node, namespace: str) -> Iterator[tuple[str, Node]]:
    """The getters esbuild registers with `__export(ns, { name: () => binding })` for a bundle's exports."""
    calls = (
        call
        for statement in root.named_children
        if statement.type == "expression_statement" and statement.named_children
        for call in _items(unwrap(statement.named_children[0]))
        if call.type == "call_expression"
    )
    for call in calls:
        callee, arguments = call.child_by_field_name("function"), call.child_by_field_name("arguments")
        if callee is None or callee.type != "identifier" or arguments is None:
            continue
        target, *rest = arguments.named_children or [callee]
        if text(target) != namespace or len(rest) != 1 or rest[0].type != "object":
            continue
        for name, getter in _object_members(rest[0]):
            body = getter.child_by_field_name("body") if getter.type == "arrow_function" else None
            if body is not None and body.type != "statement_block":
                yield name, body


def _undefined(value: Node) -> bool:
    """`void 0` or `undefined`."""
    value = unwrap(value)
    return text(value).replace(" ", "") == "void0" or (value.type == "undefined")


def _whole(value: Node, *, loaded: bool) -> Iterator[tuple[str, Node]]:
    """The exports of a value that is the whole module: an object's members, else the import's default."""
    value = unwrap(value)
    if value.type == "object":
        yield from _object_members(value)
    elif not loaded:
        yield "default", value


def _object_members(obj: Node) -> Iterator[tuple[str, Node]]:
    for member in obj.named_children:
        if member.type == "shorthand_property_identifier":
            yield text(member), member
        elif member.type == "pair":
            key, value = member.child_by_field_name("key"), member.child_by_field_name("value")
            if key is not None and value is not None:
                yield text(key).strip("'\"`"), value
        elif member.type == "method_definition":
            name = member.child_by_field_name("name")
            if name is not None:
                yield text(name), member


def top_binding(root: Node, name: str) -> Node | None:
    """The module-level definition of `name`: a function declaration or a declarator's value."""
    for statement in root.named_children:
        inner = (
            statement.child_by_field_name("declaration")
            if statement.type == "export_statement"
            else statement
        )
        if inner is None:
            continue
        if inner.type in ("function_declaration", "generator_function_declaration", "class_declaration"):
            declared = inner.child_by_field_name("name")
            if declared is not None and text(declared) == name:
                return inner
        elif inner.type in ("lexical_declaration", "variable_declaration"):
            for declarator in inner.named_children:
                declared = declarator.child_by_field_name("name")
                if declared is not None and declared.type == "identifier" and text(declared) == name:
                    return declarator.child_by_field_name("value")
    return None


def find_function(root: Node, node: Node, *, depth: int = 0) -> Node | None:
    """The function a handler expression denotes: through names, wrappers like `middy(fn).use(...)`."""
    node = unwrap(node)
    if depth > 6:
        return None
    if node.type in FUNCTIONS:
        return node
    if node.type in ("identifier", "shorthand_property_identifier"):
        bound = top_binding(root, text(node))
        return None if bound is None or bound is node else find_function(root, bound, depth=depth + 1)
    if node.type == "call_expression":
        callee = node.child_by_field_name("function")
        if callee is not None and callee.type == "member_expression":
            inner = callee.child_by_field_name("object")
            if inner is not None and unwrap(inner).type == "call_expression":
                return find_function(root, inner, depth=depth + 1)
        arguments = node.child_by_field_name("arguments")
        for argument in arguments.named_children if arguments is not None else ():
            found = find_function(root, argument, depth=depth + 1)
            if found is not None:
                return found
    return None


def exported(root: Node, symbol: str, *, loaded: bool = False) -> tuple[Node, Node | None] | None:
    """The export named `symbol` (dotted for members of an exported object): its node and its function.

    `loaded` names exports as the Lambda runtime does (see `exports_of`).
    """
    head, _, rest = symbol.partition(".")
    for name, node in exports_of(root, loaded=loaded):
        if name != head:
            continue
        if not rest:
            return node, find_function(root, node)
        target = _member(root, node, rest)
        if target is not None:
            return target, find_function(root, target)
    return None


def _member(root: Node, node: Node, dotted: str) -> Node | None:
    node = unwrap(node)
    if node.type in ("identifier", "shorthand_property_identifier"):
        bound = top_binding(root, text(node))
        if bound is None:
            return None
        node = unwrap(bound)
    if node.type != "object":
        return None
    head, _, rest = dotted.partition(".")
    for name, member in _object_members(node):
        if name == head:
            return member if not rest else _member(root, member, rest)
    return None


def shape_names() -> frozenset[str]:
    """Export names that mark a handler found without infrastructure."""
    return _SHAPE_NAMES
