"""Reading plain block YAML line by line, without libyaml's events, exactly as the event builder does."""

# Most configuration files are block mappings and sequences of one-line scalars. Reading those a line at a
# time costs a third of what building them from libyaml's events does (each event is a Python object with
# two marks). Anything else (block scalars, multi-line scalars, anchors, aliases, escapes, non-empty flow
# mappings, tabs, documents markers, ...) raises `NotPlainBlock`, and the caller reads the text with the
# event builder, so results and errors stay identical.

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from lambdasec.sources.yaml_loader import MarkedDict, MarkedList, tagged, tagged_scalar

__all__ = ["NotPlainBlock", "read_plain_block"]

# Characters outside printable ASCII that YAML reads as line breaks, BOMs, or that libyaml rejects; in
# ASCII text, only control characters other than the newline (what `str.isprintable` rejects there). The
# full pattern takes 5 ms to compile, so it is compiled only for text that needs it.
_UNUSUAL: Final = "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
# A plain key (a `:` inside is followed by more key), then `:` and a space or the end of the line.
_KEY_TEXT: Final = r"[A-Za-z0-9_$./][A-Za-z0-9_$./()@-]*(?::+[A-Za-z0-9_$./()@-]+)*"
# One line: its indentation, a sequence entry's `-` and the spaces after it, a plain key, and the rest.
_LINE: Final = re.compile(rf"( *)(-(?: +|$))?(?:({_KEY_TEXT}):(?: +|$))?(.*)")
_DOUBLE: Final = re.compile(r'"([^"\\]*)"(?: +#.*)? *$')
_SINGLE: Final = re.compile(r"'([^']*)'(?: +#.*)? *$")
_TAG: Final = re.compile(r"!([A-Za-z][A-Za-z0-9]*)(?: +|$)")
_FLOW_ITEM: Final = r"[A-Za-z0-9_$./][A-Za-z0-9_$./*-]*(?::[A-Za-z0-9_$./*-]+)*"
_FLOW_SEQUENCE: Final = re.compile(rf"\[ *((?:{_FLOW_ITEM} *, *)*{_FLOW_ITEM})? *\](?: +#.*)? *$")
_EMPTY_MAPPING: Final = re.compile(r"\{ *\}(?: +#.*)? *$")
# First characters of a value that is not a one-line plain or quoted scalar here.
_INDICATORS: Final = frozenset("]{}#&*!|>%@`,")
# The event builder's nesting limit (deeper documents go to the full loader).
_MAX_DEPTH: Final = 200

_dict_new = dict.__new__
_list_new = list.__new__


class NotPlainBlock(Exception):
    """The text uses YAML this reader leaves to the event builder."""


def read_plain_block(text: str, resolve: Callable[[str], Any]) -> Any:
    """The document `text` holds, built as `yaml_events` builds it; `resolve` reads an untagged plain scalar.

    Raises `NotPlainBlock` for anything but block collections of one-line scalars.
    """
    if text.isascii():
        usual = text.replace("\n", "").isprintable()  # a tenth of what a character-class search costs
    else:
        usual = re.compile(_UNUSUAL).search(text) is None
    if not usual:
        raise NotPlainBlock("unusual character")
    return _Reader(resolve).read(text)


def _collection(*, dash: str, line: int) -> MarkedDict | MarkedList:
    """An empty block collection opened at `line`, its line records ready: a sequence when its first
    line starts with a dash (`dash` is the dash matched, empty for a mapping)."""
    opened: MarkedDict | MarkedList
    if dash:
        opened = _list_new(MarkedList)
        opened.item_lines = []
    else:
        opened = _dict_new(MarkedDict)
        opened.key_lines = {}
    opened.line = line
    return opened


