"""Resolves Serverless Framework (v3 and v4) `${source:address, default}` variables in a serverless.yml."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.intrinsics import UNRESOLVED_KEY
from lambdasec.sources.cloudformation.sam_marks import new_dict, new_list
from lambdasec.sources.serverless.files import IncludeError, read_include
from lambdasec.sources.serverless.params import declared_resolvers, find_param
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

__all__ = ["DEFAULT_STAGE", "VariableResolver", "is_unresolved", "unresolved"]

DEFAULT_STAGE: Final = "dev"
DEFAULT_REGION: Final = "us-east-1"
# Innermost `${...}` first, so `${self:custom.${sls:stage}}` resolves its inner part before the outer one.
_VARIABLE: Final = re.compile(r"\$\{([^{}]*)\}")
# `source:address`, `source(argument):address`, or `source(argument)` alone; fallbacks after a comma.
# v4 names its own resolvers freely (`${aws-account-1:ssm:/path}`): a name may hold `-` and `_`.
_SOURCE: Final = re.compile(r"^\s*([A-Za-z][\w-]*)(\([^)]*\))?(:(?!:).*|\s*,.*)?$", re.DOTALL)
# Sources read here; `file` only for YAML and JSON files.
_INTERNAL: Final = frozenset({"self", "opt", "env", "sls", "aws", "param", "file", "strToBool"})
# Sources the framework reads from outside the file: their values cannot be known statically.
# v4 adds `terraform` (state outputs), `vault` and `doppler`; `${aws:ssm:...}`-style addresses go to `aws`.
# `construct` is the serverless-lift plugin's (ids of the resources its constructs create).
_EXTERNAL: Final = frozenset(
    {
        "ssm",
        "file",
        "cf",
        "s3",
        "output",
        "secrets",
        "vault",
        "terraform",
        "doppler",
        "git",
        "construct",
    }
)
_CODE_SUFFIXES: Final = (".js", ".cjs", ".mjs", ".ts")
# Top-level sections read only through `${param:...}`: resolved on demand, for the selected stage alone.
_PARAMETER_SECTIONS: Final = frozenset({"stages", "params"})
_MAX_ROUNDS: Final = 20
# Region prefixes of the partitions other than `aws` (the framework's table, `AWS::Partition`'s values).
_PARTITIONS: Final = (
    ("cn-", "aws-cn"),
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-isof-", "aws-iso-f"),
    ("eu-isoe-", "aws-iso-e"),
    ("us-iso-", "aws-iso"),
    ("eusc-", "aws-eusc"),
)


def unresolved(reason: str, line: int) -> MarkedDict:
    """The marker for a value that cannot be known; the CloudFormation resolver reads it as Unresolved."""
    out = MarkedDict(line)
    out[UNRESOLVED_KEY] = reason
    out.key_lines[UNRESOLVED_KEY] = line
    return out


def is_unresolved(value: Any) -> bool:
    """True for the marker `unresolved` builds."""
    return isinstance(value, dict) and len(value) == 1 and UNRESOLVED_KEY in value


class _Unknown(Exception):
    """A variable whose value cannot be known; carries the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class VariableResolver:
    """Resolves `self`, `opt`, `sls`, `env`, `param` and `aws:region` variables; the others Unresolved.

    `options` holds the command-line options (`stage`, `region`), `params` the `--param` values;
    `base` is the service's directory, where `${file(...)}` paths start (None: files are not read).
    """

    def __init__(
        self,
        document: MarkedDict,
        *,
        environ: Mapping[str, str],
        options: Mapping[str, str],
        diagnostics: Diagnostics,
        params: Mapping[str, str] | None = None,
        base: Path | None = None,
    ) -> None:
        self._document = document
        self._environ = environ
        self._options = options
        self._params: Mapping[str, str] = params or {}
        self._diagnostics = diagnostics
        self._active: set[str] = set()
        self._cache: dict[str, Any] = {}
        self._resolvers = declared_resolvers(document)
        self._base = base
        self._files: dict[Path, tuple[bool, Any]] = {}

    def document(self) -> MarkedDict:
        """The whole document with every variable resolved (a copy; marks kept).

        `stages` and `params` are copied as written: their values for other stages are never deployed.
        """
        out = MarkedDict(self._document.line)
        for key, child in self._document.items():
            line = self._document.key_lines.get(key, 0) or out.line
            out[key] = child if key in _PARAMETER_SECTIONS else self.resolve(child, line=line)
            out.key_lines[key] = line
        return out

    def stage(self) -> str:
        """The deployment stage: `--stage`, else `provider.stage`, else `dev`.

        A `provider.stage` that cannot be resolved is returned as its expression (see `unknown`).
        """
        return self._provider_setting("stage", DEFAULT_STAGE)

    def region(self) -> str:
        """The deployment region: `--region`, else `provider.region`, else `us-east-1` (or its expression)."""
        return self._provider_setting("region", DEFAULT_REGION)

    def unknown(self) -> frozenset[str]:
        """Which of `stage` and `region` are set by a `provider` value that cannot be resolved."""
        return frozenset(key for key in ("stage", "region") if not self._known(key))

    def _known(self, key: str) -> bool:
        return key in self._options or not is_unresolved(self._lookup_self(f"provider.{key}", line=0))

    def _provider_setting(self, key: str, default: str) -> str:
        if key in self._options:
            return self._options[key]
        value = self._lookup_self(f"provider.{key}", line=0)
        if isinstance(value, str):
            return value
        return str(value[UNRESOLVED_KEY]) if is_unresolved(value) else default

    def resolve(self, value: Any, *, line: int) -> Any:
        """`value` with variables replaced; containers are copied with their line marks."""
        if isinstance(value, str):
            return self._string(value, line=line) if "${" in value else value
        if isinstance(value, dict):
            if is_unresolved(value):
                return value  # already unknown: its reason is text, not variables
            out = new_dict(getattr(value, "line", 0) or line)
            lines = value.key_lines if isinstance(value, MarkedDict) else {}
            out_lines = out.key_lines
            for key, child in value.items():
                key_line = lines.get(key, 0) or out.line
                if type(child) is str and "${" not in child:
                    out[key] = child  # most values are plain text
                else:
                    out[key] = self.resolve(child, line=key_line)
                out_lines[key] = key_line
            return out
        if isinstance(value, list):
            items = new_list(getattr(value, "line", 0) or line)
            item_lines = value.item_lines if isinstance(value, MarkedList) else []
            for index, child in enumerate(value):
                item_line = item_lines[index] if index < len(item_lines) else items.line
                items.append(self.resolve(child, line=item_line))
                items.item_lines.append(item_line)
            return items
        return value

    # -- strings ------------------------------------------------------------------------------

    def _string(self, text: str, *, line: int) -> Any:
        current = text
        for _ in range(_MAX_ROUNDS):
            match = next((m for m in _VARIABLE.finditer(current) if _is_variable(m.group(1))), None)
            if match is None:
                return current
            try:
                value = self._variable(match.group(1), line=line)
            except _Unknown as unknown:
                return unresolved(unknown.reason, line)
            if match.span() == (0, len(current)):
                if not isinstance(value, str):
                    return value
                current = value
                continue
            if isinstance(value, bool):
                value = "true" if value else "false"
            if not isinstance(value, str | int | float):
                self._diagnostics.warn(
                    f"`${{{match.group(1)}}}` is not a string and cannot be part of `{text}`", line
                )
                return unresolved(text, line)
            current = current[: match.start()] + str(value) + current[match.end() :]
        self._diagnostics.warn(f"variables in `{text}` nest too deeply to resolve", line)
        return unresolved(text, line)

    def _variable(self, expression: str, *, line: int) -> Any:
        """The value of `source:address, fallback, ...`: the first of them that has one."""
        parsed = _parse(expression)
        if parsed is None:  # pragma: no cover - _is_variable filters these
            raise _Unknown(f"${{{expression}}}")
        source, argument, rest = parsed
        address, fallbacks = _split_fallbacks(rest)
        text = f"${{{expression}}}"
        value = self._source(source, argument, address, text=text, has_fallback=bool(fallbacks), line=line)
        for index, fallback in enumerate(fallbacks):
            if value is not None:
                break
            try:
                value = self._fallback(fallback, last=index == len(fallbacks) - 1, line=line)
            except _Unknown:
                raise _Unknown(text) from None
        if value is None:
            raise _Unknown(text)
        return value

    def _fallback(self, text: str, *, last: bool, line: int) -> Any:
        """A fallback: a quoted or plain literal, or an unquoted `source:address` read like a variable."""
        parsed = _parse(text)
        if parsed is not None and self._is_source(parsed[0]):
            source, argument, address = parsed
            return self._source(
                source,
                argument,
                address.strip(),
                text=f"${{{text}}}",
                has_fallback=not last,
                line=line,
            )
        return _literal(text)

    def _is_source(self, name: str) -> bool:
        return name in _INTERNAL or name in _EXTERNAL or name in self._resolvers

    def _source(
        self, source: str, argument: str, address: str, *, text: str, has_fallback: bool, line: int
    ) -> Any:
        """The value one source gives `address`, None when it has none; raises _Unknown when unknowable."""
        value: Any = None
        match source:
            case "self":
                value = self._lookup_self(address, line=line)
                if value is None and address in ("provider.stage", "provider.region"):
                    # The framework fills these in before resolving: the effective stage and region.
                    value = self.stage() if address == "provider.stage" else self.region()
                if value is None and not has_fallback:
                    self._diagnostics.warn(f"`{text}` refers to a key the file does not have", line)
                    raise _Unknown(text)
            case "opt":
                value = self._options.get(address)
            case "env":
                value = self._environ.get(address)
                if value is None and not has_fallback:
                    self._diagnostics.warn(f"`{text}`: environment variable `{address}` is not set", line)
                    raise _Unknown(text)
            case "sls":
                if address == "stage" and self._known("stage"):
                    value = self.stage()
                else:
                    raise _Unknown(text)
            case "aws":
                if address == "region" and self._known("region"):
                    value = self.region()
                elif address == "partition" and self._known("region"):
                    value = partition_of(self.region())  # v4: from the region, with no AWS call
                else:  # accountId, and v4's `${aws:ssm:...}` / `${aws:s3:...}` resolvers
                    raise _Unknown(text)
            case "param":
                value = self._param(address, text=text, has_fallback=has_fallback, line=line)
            case "strToBool":
                value = _to_bool(argument, text=text)
            case "file" if self._base is not None:
                value = self._file(argument, address, text=text, line=line)
            case _ if source in _EXTERNAL or source in self._resolvers:
                raise _Unknown(text)
            case _ if self._document.get("plugins"):  # plugins add sources (`configurationVariablesSources`)
                added = "a plugin of the service may add it"
                self._diagnostics.warn(f"unknown variable source `{source}` in `{text}` ({added})", line)
                raise _Unknown(text)
            case _:  # the framework refuses to deploy the service
                self._diagnostics.error(f"unknown variable source `{source}` in `{text}`", line)
                raise _Unknown(text)
        return value

    def _file(self, argument: str, address: str, *, text: str, line: int) -> Any:
        """`${file(path):address}`: a YAML or JSON file next to the service, read and resolved in place.

        A file that does not exist has no value (a fallback applies); code files stay unknown.
        """
        name = argument.strip()[1:-1].strip().strip("'\"")
        if self._base is None or not name:
            raise _Unknown(text)
        path = self._base / name
        key = f"file:{path}:{address}"
        if key in self._cache:
            return self._cache[key]
        if key in self._active:
            self._diagnostics.warn(f"`{text}` includes itself", line)
            raise _Unknown(text)
        found = self._files.get(path)
        if found is None:
            try:
                found = read_include(path)
            except IncludeError as error:
                if not name.endswith(_CODE_SUFFIXES):
                    self._diagnostics.warn(f"`{text}`: {error.reason}", line)
                raise _Unknown(text) from None
            self._files[path] = found
        exists, node = found
        if not exists:
            return None
        for part in address.split(".") if address else ():
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        self._active.add(key)
        try:
            value = self.resolve(node, line=line)
        finally:
            self._active.discard(key)
        self._cache[key] = value
        return value

    def _param(self, name: str, *, text: str, has_fallback: bool, line: int) -> Any:
        """`${param:name}`: a `--param` value, else the file's for the selected stage; else from outside.

        The framework's order: `--param`s win over every parameter the file declares.
        """
        if name in self._params:
            return self._params[name]
        found = find_param(self._document, name, stage=self.stage())
        if found is None:
            if not has_fallback:
                self._diagnostics.warn(
                    f"`{text}` has no value for stage `{self.stage()}` in the file "
                    "(it may come from `--param` or the Serverless Dashboard)",
                    line,
                )
            return None
        key = f"param:{name}"
        if key in self._cache:
            return self._cache[key]
        if key in self._active:
            self._diagnostics.warn(f"`{text}` refers to itself", line)
            raise _Unknown(text)
        node, node_line = found
        self._active.add(key)
        try:
            value = self.resolve(node, line=node_line)
        finally:
            self._active.discard(key)
        self._cache[key] = value
        return value

    def _lookup_self(self, address: str, *, line: int) -> Any:
        """The resolved value at a dotted address of the document, or None when absent."""
        if address in self._cache:
            return self._cache[address]
        if address in self._active:
            self._diagnostics.warn(f"`${{self:{address}}}` refers to itself", line)
            raise _Unknown(f"${{self:{address}}}")
        node: Any = self._document
        node_line = line
        parts = address.split(".") if address else []
        for index, part in enumerate(parts):
            if isinstance(node, str) and "${" in node:
                # A variable on the way (`custom.secrets: ${file(...)}`): read on through its value.
                node = self._lookup_self(".".join(parts[:index]), line=line)
            if is_unresolved(node):
                raise _Unknown(f"${{self:{address}}}")
            if isinstance(node, dict) and part in node:
                node_line = node.key_lines.get(part, node_line) if isinstance(node, MarkedDict) else node_line
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        self._active.add(address)
        try:
            value = self.resolve(node, line=node_line)
        finally:
            self._active.discard(address)
        self._cache[address] = value
        return value


