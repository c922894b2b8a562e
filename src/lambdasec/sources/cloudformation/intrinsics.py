"""Static evaluation of CloudFormation intrinsic functions, pseudo parameters and conditions."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from lambdasec.model import Unresolved
from lambdasec.records import record
from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList, line_of

__all__ = [
    "MAX_DEPTH",
    "NO_VALUE",
    "UNRESOLVED_KEY",
    "Link",
    "Resolver",
    "describe",
    "intrinsic_name",
    "to_text",
]

# Nesting allowed inside one expression before evaluation gives up (guards deep or cyclic input).
MAX_DEPTH: Final = 64

_PSEUDO_KNOWN: Final[Mapping[str, str]] = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}
_PSEUDO_UNKNOWN: Final = frozenset(
    {"AWS::AccountId", "AWS::Region", "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs"}
)
_PSEUDO_UNRESOLVED: Final = {name: Unresolved(f"!Ref {name}") for name in _PSEUDO_UNKNOWN}
_SUB_VARIABLE: Final = re.compile(r"\$\{([^}]*)\}")
_DESCRIBE_LIMIT: Final = 120
# A value another source (serverless.yml) could not determine: `{UNRESOLVED_KEY: reason}` reads as Unresolved.
UNRESOLVED_KEY: Final = "Fn::lambdasec:Unresolved"
_CALL_PREFIXES: Final = ("Fn::", "!")
_NOT_GIVEN: Final = object()  # a parameter the parent stack does not pass
_UNDEFINED: Final = object()  # a name that is no parameter, pseudo parameter or resource


class _NoValue:
    """The value of `!Ref AWS::NoValue`: the property is removed."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Final = _NoValue()


@record(kw_only=False)
class Link:
    """A reference to another resource of the same template: `!Ref Id` or `!GetAtt Id.Attribute`."""

    logical_id: str
    attribute: str | None = None

    def describe(self) -> str:
        """The expression in short form, as used in `Unresolved` reasons."""
        if self.attribute is None:
            return f"!Ref {self.logical_id}"
        return f"!GetAtt {self.logical_id}.{self.attribute}"


def intrinsic_name(node: Any) -> str | None:
    """The function name when `node` is an intrinsic call (`Ref`, `Fn::*` or an unknown `!Tag`)."""
    if isinstance(node, dict) and len(node) == 1:
        for key in node:
            if isinstance(key, str) and (key == "Ref" or key.startswith(_CALL_PREFIXES)):
                return key
    return None


def describe(node: Any) -> str:
    """A short readable form of an expression: `!Ref AuthType`, `!GetAtt Bucket.Arn`, `!Sub ...`."""
    return _truncate(_describe(node, 0))


def _truncate(text: str) -> str:
    return text if len(text) <= _DESCRIBE_LIMIT else text[: _DESCRIBE_LIMIT - 1] + "…"


def _describe(node: Any, depth: int) -> str:
    if depth > 6:
        return "…"
    if isinstance(node, Link):
        return node.describe()
    name = intrinsic_name(node)
    if name is not None:
        arg = node[name]
        short = name if name.startswith("!") else "!" + name.removeprefix("Fn::")
        if name == "Fn::GetAtt" and isinstance(arg, list) and len(arg) == 2:
            return f"!GetAtt {_describe(arg[0], depth + 1)}.{_describe(arg[1], depth + 1)}"
        if name == "Fn::Sub" and isinstance(arg, list) and arg:
            arg = arg[0]
        return f"{short} {_describe(arg, depth + 1)}"
    if isinstance(node, dict):
        return "{" + ", ".join(f"{k}: {_describe(v, depth + 1)}" for k, v in node.items()) + "}"
    if isinstance(node, list):
        return "[" + ", ".join(_describe(v, depth + 1) for v in node) + "]"
    if node is None:
        return "null"
    if isinstance(node, bool):
        return "true" if node else "false"
    return str(node)


