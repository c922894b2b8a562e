"""Reads one block's attributes through a Scope, recording the line of each field it reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, TypeVar

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import Origin, SourceKind, Unresolved
from lambdasec.sources.terraform.dynamic import expand_blocks, scope_of
from lambdasec.sources.terraform.expressions import Scope
from lambdasec.sources.terraform.hcl import SOURCE_NAME, Block

__all__ = ["Reader"]

E = TypeVar("E", bound=StrEnum)


@dataclass(kw_only=True)
class Reader:
    """Typed access to a block's resolved attributes; `fields` collects `(pointer, line)` pairs."""

    block: Block
    scope: Scope
    fields: list[tuple[str, int]] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The inventory key of the block: `file#address`."""
        return self.scope.key_of(self.block.file.display, self.block.address)

    def nested(self, name: str, body: Mapping[str, Any] | None = None) -> Mapping[str, Any] | None:
        """The first nested block `name` of the block (or of `body`), `dynamic` ones expanded."""
        found = self.nested_all(name, body)
        return found[0] if found else None

    def nested_all(self, name: str, body: Mapping[str, Any] | None = None) -> list[Mapping[str, Any]]:
        """Every nested block `name`: written ones and those of `dynamic` blocks with a known `for_each`
        (see `unknown_blocks` for the others)."""
        return list(expand_blocks(body if body is not None else self.block.body, name, self.scope).blocks)

    def unknown_blocks(
        self, name: str, *, field: str, body: Mapping[str, Any] | None = None
    ) -> Unresolved | None:
        """Unresolved when a `dynamic "name"` block's `for_each` is not known, so its blocks are not;
        records the line of that block as `field`'s."""
        expansion = expand_blocks(body if body is not None else self.block.body, name, self.scope)
        if expansion.unknown is not None:
            self.note(field, expansion.line)
        return expansion.unknown

    def value(self, attr: str, *, field: str | None = None, body: Mapping[str, Any] | None = None) -> Any:
        """The resolved attribute, or None when absent; a dynamic block's content is read in its scope."""
        where = body if body is not None else self.block.body
        if attr not in where:
            return None
        if field is not None:
            line = self.block.attribute_line(attr, where)
            if line is not None:
                self.fields.append((field, line))
        return scope_of(where, self.scope).resolve(where[attr])

    def file_path(self, attr: str, *, field: str) -> str | Unresolved | None:
        """A local file path attribute (`filename`, `source_dir`), relative to the scanned root."""
        scope = self.scope.for_files()
        return scope.local_path(
            Reader(block=self.block, scope=scope, fields=self.fields).text(attr, field=field)
        )

    def text(
        self, attr: str, *, field: str, body: Mapping[str, Any] | None = None
    ) -> str | Unresolved | None:
        """A string attribute (numbers and booleans as Terraform prints them)."""
        return self._text_of(attr, value=self.value(attr, field=field, body=body), body=body)

    def integer(
        self, attr: str, *, field: str, body: Mapping[str, Any] | None = None
    ) -> int | Unresolved | None:
        """An integer attribute."""
        value = self.value(attr, field=field, body=body)
        if value is None or isinstance(value, Unresolved):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return self.wrong(attr, "a whole number", value=value, body=body)

    def flag(
        self, attr: str, *, field: str, body: Mapping[str, Any] | None = None
    ) -> bool | Unresolved | None:
        """A boolean attribute."""
        value = self.value(attr, field=field, body=body)
        if value is None or isinstance(value, bool | Unresolved):
            return value
        if value in ("true", "false"):
            return bool(value == "true")
        return self.wrong(attr, "a bool", value=value, body=body)

    def texts(
        self, attr: str, *, field: str, body: Mapping[str, Any] | None = None
    ) -> tuple[str | Unresolved, ...] | Unresolved | None:
        """A list of strings."""
        value = self.value(attr, field=field, body=body)
        if value is None or isinstance(value, Unresolved):
            return value
        if isinstance(value, list):
            texts = [self._text_of(attr, value=v, body=body) for v in value]
            return tuple(Unresolved(f"{attr} entry null") if t is None else t for t in texts)
        return self.wrong(attr, "a list", value=value, body=body)

    def choice(
        self, attr: str, enum: type[E], *, field: str, body: Mapping[str, Any] | None = None
    ) -> E | Unresolved | None:
        """An attribute with a closed set of values."""
        value = self.text(attr, field=field, body=body)
        if value is None or isinstance(value, Unresolved):
            return value
        try:
            return enum(value)
        except ValueError:
            return Unresolved(f"{attr} = {value}")

    def note(self, field: str, line: int | None) -> None:
        """Record a field line found some other way."""
        if line is not None:
            self.fields.append((field, line))

    def _text_of(self, attr: str, *, value: Any, body: Mapping[str, Any] | None) -> str | Unresolved | None:
        text = _as_text(value)
        return self.wrong(attr, "a string", value=value, body=body) if text is _NOT_TEXT else text

    def wrong(
        self, attr: str, expected: str, *, value: Any, body: Mapping[str, Any] | None = None
    ) -> Unresolved:
        """Report an argument of the wrong type, an error (Terraform would refuse the configuration, and
        what depends on it is not checked); the value becomes Unresolved."""
        line = self.block.attribute_line(attr, body if body is not None else self.block.body)
        message = (
            f"`{self.block.address}`: `{attr}` should be {expected}, not {_type_name(value)}; "
            "value not evaluated"
        )
        problem = Diagnostic(
            level=DiagnosticLevel.ERROR,
            source=SOURCE_NAME,
            message=message,
            file=self.block.file.display,
            line=line,
        )
        if problem not in self.scope.problems:
            self.scope.problems.append(problem)
        return Unresolved(f"{attr}: {_type_name(value)} where {expected} belongs")

    def origin(self) -> Origin:
        """The block's origin with the field lines read so far."""
        return Origin(
            source=SourceKind.TERRAFORM,
            file=self.block.file.display,
            line=self.block.line,
            resource=self.block.address,
            fields=tuple(self.fields),
        )


# What `_as_text` gives for a value that is no string (a list, an object).
_NOT_TEXT: Final = Unresolved("not a string")


def _as_text(value: Any) -> str | Unresolved | None:
    """A value as Terraform converts it to a string; `_NOT_TEXT` for lists and objects."""
    if value is None or isinstance(value, str | Unresolved):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return _NOT_TEXT


def _type_name(value: Any) -> str:
    """How a Terraform value is named in diagnostics."""
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__
