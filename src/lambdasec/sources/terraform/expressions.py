"""Resolves Terraform values: variables, locals, references between resources, jsonencode, interpolation."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import field, replace
from typing import Any, Final, Protocol, TypeGuard

from lambdasec.findings import Diagnostic
from lambdasec.model import Unresolved
from lambdasec.records import record
from lambdasec.sources.terraform.calls import (
    ID_LINKED_PREFIXES,
    IDENTITY_ATTRIBUTES,
    DataInstance,
    DocumentRef,
    EvalError,
    Key,
)
from lambdasec.sources.terraform.evaluator import Step, evaluate_expression, follow
from lambdasec.sources.terraform.types import TypeSpec, conform

__all__ = [
    "DocumentRef",
    "FileReader",
    "Key",
    "ModuleOutputs",
    "Scope",
    "Step",
    "instance_label",
    "split_arguments",
    "split_template",
]

_DOCUMENT_ATTRIBUTES: Final = frozenset({"json", "minified_json"})
_DOCUMENT_PREFIX: Final = "data.aws_iam_policy_document."
_ID_ONLY: Final = frozenset({"id"})
_MAX_DEPTH: Final = 32
_OPAQUE_ROOTS: Final = frozenset({"path", "terraform", "self"})
# `data "aws_partition"` results read as the CloudFormation source reads `AWS::Partition`/`AWS::URLSuffix`:
# the commercial partition (a policy ARN `arn:${data.aws_partition.x.partition}:iam::aws:policy/...`).
_PARTITION: Final = {"partition": "aws", "id": "aws", "dns_suffix": "amazonaws.com"}
# Arguments of every resource that configure Terraform itself, not the resource's attributes.
_META_ARGUMENTS: Final = frozenset(
    {"count", "for_each", "depends_on", "provider", "lifecycle", "dynamic", "provisioner", "connection"}
)
_KEYWORDS: Final = frozenset({"true", "false", "null"})
_BRACE_OR_QUOTE: Final = re.compile(r'[{}"\\]')
# A template directive (`%{ if ... }`), which is not evaluated; `%%{` is an escaped, literal `%{`.
_DIRECTIVE: Final = re.compile(r"(?<!%)%\{")
_SIMPLE_REFERENCE: Final = re.compile(
    r'\s*([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*|\.\d+|\[\d+\]|\["[^"\\$%]*"\])+)\s*$'
)
_STEP: Final = re.compile(r'\.([A-Za-z_][\w-]*|\d+)|\[(\d+)\]|\[("[^"\\$%]*")\]')
# An unknown the evaluator names by the text of the reference that produced it.
_NAMED_BY_REFERENCE: Final = Unresolved("")


class FileReader(Protocol):
    """Reads a local file by the path an expression gives (see `local_files.LocalFiles`)."""

    def read(self, path: str) -> str | None:
        """The file's text, or None when it cannot be read."""
        ...


class ModuleOutputs(Protocol):
    """The outputs of a module call, read lazily (an output may depend on the caller's other values)."""

    def lookup(self, path: list[Step], *, depth: int) -> Any:
        """The value after `module.<name>`: an optional instance key, then the output name and beyond."""
        ...


def _steps(text: str) -> list[Step]:
    """The steps of a simple reference after its root: `.name`, `.0`, `[0]`, `["key"]`."""
    steps: list[Step] = []
    for name, index, quoted in _STEP.findall(text):
        if name:
            steps.append(Step(int(name) if name.isdigit() else name, False))
        elif index:
            steps.append(Step(int(index), True))
        else:
            steps.append(Step(json.loads(quoted), True))
    return steps


def instance_label(key: str | int) -> str:
    """How Terraform writes an instance key in an address: `[0]` or `["a"]`."""
    return f"[{key}]" if isinstance(key, int) else f"[{json.dumps(key)}]"