class _Reader:
    def __init__(self, resolve: Callable[[str], Any]) -> None:
        self.resolve = resolve
        self.cache: dict[str, Any] = {}
        self.scalars: dict[str, Any] = {}

    def read(self, text: str) -> Any:
        match_line = _LINE.fullmatch
        # Lines repeat (`handler: app.handler`, `- http:`): each distinct line is matched once.
        fields_of: dict[str, tuple[str, ...]] = {}
        value_of = self._value
        scalars = self.scalars
        keys: dict[str, str] = {}
        # The innermost open collection (its column, whether it is a sequence, the container) is kept in
        # locals, the ones around it on `outer`; the bottom entry (column -1) is never closed.
        outer: list[tuple[int, Any, Any]] = []
        column: int = -1
        in_sequence: Any = False
        target: Any = None
        # A `key:` whose value starts on a later line: its mapping, key, line, tag and the mapping's column.
        pending: tuple[MarkedDict, str, int, str | None, int] | None = None
        root: Any = None
        lineno = 0
        for text_line in text.split("\n"):
            lineno += 1
            fields = fields_of.get(text_line)
            if fields is None:
                matched = match_line(text_line)
                if matched is None:  # pragma: no cover - every line matches (`.*` takes all but `\n`)
                    raise NotPlainBlock(f"line {lineno}: not covered by the line pattern")
                fields = matched.groups("")
                fields_of[text_line] = fields
            spaces, dash, key, rest = fields
            if not dash and not key and (not rest or rest[0] == "#"):
                continue  # blank or comment
            indent = len(spaces)
            if pending is not None:
                holder, held, key_at, tag, held_column = pending
                pending = None
                if indent > held_column or (indent == held_column and dash):
                    if len(outer) >= _MAX_DEPTH:
                        raise NotPlainBlock("deep")
                    # A tagged collection starts at its tag, an untagged one at its first entry.
                    start = lineno if tag is None else key_at
                    opened = _collection(dash=dash, line=start)
                    holder[held] = opened if tag is None else tagged(tag, opened, line=start)
                    holder.key_lines[held] = key_at
                    outer.append((column, in_sequence, target))
                    column, in_sequence, target = indent, dash, opened
                else:
                    self._empty(holder, held, key_at, tag)
            elif root is None:
                root = _collection(dash=dash, line=lineno)
                outer.append((column, in_sequence, target))
                column, in_sequence, target = indent, dash, root
            # Close what this line's indentation ends (an indentless sequence ends at a key of its column).
            while column > indent or (column == indent and in_sequence and not dash):
                column, in_sequence, target = outer.pop()
            if column != indent:
                raise NotPlainBlock(f"line {lineno}: unexpected indentation")
            if in_sequence:
                if not dash:
                    raise NotPlainBlock(f"line {lineno}: not an item")
                if not key:
                    if not rest or rest[0] == "#" or (rest[0] == "-" and (len(rest) == 1 or rest[1] == " ")):
                        raise NotPlainBlock(f"line {lineno}: empty or nested item")
                    target.append(scalars[rest] if rest in scalars else value_of(rest, lineno))
                    target.item_lines.append(lineno)
                    continue
                if len(outer) >= _MAX_DEPTH:
                    raise NotPlainBlock("deep")
                compact: MarkedDict = _dict_new(MarkedDict)
                compact.line = lineno
                compact.key_lines = {}
                target.append(compact)
                target.item_lines.append(lineno)
                outer.append((column, in_sequence, target))
                column, in_sequence, target = indent + len(dash), False, compact
            elif dash or not key:
                raise NotPlainBlock(f"line {lineno}: not a plain key")
            if len(key) > 1000:
                raise NotPlainBlock(f"line {lineno}: key too long")
            key = keys.setdefault(key, key)  # one string per key text, as the event builder shares them
            if not rest or rest[0] == "#":
                pending = (target, key, lineno, None, column)
                continue
            if rest in scalars:
                target[key] = scalars[rest]
            elif rest[0] == "!":
                tag_match = _TAG.match(rest)
                if tag_match is None:
                    raise NotPlainBlock(f"line {lineno}: unusual tag")
                tag = "!" + tag_match[1]
                after = rest[tag_match.end() :]
                if not after or after[0] == "#":
                    pending = (target, key, lineno, tag, column)
                    continue
                target[key] = tagged_scalar(tag, self._text(after), line=lineno)
            else:
                target[key] = value_of(rest, lineno)
            target.key_lines[key] = lineno
        if pending is not None:
            self._empty(*pending[:4])
        if root is None:
            raise NotPlainBlock("no document")
        return root

    def _empty(self, holder: MarkedDict, key: str, line: int, tag: str | None) -> None:
        """A `key:` with no value: null."""
        if tag is not None:
            raise NotPlainBlock(f"line {line}: empty tagged value")
        holder[key] = self._plain("")
        holder.key_lines[key] = line

    def _value(self, rest: str, line: int) -> Any:
        """The value written at the start of `rest` (a line's remainder, not blank, no comment)."""
        try:
            return self.scalars[rest]  # the same remainder is the same scalar (containers are never kept)
        except KeyError:
            pass
        first = rest[0]
        if first == "!":
            tag_match = _TAG.match(rest)
            after = rest[tag_match.end() :] if tag_match is not None else ""
            if tag_match is None or not after or after[0] == "#":
                raise NotPlainBlock(f"line {line}: unusual tagged item")
            return tagged_scalar("!" + tag_match[1], self._text(after), line=line)
        if first == "[":
            flow = _FLOW_SEQUENCE.match(rest)
            if flow is None:
                raise NotPlainBlock(f"line {line}: flow sequence")
            items: MarkedList = _list_new(MarkedList)
            items.line = line
            if flow[1] is not None:
                items.extend([self._plain(item.strip(" ")) for item in flow[1].split(",")])
            items.item_lines = [line] * len(items)
            return items
        if first == "{":
            if _EMPTY_MAPPING.match(rest) is None:
                raise NotPlainBlock(f"line {line}: flow mapping")
            empty: MarkedDict = _dict_new(MarkedDict)
            empty.line = line
            empty.key_lines = {}
            return empty
        if first == '"' or first == "'":
            value = self.scalars[rest] = self._text(rest)
            return value
        value = self.scalars[rest] = self._plain(self._plain_text(rest, line))
        return value

    def _text(self, rest: str) -> str:
        """The text of a quoted or plain scalar, unresolved (a quoted or tagged scalar)."""
        first = rest[0]
        if first == '"' or first == "'":
            quoted = (_DOUBLE if first == '"' else _SINGLE).match(rest)
            if quoted is None:
                raise NotPlainBlock("quoted scalar with escapes or on several lines")
            return quoted[1]
        return self._plain_text(rest, 0)

    def _plain_text(self, rest: str, line: int) -> str:
        first = rest[0]
        if first in _INDICATORS or first in "[\"'" or (first in "-?:" and (len(rest) == 1 or rest[1] == " ")):
            raise NotPlainBlock(f"line {line}: not a plain scalar")
        comment = rest.find(" #")
        if comment != -1:
            rest = rest[:comment]
        rest = rest.rstrip(" ")
        if ": " in rest or rest[-1] == ":":
            raise NotPlainBlock(f"line {line}: a plain scalar with `: `")
        return rest

    def _plain(self, text: str) -> Any:
        cache = self.cache
        try:
            return cache[text]
        except KeyError:
            value = cache[text] = self.resolve(text)
            return value