def partition_of(region: str) -> str:
    """The AWS partition of `region`, as v4's `${aws:partition}` derives it (`aws` for unknown regions)."""
    return next((name for prefix, name in _PARTITIONS if region.startswith(prefix)), "aws")


def _is_variable(expression: str) -> bool:
    """True for `source:address` expressions; `${AWS::Region}` and `${Name}` belong to CloudFormation."""
    return _parse(expression) is not None


def _parse(expression: str) -> tuple[str, str, str] | None:
    """(source, argument with its parentheses or "", the rest after `:`), None when not a variable."""
    match = _SOURCE.match(expression)
    if match is None:
        return None
    source, argument, rest = match.groups()
    if argument is None and rest is None:
        return None
    rest = rest or ""
    return source, argument or "", rest[1:] if rest.startswith(":") else rest


def _split_fallbacks(rest: str) -> tuple[str, list[str]]:
    """`address, 'a', self:b` -> (address, ["'a'", "self:b"]): fallbacks split at top-level commas."""
    parts: list[str] = []
    depth, quote, start = 0, "", 0
    for index, char in enumerate(rest):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(rest[start:index].strip())
            start = index + 1
    parts.append(rest[start:].strip())
    return parts[0], parts[1:]


def _to_bool(argument: str, *, text: str) -> bool:
    """`${strToBool(true)}` (its argument resolved first): `true`/`1` and `false`/`0`, as the framework."""
    word = argument.strip()[1:-1].strip().strip("'\"").lower()
    if word in ("true", "1"):
        return True
    if word in ("false", "0"):
        return False
    raise _Unknown(text)


def _literal(text: str) -> Any:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    return text