def to_text(value: Any) -> str | None:
    """The string CloudFormation would substitute for a resolved scalar; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return None


class Resolver:
    """Evaluates intrinsics of one template over parameter defaults, mappings and conditions.

    `resolve` evaluates only the call at the top of a node (containers are returned as they are, so
    their line marks survive and callers resolve children as they read them); `deep` resolves a
    whole subtree. Results are scalars, Marked containers, plain lists (from `Fn::Split` or list
    parameters), `Link`s to resources, `Unresolved` or `NO_VALUE`.
    """

    def __init__(
        self,
        template: Mapping[str, Any],
        *,
        diagnostics: Diagnostics,
        pseudo: Mapping[str, str] | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> None:
        self.diagnostics = diagnostics
        # Pseudo parameters with a known value: the partition's, and what the deployment tells.
        self._pseudo: Mapping[str, str] = {**_PSEUDO_KNOWN, **pseudo} if pseudo else _PSEUDO_KNOWN
        self.parameters = _mapping(template.get("Parameters"))
        # Values the stack is given for its parameters (by a parent stack), over their defaults.
        self._given: Mapping[str, Any] = parameters or {}
        self.mappings = _mapping(template.get("Mappings"))
        self.conditions = _mapping(template.get("Conditions"))
        resources = _mapping(template.get("Resources"))
        self.resource_types: dict[str, str] = {
            lid: str(body.get("Type")) if isinstance(body, dict) else "" for lid, body in resources.items()
        }
        self._condition_values: dict[str, bool | Unresolved] = {}
        self._subs: dict[str, Any] = {}
        # Links are immutable: one per (resource, attribute), shared by every reference to it.
        self._links: dict[tuple[str, str | None], Link] = {}
        self._evaluating: set[str] = set()
        self._depth = 0

    # -- public -------------------------------------------------------------------------------

    def resolve(self, node: Any) -> Any:
        """`node` with the intrinsic call at its top evaluated (repeatedly, through `Fn::If` branches)."""
        if not isinstance(node, dict) or len(node) != 1:
            return node
        name = next(iter(node))
        if type(name) is not str or not (name == "Ref" or name.startswith(_CALL_PREFIXES)):
            return node
        if self._depth >= MAX_DEPTH:
            self.diagnostics.warn("expression nests too deeply to evaluate", line_of(node))
            return Unresolved("expression nests too deeply")
        if name == "Ref" or name == "Fn::GetAtt":
            link = self._plain_link(name, node[name])
            if link is not None:
                return link
        self._depth += 1
        try:
            handler = _HANDLERS.get(name)  # a dict lookup instead of the `match` in `_call` for most calls
            if handler is not None:
                return handler(self, node[name], node)
            return self._call(name, node[name], node=node)
        finally:
            self._depth -= 1

    def _marked_unresolved(self, arg: Any, node: Any) -> Unresolved:
        """A value a source marked as not known statically (`${ssm:...}` in serverless.yml)."""
        return Unresolved(str(arg))

    def _plain_link(self, name: str, arg: Any) -> Link | None:
        """What `_ref` / `_get_att` give for `!Ref Resource` / `!GetAtt Resource.Attribute` written as
        plain text (most references), without their checks; None for any other call."""
        if name == "Ref":
            if type(arg) is not str:
                return None
            key: tuple[str, str | None] = (arg, None)
            link = self._links.get(key)  # a link made before: its name was checked then
            if link is None and (
                arg in self.resource_types
                and "::" not in arg  # no pseudo parameter
                and arg not in self._pseudo
                and arg not in self.parameters
            ):
                link = self._links[key] = Link(arg, None)
            return link
        if name == "Fn::GetAtt":
            parts = arg.split(".", 1) if type(arg) is str else arg
            if (
                isinstance(parts, list)
                and len(parts) == 2
                and type(parts[0]) is str
                and type(parts[1]) is str
                and parts[0] in self.resource_types
            ):
                key = (parts[0], parts[1])
                link = self._links.get(key)
                if link is None:
                    link = self._links[key] = Link(parts[0], parts[1])
                return link
        return None

    def deep(self, node: Any) -> Any:
        """`node` with every intrinsic inside it evaluated; `NO_VALUE` entries are dropped."""
        value = self.resolve(node)
        if not isinstance(value, dict | list):
            return value
        if self._depth >= MAX_DEPTH:
            self.diagnostics.warn("expression nests too deeply to evaluate", line_of(node))
            return Unresolved("expression nests too deeply")
        self._depth += 1
        try:
            if isinstance(value, dict):
                out = MarkedDict(line_of(value) or 0)
                for key, child in value.items():
                    resolved = self.deep(child)
                    if resolved is not NO_VALUE:
                        out[key] = resolved
                        if isinstance(value, MarkedDict) and key in value.key_lines:
                            out.key_lines[key] = value.key_lines[key]
                return out
            items = MarkedList(line_of(value) or 0)
            for index, child in enumerate(value):
                resolved = self.deep(child)
                if resolved is not NO_VALUE:
                    items.append(resolved)
                    items.item_lines.append(line_of(value, index) or 0)
            return items
        finally:
            self._depth -= 1

    def ref(self, name: str, *, line: int | None) -> Any:
        """The value of `!Ref name`: a parameter default, a pseudo parameter or a `Link`."""
        value = self._named(name)
        if value is _UNDEFINED:
            return self._undefined(name, line)
        return value

    def _named(self, name: str) -> Any:
        """`ref` without the line, which only a reference to an undefined name needs: else `_UNDEFINED`."""
        if name in self._pseudo:
            return self._pseudo[name]
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in _PSEUDO_UNKNOWN:
            return _PSEUDO_UNRESOLVED[name]
        if name in self.parameters:
            return self._parameter(name)
        if name in self.resource_types:
            return self._link(name, None)
        return _UNDEFINED

    def _undefined(self, name: str, line: int | None) -> Unresolved:
        self.diagnostics.warn(f"!Ref to undefined parameter or resource `{name}`", line)
        return Unresolved(f"!Ref {name}")

    def condition(self, name: Any, *, line: int | None) -> bool | Unresolved:
        """The truth of a named condition over parameter defaults; Unresolved when it cannot be known."""
        if not isinstance(name, str):
            self.diagnostics.warn("condition name must be a string", line)
            return Unresolved(f"condition {describe(name)}")
        if name in self._condition_values:
            return self._condition_values[name]
        if name in self._evaluating:
            self.diagnostics.warn(f"condition `{name}` refers to itself", line)
            return Unresolved(f"condition {name} is circular")
        if name not in self.conditions:
            self.diagnostics.warn(f"undefined condition `{name}`", line)
            return Unresolved(f"undefined condition {name}")
        self._evaluating.add(name)
        try:
            value = self._truth(self.conditions[name])
        finally:
            self._evaluating.discard(name)
        if isinstance(value, Unresolved):
            value = Unresolved(f"condition {name} ({value.reason})")
        self._condition_values[name] = value
        return value

    def included(self, resource: Mapping[str, Any]) -> bool:
        """False only when the resource's `Condition` is known to be false."""
        name = resource.get("Condition")
        if name is None:
            return True
        line = resource.key_lines.get("Condition") if isinstance(resource, MarkedDict) else None
        return self.condition(name, line=line) is not False

    # -- evaluation ---------------------------------------------------------------------------

    def _parameter(self, name: str) -> Any:
        spec = self.parameters[name]
        if not isinstance(spec, dict):
            return Unresolved(f"!Ref {name}")
        given = self._given.get(name, _NOT_GIVEN)
        if isinstance(given, Unresolved):
            return given
        if given is _NOT_GIVEN and "Default" not in spec:
            return Unresolved(f"parameter {name} has no default")
        kind = str(spec.get("Type", "String"))
        default = spec["Default"] if given is _NOT_GIVEN else given
        if kind.startswith("AWS::SSM::Parameter::Value"):
            return Unresolved(f"!Ref {name} (read from SSM parameter {default})")
        if kind == "CommaDelimitedList" or kind.startswith("List<"):
            if isinstance(default, list):
                return default
            text = to_text(default)
            if text is None:
                return Unresolved(f"!Ref {name}")
            return [part.strip() for part in text.split(",")]
        return default

    def _call(self, name: str, arg: Any, *, node: Any) -> Any:
        match name:
            case "Ref":
                return self._ref(arg, node)
            case "Fn::GetAtt":
                return self._get_att(arg, node)
            case "Fn::Sub":
                return self._sub(arg, node)
            case "Fn::Join":
                return self._join(arg, node)
            case "Fn::Select":
                return self._select(arg, node)
            case "Fn::Split":
                return self._split(arg, node)
            case "Fn::If":
                return self._if(arg, node)
            case "Fn::FindInMap":
                return self._find_in_map(arg, node)
            case "Fn::Base64":
                text = to_text(self.deep(arg))
                if text is None:
                    return Unresolved(describe(node))
                return base64.b64encode(text.encode()).decode()
            case "Fn::Length":
                return self._length(arg, node)
            case "Fn::ToJsonString":
                return self._to_json_string(arg, node)
            case "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition":
                return self._truth(node)
            case "Fn::lambdasec:Unresolved":
                return Unresolved(str(arg))
            case "Fn::ImportValue" | "Fn::GetAZs" | "Fn::Cidr":
                return Unresolved(describe(node))
            case "Fn::Transform":
                self.diagnostics.warn("Fn::Transform macros are not expanded", line_of(node))
                return Unresolved(describe(node))
            case "Fn::ForEach":
                self.diagnostics.warn("Fn::ForEach loops are not expanded", line_of(node))
                return Unresolved(describe(node))
            case _ if name.startswith("!"):
                self.diagnostics.warn(f"unknown YAML tag `{name}`", line_of(node))
                return Unresolved(describe(node))
            case _:
                self.diagnostics.warn(f"unknown intrinsic function `{name}`", line_of(node))
                return Unresolved(describe(node))

    def _bad(self, node: Any, message: str) -> Unresolved:
        self.diagnostics.warn(message, line_of(node))
        return Unresolved(describe(node))

    def _ref(self, arg: Any, node: Any) -> Any:
        name = to_text(self.resolve(arg)) if isinstance(arg, dict) else arg
        if not isinstance(name, str):
            return self._bad(node, "Ref expects the name of a parameter or resource")
        value = self._named(name)
        return self._undefined(name, line_of(node)) if value is _UNDEFINED else value

    def _get_att(self, arg: Any, node: Any) -> Any:
        if isinstance(arg, str) and "." in arg:
            arg = arg.split(".", 1)
        if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)):
            return self._bad(node, "Fn::GetAtt expects [resource, attribute]")
        attribute = arg[1] if type(arg[1]) is str else to_text(self.resolve(arg[1]))
        if arg[0] not in self.resource_types:
            self.diagnostics.warn(f"Fn::GetAtt of undefined resource `{arg[0]}`", line_of(node))
            return Unresolved(describe(node))
        if attribute is None:
            return Unresolved(describe(node))
        return self._link(arg[0], attribute)

    def _link(self, logical_id: str, attribute: str | None) -> Link:
        link = self._links.get((logical_id, attribute))
        if link is None:
            link = self._links[(logical_id, attribute)] = Link(logical_id, attribute)
        return link

    def _sub(self, arg: Any, node: Any) -> Any:
        # Templates repeat (SAM writes the same ARNs for every function): evaluate each text once,
        # unless evaluating it reported something, which must then be reported at each line.
        key = arg if isinstance(arg, str) else repr(arg)
        cached = self._subs.get(key)
        if cached is not None:
            return cached
        before = len(self.diagnostics)
        value = self._evaluate_sub(arg, node)
        if len(self.diagnostics) == before:
            self._subs[key] = value
        return value

    def _evaluate_sub(self, arg: Any, node: Any) -> Any:
        variables: Mapping[str, Any] = {}
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            template, variables = arg[0], arg[1]
        else:
            template = arg
        if not isinstance(template, str):
            return self._bad(node, "Fn::Sub expects a string or [string, {variables}]")
        # `split` alternates literal text and variable names: text, name, text, ..., text.
        pieces = _SUB_VARIABLE.split(template)
        known = True
        pseudo = self._pseudo
        for index in range(1, len(pieces), 2):
            name = pieces[index]
            if name not in variables:  # pseudo parameters read directly, as `_sub_variable` reads them
                if name in pseudo:
                    pieces[index] = pseudo[name]
                    continue
                if name in _PSEUDO_UNKNOWN:
                    known = False
                    continue
            if name.startswith("!"):
                pieces[index] = "${" + name[1:] + "}"
                continue
            text = to_text(self._sub_variable(name.strip(), variables, node=node))
            if text is None:
                known = False
            else:
                pieces[index] = text
        return "".join(pieces) if known else Unresolved(_truncate(f"!Sub {template}"))

    def _sub_variable(self, name: str, variables: Mapping[str, Any], *, node: Any) -> Any:
        if name in variables:
            return self.deep(variables[name])
        if name in self._pseudo:  # `${AWS::Partition}` and the like, as `ref` would read them
            return self._pseudo[name]
        if name in _PSEUDO_UNKNOWN:
            return _PSEUDO_UNRESOLVED[name]
        resource, dot, attribute = name.partition(".")
        if dot and resource in self.resource_types:
            return self._link(resource, attribute)
        value = self._named(name)
        return self._undefined(name, line_of(node)) if value is _UNDEFINED else value

    def _join(self, arg: Any, node: Any) -> Any:
        if not (isinstance(arg, list) and len(arg) == 2):
            return self._bad(node, "Fn::Join expects [delimiter, [values]]")
        delimiter = self.resolve(arg[0])
        items = self.resolve(arg[1])
        if isinstance(items, Unresolved | Link) or not isinstance(delimiter, str):
            return Unresolved(describe(node))
        if not isinstance(items, list):
            return self._bad(node, "Fn::Join expects a list of values")
        texts: list[str] = []
        for item in items:
            value = self.deep(item)
            if value is NO_VALUE:
                continue
            text = to_text(value)
            if text is None:
                return Unresolved(describe(node))
            texts.append(text)
        return delimiter.join(texts)

    def _select(self, arg: Any, node: Any) -> Any:
        if not (isinstance(arg, list) and len(arg) == 2):
            return self._bad(node, "Fn::Select expects [index, [values]]")
        index_text = to_text(self.resolve(arg[0]))
        items = self.resolve(arg[1])
        if index_text is None or isinstance(items, Unresolved | Link):
            return Unresolved(describe(node))
        if not isinstance(items, list) or not index_text.isdigit():
            return self._bad(node, "Fn::Select expects a numeric index and a list")
        index = int(index_text)
        if index >= len(items):
            return self._bad(node, f"Fn::Select index {index} is out of range")
        return self.resolve(items[index])

    def _split(self, arg: Any, node: Any) -> Any:
        if not (isinstance(arg, list) and len(arg) == 2):
            return self._bad(node, "Fn::Split expects [delimiter, string]")
        delimiter = self.resolve(arg[0])
        source = to_text(self.deep(arg[1]))
        if not isinstance(delimiter, str) or source is None:
            return Unresolved(describe(node))
        return source.split(delimiter) if delimiter else [source]

    def _if(self, arg: Any, node: Any) -> Any:
        if not (isinstance(arg, list) and len(arg) == 3):
            return self._bad(node, "Fn::If expects [condition, value if true, value if false]")
        truth = self.condition(arg[0], line=line_of(node))
        if truth is True:
            return self.resolve(arg[1])
        if truth is False:
            return self.resolve(arg[2])
        when_true, when_false = self.deep(arg[1]), self.deep(arg[2])
        if to_text(when_true) is not None and when_true == when_false:
            return when_true
        return Unresolved(describe(node))

    def _find_in_map(self, arg: Any, node: Any) -> Any:
        if not (isinstance(arg, list) and len(arg) in (3, 4)):
            return self._bad(node, "Fn::FindInMap expects [map, top-level key, second-level key]")
        keys = [to_text(self.deep(part)) for part in arg[:3]]
        if any(key is None for key in keys):
            return Unresolved(describe(node))
        found: Any = self.mappings
        for key in keys:
            found = found.get(key) if isinstance(found, dict) else None
        if found is not None:
            return self.resolve(found)
        default = arg[3] if len(arg) == 4 else None
        if isinstance(default, dict) and "DefaultValue" in default:
            return self.resolve(default["DefaultValue"])
        return self._bad(node, f"Fn::FindInMap finds no entry {'.'.join(str(k) for k in keys)}")

    def _length(self, arg: Any, node: Any) -> Any:
        items = self.resolve(arg)
        if isinstance(items, list):
            return sum(1 for item in items if self.resolve(item) is not NO_VALUE)
        if isinstance(items, Unresolved | Link):
            return Unresolved(describe(node))
        return self._bad(node, "Fn::Length expects a list")

    def _to_json_string(self, arg: Any, node: Any) -> Any:
        value = self.deep(arg)
        if not _fully_known(value):
            return Unresolved(describe(node))
        return json.dumps(value, separators=(",", ":"))

    def _truth(self, node: Any) -> bool | Unresolved:
        if isinstance(node, dict) and len(node) == 1 and "Condition" in node:
            return self.condition(node["Condition"], line=line_of(node))
        name = intrinsic_name(node)
        if name in ("Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not"):
            return self._logic(name, node[name], node=node)
        value = self.resolve(node)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if isinstance(value, Unresolved):
            return value
        return self._bad(node, "condition does not evaluate to true or false")

    def _logic(self, name: str | None, arg: Any, *, node: Any) -> bool | Unresolved:
        if not isinstance(arg, list):
            return self._bad(node, f"{name} expects a list")
        if self._depth >= MAX_DEPTH:
            return self._bad(node, "expression nests too deeply to evaluate")
        self._depth += 1
        try:
            if name == "Fn::Equals":
                if len(arg) != 2:
                    return self._bad(node, "Fn::Equals expects two values")
                left, right = (to_text(self.deep(side)) for side in arg)
                if left is None or right is None:
                    return Unresolved(describe(node))
                return left == right
            if name == "Fn::Not":
                if len(arg) != 1:
                    return self._bad(node, "Fn::Not expects one condition")
                inner = self._truth(arg[0])
                return inner if isinstance(inner, Unresolved) else not inner
            truths = [self._truth(item) for item in arg]
            decisive = name == "Fn::Or"  # Or: any true decides; And: any false decides
            if decisive in truths:
                return decisive
            if any(isinstance(t, Unresolved) for t in truths):
                return Unresolved(describe(node))
            return not decisive
        finally:
            self._depth -= 1


# The intrinsic functions that take (argument, node); `_call` handles the others.
_HANDLERS: Final[Mapping[str, Callable[[Resolver, Any, Any], Any]]] = {
    "Ref": Resolver._ref,
    "Fn::GetAtt": Resolver._get_att,
    "Fn::Sub": Resolver._sub,
    "Fn::Join": Resolver._join,
    "Fn::Select": Resolver._select,
    "Fn::Split": Resolver._split,
    "Fn::If": Resolver._if,
    "Fn::FindInMap": Resolver._find_in_map,
    "Fn::Length": Resolver._length,
    "Fn::ToJsonString": Resolver._to_json_string,
    UNRESOLVED_KEY: Resolver._marked_unresolved,
}


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _fully_known(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _fully_known(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_fully_known(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)
