"""Small helpers over tree-sitter nodes: text, lines, wrappers that do not change a value, string literals."""

from __future__ import annotations

from typing import Final

from tree_sitter import Node

__all__ = ["FUNCTIONS", "line", "note", "string_value", "text", "unwrap"]

FUNCTIONS: Final = frozenset(
    {
        "arrow_function",
        "function_expression",
        "function_declaration",
        "generator_function",
        "generator_function_declaration",
        "method_definition",
        "function",
    }
)
# Expressions that only wrap a value: parentheses, await, TypeScript casts and assertions.
_WRAPPERS: Final = frozenset(
    {
        "parenthesized_expression",
        "await_expression",
        "as_expression",
        "non_null_expression",
        "satisfies_expression",
        "type_assertion",
    }
)
_NOTE_LENGTH: Final = 80


def text(node: Node) -> str:
    """The source text of `node`."""
    raw = node.text
    return raw.decode("utf-8", errors="replace") if raw is not None else ""


def line(node: Node) -> int:
    """The 1-based line where `node` starts."""
    return node.start_point.row + 1


def note(node: Node) -> str:
    """The source text of `node` on one line, whitespace collapsed and cut to a readable length."""
    flat = " ".join(text(node).split())
    return flat if len(flat) <= _NOTE_LENGTH else flat[: _NOTE_LENGTH - 3] + "..."


def unwrap(node: Node) -> Node:
    """`node` without the parentheses, awaits and type casts around it.

    `(0, value)`, which TypeScript and esbuild emit to call an imported function, is `value` too.
    """
    while node.type in _WRAPPERS or _indirect(node):
        inner = next((child for child in node.named_children if not child.type.startswith("type")), None)
        if _indirect(node):
            inner = node.named_children[1]
        if inner is None or inner.type in ("predefined_type", "type_identifier", "generic_type"):
            break
        node = inner
    return node


def _indirect(node: Node) -> bool:
    """`0, value`: a sequence whose only other element is the literal 0."""
    if node.type != "sequence_expression":
        return False
    items = node.named_children
    return len(items) == 2 and items[0].type == "number" and text(items[0]) == "0"


def string_value(node: Node) -> str | None:
    """The value of a string literal (or a template literal without substitutions), else None."""
    if node.type == "string":
        return "".join(text(child) for child in node.named_children if child.type != "comment")
    if node.type == "template_string" and all(
        child.type in ("string_fragment", "escape_sequence") for child in node.named_children
    ):
        return "".join(text(child) for child in node.named_children)
    return None