@record
class Scope:
    """What a module's expressions can see.

    `variables` maps a variable to its raw value (tfvars over default), resolved in this scope when read;
    `inputs` holds values the calling module passed, already resolved in the caller's scope
    (`file_inputs`: the same read as file paths, see `for_files`). A variable
    with neither is Unresolved. `keys` maps the address of each modelled resource (and of each of its
    instances, `aws_x.y[0]`) to its inventory key. `instance` binds `count.index` or `each.key`/`each.value`
    while one instance of a block is read. `modules` gives the outputs of the module calls. `prefix` is the
    module's own address (`module.x.`), empty in a root module; `key_root` (see `key_of`). `paths` gives
    `path.module` and `path.root` as Terraform does (relative to the root module's directory, where
    Terraform runs), and `path.cwd` only in a scope reading a file path (see `for_files`); `base_dir` is
    that directory relative to the scanned root (see `local_path`).
    `collections` gives, for each modelled resource with `count` or `for_each`, its instance keys (None
    when the collection is unknown), so `aws_x.y[*].arn` and `for r in aws_x.y` can list them. `bound`
    holds the names a `for` expression binds while its body is read (see `bind`). `instance_bindings`
    gives, for each modelled resource and data source with a known `count` or `for_each`, what each
    instance binds (by its key), so `aws_x.y[each.key].attr` and `data.archive_file.x[each.key].output_path`
    read that instance's argument. `resources` gives the
    body of each `resource` block by address, so an argument set in it reads as its value (`aws_x.y.name`).
    `files` reads the local files `file()` and `templatefile()` name (None: they stay unknown). `types`
    holds the declared types of variables a value read through `var.` is converted to: objects with
    optional attributes filled in, sets (see `types.conform`).
    """

    variables: Mapping[str, Any] = field(default_factory=dict)
    inputs: Mapping[str, Any] = field(default_factory=dict)
    file_inputs: Mapping[str, Any] | None = None
    locals: Mapping[str, Any] = field(default_factory=dict)
    keys: Mapping[str, str] = field(default_factory=dict)
    instance: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    modules: Mapping[str, ModuleOutputs] = field(default_factory=dict)
    prefix: str = ""
    key_root: str = ""
    paths: Mapping[str, str] = field(default_factory=dict)
    base_dir: str = ""
    collections: Mapping[str, tuple[str | int, ...] | None] = field(default_factory=dict)
    instance_bindings: Mapping[str, Mapping[str | int, Mapping[str, Mapping[str, Any]]]] = field(
        default_factory=dict
    )
    resources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    types: Mapping[str, TypeSpec] = field(default_factory=dict)
    files: FileReader | None = None
    bound: Mapping[str, Any] = field(default_factory=dict)
    # Arguments of the wrong type met while reading blocks (see `Reader`), shared by the scopes made from
    # this one: the module reports them.
    problems: list[Diagnostic] = field(default_factory=list, compare=False, repr=False)
    # Values of variables and locals once resolved; they cannot depend on count/each, so instance scopes
    # may share them, but a scope made with other keys (dataclasses.replace) starts empty.
    _memo: dict[tuple[str, str], Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def key_of(self, file: str, address: str) -> str:
        """The inventory key of the object at `address` (module prefix and instance key included).

        Objects of a module called from several root modules in one scan are told apart by `key_root`,
        the calling root's directory (`envs/prod:`); a root module's own objects never need it.
        """
        return f"{file}#{self.key_root if self.prefix else ''}{address}"

    def with_instance(self, bindings: Mapping[str, Mapping[str, Any]]) -> Scope:
        """This scope while one instance of a `count` or `for_each` block is read."""
        return replace(self, instance=bindings)

    def bind(self, names: Mapping[str, Any]) -> Scope:
        """This scope with the iteration variables of a `for` expression bound (sharing resolved values)."""
        return self._sharing(replace(self, bound={**self.bound, **names}))

    def _unbound(self) -> Scope:
        return self._sharing(replace(self, bound={}))

    def _sharing(self, other: Scope) -> Scope:
        object.__setattr__(other, "_memo", self._memo)
        return other

    def resolve(self, value: Any, *, depth: int = 0) -> Any:
        """`value` with every expression evaluated; what cannot be known becomes `Unresolved(expression)`."""
        if depth > _MAX_DEPTH:
            return Unresolved(f"expression nested too deeply: {value}")
        if isinstance(value, str):
            if "${" not in value and "%{" not in value:
                return value
            return self.template(value, depth=depth)
        if isinstance(value, list):
            return [self.resolve(v, depth=depth + 1) for v in value]
        if isinstance(value, Mapping):
            out: dict[str, Any] = {}
            for name, item in value.items():
                if name.startswith("__"):
                    continue
                key = self._object_key(name, depth=depth + 1)
                if isinstance(key, Unresolved):
                    return Unresolved(f"object key {key.reason}")
                out[key] = self.resolve(item, depth=depth + 1)
            return out
        return value

    def _object_key(self, name: str, *, depth: int) -> str | Unresolved:
        """An object key as written: a name, or a template (`"${var.x}" = ...`, `(var.x) = ...`) evaluated.

        python-hcl2 keeps the quotes of a template key (`"${var.x}"`) and writes `(expr)` as `${(expr)}`.
        """
        if "${" not in name:
            return name
        text = name[1:-1] if len(name) > 1 and name[0] == name[-1] == '"' else name
        key = self.template(text, depth=depth)
        if isinstance(key, bool):
            return "true" if key else "false"
        if isinstance(key, int | float) and not isinstance(key, bool):
            return str(int(key)) if isinstance(key, float) and key.is_integer() else str(key)
        if isinstance(key, str) and not isinstance(key, Key):
            return key
        return Unresolved(text)

    def template(self, text: str, *, depth: int) -> Any:
        """A string with `${...}` pieces: one piece alone keeps its value's type, several make a string."""
        if depth > _MAX_DEPTH:
            return Unresolved(f"expression nested too deeply: {text}")
        parts = split_template(text)
        if parts is None or any(isinstance(p, str) and _DIRECTIVE.search(p) for p in parts):
            return Unresolved(text)
        if len(parts) == 1 and isinstance(parts[0], _Expr):
            return self.evaluate(parts[0].text, depth=depth)
        out: list[str] = []
        for part in parts:
            if isinstance(part, str):
                out.append(part.replace("%%{", "%{"))  # `%%{` is a literal `%{`
                continue
            value = self.evaluate(part.text, depth=depth)
            if isinstance(value, Key | Unresolved | DocumentRef):
                return Unresolved(text)
            if isinstance(value, bool):
                out.append("true" if value else "false")
            elif isinstance(value, float) and value.is_integer():
                out.append(str(int(value)))
            elif isinstance(value, str | int | float):
                out.append(str(value))
            else:
                return Unresolved(text)
        return "".join(out)

    def evaluate(self, expression: str, *, depth: int = 0) -> Any:
        """The value of one expression (the inside of `${...}`).

        A reference to a modelled resource gives its inventory key (a `Key`), which only links objects.
        """
        if depth > _MAX_DEPTH:
            return Unresolved(f"expression nested too deeply: {expression}")
        if expression.startswith("jsonencode(") and expression.endswith(")"):
            # The argument python-hcl2 (or the fast reader) wrote as JSON: decode it in one go.
            try:
                decoded = json.loads(expression[len("jsonencode(") : -1])
            except json.JSONDecodeError:
                pass
            else:
                return self.resolve(decoded, depth=depth + 1)
        reference = _SIMPLE_REFERENCE.match(expression)
        if reference is not None and reference[1] not in _KEYWORDS:
            # Most expressions are one reference: read it without the parser.
            try:
                value = self.lookup(reference[1], _steps(reference[2]), depth=depth + 1)
            except EvalError:
                return Unresolved(expression.strip())
            if isinstance(value, Unresolved) and not value.reason:
                return Unresolved(expression.strip())
            return value
        return evaluate_expression(expression, self, depth=depth + 1)

    def read_file(self, path: str) -> str | None:
        """The text of the local file at `path` (relative to the root module's directory), if readable."""
        return None if self.files is None else self.files.read(path)

    def for_files(self) -> Scope:
        """This scope reading a local file path (`filename`, `file(...)`): there `path.cwd`, the absolute
        directory Terraform runs in (the root module's), is the `.` relative paths start from; elsewhere it
        is unknown. Its own memo: a local read here may hold `path.cwd`."""
        if "cwd" in self.paths:
            return self
        inputs = self.inputs if self.file_inputs is None else self.file_inputs
        return replace(self, paths={**self.paths, "cwd": "."}, inputs=inputs)

    def render(self, text: str, names: Mapping[str, Any], *, depth: int) -> Any:
        """A template file's text with only `names` (templatefile's variables) in scope."""
        return Scope(files=self.files, bound=names).template(text, depth=depth)

    def lookup(self, root: str, path: list[Step], *, depth: int) -> Any:
        """The value of the reference `root` then `path` (see `Env`)."""
        if depth > _MAX_DEPTH:
            return Unresolved(f"reference nested too deeply: {root}")
        if self.bound and root in self.bound:
            return follow(self.bound[root], path)
        name = path[0].key if path and not path[0].index else None
        rest = path[1:]
        match root:
            case "var" if isinstance(name, str):
                if name in self.inputs:
                    return follow(self._typed(name, self.inputs[name]), rest)
                if name in self.variables:
                    value = self._remember(root, name, self.variables, depth=depth)
                    return follow(self._typed(name, value), rest)
                return Unresolved(f"var.{name}")
            case "local" if isinstance(name, str):
                if name in self.locals:
                    return follow(self._remember(root, name, self.locals, depth=depth), rest)
                return Unresolved(f"local.{name}")
            case "count" | "each" if isinstance(name, str):
                bound = self.instance.get(root, {})
                return follow(bound[name], rest) if name in bound else _NAMED_BY_REFERENCE
            case "module" if isinstance(name, str) and name in self.modules:
                return self.modules[name].lookup(rest, depth=depth + 1)
            case "data":
                return self._data(path)
            case "path" if isinstance(name, str) and name in self.paths:
                return follow(self.paths[name], rest)
            case _ if root in _OPAQUE_ROOTS or name is None:
                return _NAMED_BY_REFERENCE
            case _:
                return self._resource(root, path)

    def local_path(self, value: str | Unresolved | None) -> str | Unresolved | None:
        """A file path Terraform reads relative to the root module's directory, made relative to the scanned
        root as the model's `CodeLocation.local_path` is (absolute paths and unknown values unchanged)."""
        if not self.base_dir or not isinstance(value, str) or isinstance(value, Key):
            return value
        if posixpath.isabs(value):
            return value
        return posixpath.normpath(posixpath.join(self.base_dir, value.replace("\\", "/")))

    def _typed(self, name: str, value: Any) -> Any:
        """A variable's value converted to its declared type's shape (optional attributes filled in)."""
        spec = self.types.get(name)
        if spec is None:
            return value
        memo = ("typed", name)
        if memo not in self._memo:
            self._memo[memo] = conform(value, spec, evaluate=lambda text: Scope().evaluate(text))
        return self._memo[memo]

    def _remember(self, root: str, name: str, raw: Mapping[str, Any], *, depth: int) -> Any:
        key = (root, name)
        if key not in self._memo:
            # a variable or local never sees the names a `for` expression around its use binds
            scope = self._unbound() if self.bound else self
            self._memo[key] = scope.resolve(raw[name], depth=depth + 1)
        return self._memo[key]

    def _data(self, path: list[Step]) -> Any:
        """A policy document's `json`: `data.aws_iam_policy_document.x.json`, or `x[0].json` of one with
        `count`/`for_each` (its instances share the block's statements; parts that depend on `count.index`
        or `each` stay Unresolved in them)."""
        keys = [step.key for step in path]
        steps = path
        if len(path) >= 3 and path[2].index:
            keys = keys[:2] + keys[3:]
            steps = path[:2] + path[3:]
        if len(keys) >= 3 and keys[0] == "aws_iam_policy_document" and keys[2] in _DOCUMENT_ATTRIBUTES:
            return DocumentRef(f"{self.prefix}data.aws_iam_policy_document.{keys[1]}")
        if len(path) == 2 and isinstance(keys[1], str):
            return self._data_instances(f"data.{keys[0]}.{keys[1]}")
        if len(steps) == 3 and keys[0] == "aws_partition" and keys[2] in _PARTITION:
            return _PARTITION[str(keys[2])]
        if len(steps) >= 3 and not steps[2].index and isinstance(keys[2], str):
            # a data source's arguments are what it is read with: `data.archive_file.zip.output_path`
            address = f"data.{keys[0]}.{keys[1]}"
            # `data.archive_file.zip[each.key].output_path`: that instance's argument
            instance = self._bindings(address, path[2].key) if steps is not path else None
            return follow(self._argument(address, keys[2], instance=instance), steps[3:])
        return _NAMED_BY_REFERENCE

    def _data_instances(self, address: str) -> Any:
        """A data source as a whole (`data.x.y.*.attr`, `data.x.y[*]`): one instance, or with `count` the
        list of its instances, with `for_each` the map of them; unknown when that collection is not
        known. An instance's attributes read as `data.x.y.attr` does (its arguments as written, a policy
        document's JSON); they are the same for every instance."""
        labels = self.collections.get(address, ())
        if labels is None:
            return _NAMED_BY_REFERENCE
        document = DocumentRef(f"{self.prefix}{address}") if address.startswith(_DOCUMENT_PREFIX) else None

        def attribute(name: str) -> Any:
            if document is not None and name in _DOCUMENT_ATTRIBUTES:
                return document
            return self._argument(address, name)

        instance = DataInstance(f"{self.prefix}{address}", attribute)
        if address not in self.collections:
            return instance
        if all(isinstance(label, int) for label in labels):
            return [instance for _ in labels]
        return {str(label): instance for label in labels}

    def _resource(self, root: str, path: list[Step]) -> Any:
        block = address = f"{root}.{path[0].key}"
        rest = path[1:]
        if not rest and address in self.collections:
            return self._instances(address)
        instance = None
        if rest and rest[0].index:
            # The instances of a collection that is not known are read as one object, the block itself.
            if not (address in self.collections and self.collections[address] is None):
                address += instance_label(rest[0].key)
                instance = self._bindings(block, rest[0].key)
            rest = rest[1:]
        key = self.keys.get(address)
        identity = _ID_ONLY if root.startswith(ID_LINKED_PREFIXES) else IDENTITY_ATTRIBUTES
        if key is not None and (not rest or (len(rest) == 1 and rest[0].key in identity)):
            return Key(key)
        if rest and not rest[0].index and isinstance(rest[0].key, str):
            return follow(self._argument(block, rest[0].key, instance=instance), rest[1:])
        return _NAMED_BY_REFERENCE

    def _bindings(
        self, address: str, label: object
    ) -> tuple[str | int, Mapping[str, Mapping[str, Any]]] | None:
        """The key of the instance `label` of `address` and what it binds; None when it is not known."""
        if not _is_label(label) or label not in self.instance_bindings.get(address, {}):
            return None
        return label, self.instance_bindings[address][label]

    def _argument(
        self,
        address: str,
        name: str,
        *,
        instance: tuple[str | int, Mapping[str, Mapping[str, Any]]] | None = None,
    ) -> Any:
        """The value of argument `name` as written in resource `address`: what Terraform plans for it.

        An argument not written, or written as null, is computed by the provider (unknown until apply);
        so are nested blocks some `dynamic` block adds to. The value is read without `count.index` or
        `each` (which stay unknown), so it is the same for every instance, unless `instance` gives the
        key of one instance and what it binds.
        """
        body = self.resources.get(address)
        if body is None or name not in body or name in _META_ARGUMENTS or name.startswith("__"):
            return _NAMED_BY_REFERENCE
        if any(isinstance(d, Mapping) and name in d for d in body.get("dynamic", ())):
            return _NAMED_BY_REFERENCE
        label = "" if instance is None else instance_label(instance[0])
        memo = ("resource", f"{address}{label}.{name}")
        if memo not in self._memo:
            self._memo[memo] = _NAMED_BY_REFERENCE  # a reference cycle reads as unknown
            bindings = {} if instance is None else instance[1]
            reader = self._sharing(replace(self, instance=bindings, bound={}))
            self._memo[memo] = reader.resolve(body[name], depth=1)
        value = self._memo[memo]
        # unknown as a whole: named by the reference (`aws_x.y[1].name`), not by the argument's text
        return _NAMED_BY_REFERENCE if value is None or isinstance(value, Unresolved) else value

    def _instances(self, address: str) -> Any:
        """A resource with `count` as a list of its instances' keys, with `for_each` as a map of them."""
        labels = self.collections[address]
        if labels is None:
            return _NAMED_BY_REFERENCE
        keys = [self.keys.get(address + instance_label(label)) for label in labels]
        if any(key is None for key in keys):
            return _NAMED_BY_REFERENCE
        found = [Key(key) for key in keys if key is not None]
        if all(isinstance(label, int) for label in labels):
            return found
        return {str(label): key for label, key in zip(labels, found, strict=True)}


@record(kw_only=False)
class _Expr:
    text: str


def split_template(text: str) -> list[str | _Expr] | None:
    """`text` split into literal pieces and `${...}` expressions; None when a `${` is never closed."""
    parts: list[str | _Expr] = []
    literal: list[str] = []
    i = 0
    while True:
        found = text.find("${", i)
        if found == -1:
            literal.append(text[i:])
            break
        if found > 0 and text[found - 1] == "$":
            literal.append(text[i : found - 1] + "${")  # `$${` is a literal `${`
            i = found + 2
            continue
        end = _closing(text, found + 2)
        if end is None:
            return None
        literal.append(text[i:found])
        joined = "".join(literal)
        if joined:
            parts.append(joined)
        literal = []
        parts.append(_Expr(text[found + 2 : end]))
        i = end + 1
    joined = "".join(literal)
    if joined or not parts:
        parts.append(joined)
    return parts


def split_arguments(text: str) -> list[str] | None:
    """Top-level comma-separated arguments of a call; None when brackets or quotes do not balance."""
    out: list[str] = []
    depth = 0
    quoted = False
    current: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "\\":
                current.append(char)
                i += 1
                char = text[i] if i < len(text) else ""
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            out.append("".join(current).strip())
            current = []
            i += 1
            continue
        current.append(char)
        i += 1
    if depth != 0 or quoted:
        return None
    if "".join(current).strip():
        out.append("".join(current).strip())
    return out


def _closing(text: str, start: int) -> int | None:
    """Index of the `}` closing an interpolation opened before `start`, skipping quoted strings."""
    depth = 0
    quoted = False
    position = start
    while True:
        match = _BRACE_OR_QUOTE.search(text, position)
        if match is None:
            return None
        i = match.start()
        char = text[i]
        position = i + 1
        if quoted:
            if char == "\\":
                position = i + 2
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return i
            depth -= 1


def _is_label(value: object) -> TypeGuard[str | int]:
    """True for a value that can be an instance's key (`count.index`, `each.key`)."""
    return isinstance(value, str | int) and not isinstance(value, bool | Unresolved | Key)
