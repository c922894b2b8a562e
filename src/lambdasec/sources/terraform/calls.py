"""Terraform built-in functions evaluated on known values; an unknown argument makes the result unknown."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

from lambdasec.model import Unresolved
from lambdasec.records import record
from lambdasec.sources.terraform.path_functions import basename, dirname, pathexpand

__all__ = [
    "CALLS",
    "IDENTITY_ATTRIBUTES",
    "ID_LINKED_PREFIXES",
    "DataInstance",
    "DocumentRef",
    "EvalError",
    "Key",
    "SetValue",
    "json_text",
    "make_set",
]


class EvalError(Exception):
    """Terraform would fail on this expression (missing key, wrong type); `try()` turns it into a fallback."""


class Key(str):
    """The inventory key a reference to a modelled resource stands for (`main.tf#aws_iam_role.r`).

    It links objects (a function's role, a permission's function) but is not the real ARN or name, so
    it never takes part in string building or comparisons.
    """

    __slots__ = ()


class SetValue(list[Any]):
    """A Terraform set (`toset(...)`, a `set(...)` variable): its elements in the order Terraform
    iterates them. Iterating one (`for_each`, a `for` expression) gives each element as its own key,
    and it has no indices; everywhere else it reads as a list, as Terraform converts it to one."""

    __slots__ = ()


def make_set(items: list[Any]) -> SetValue | list[Any]:
    """`items` as a set: duplicates dropped, strings, numbers and booleans sorted as Terraform orders
    them (other elements by their text: Terraform orders those by hash); a plain list when an element
    is not known (the set's members are not)."""
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    if not _known(out):
        return out
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in out):
        return SetValue(sorted(out))  # numbers in numeric order
    return SetValue(sorted(out, key=lambda v: (str(type(v)), str(v))))


@record(kw_only=False)
class DocumentRef:
    """The JSON of a `data "aws_iam_policy_document"` block, by address."""

    address: str


class DataInstance(Mapping[str, Any]):
    """One instance of a data source as a value (`data.x.y` as a whole, what its splat lists): any
    attribute reads through `read` (the argument as written, else unknown). Which attributes it has is
    not known, so as a whole it is an unknown value (a function given it gives an unknown result)."""

    __slots__ = ("_read", "address")

    def __init__(self, address: str, read: Callable[[str], Any]) -> None:
        self.address = address
        self._read = read

    def __getitem__(self, name: str) -> Any:
        return self._read(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DataInstance) and other.address == self.address

    def __hash__(self) -> int:
        return hash(self.address)

    def __repr__(self) -> str:
        return self.address


_UNKNOWN: Final = Unresolved("argument")
# Attributes that name a resource itself, so a reference through them stands for the resource's key.
IDENTITY_ATTRIBUTES: Final = frozenset({"arn", "id", "name", "function_name"})
# API Gateway parts link to each other by `id` only (always computed); their names are written values.
ID_LINKED_PREFIXES: Final = ("aws_api_gateway_", "aws_apigatewayv2_")


def _known(*values: Any) -> bool:
    return not any(isinstance(v, Unresolved) or _has_unknown(v) for v in values)


def _has_unknown(value: Any) -> bool:
    if isinstance(value, Unresolved | Key | DataInstance):
        return True
    if isinstance(value, list):
        return any(_has_unknown(v) for v in value)
    if isinstance(value, Mapping):
        return any(_has_unknown(v) for v in value.values())
    return False


def _string(value: Any) -> str:
    if isinstance(value, Key):
        raise EvalError("resource reference used as text")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value
    raise EvalError(f"not a string: {value!r}")


def _merge(*maps: Any) -> Any:
    if any(isinstance(m, Unresolved) for m in maps):
        return _UNKNOWN
    merged: dict[str, Any] = {}
    for item in maps:
        if item is None:
            continue
        if not isinstance(item, Mapping):
            raise EvalError("merge of a non-map")
        merged.update(item)
    return merged


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if isinstance(mapping, Unresolved) or isinstance(key, Unresolved):
        return _UNKNOWN
    if not isinstance(mapping, Mapping):
        raise EvalError("lookup in a non-map")
    name = _string(key)
    if name in mapping:
        return mapping[name]
    if default:
        return default[0]
    raise EvalError(f"lookup: no key {name!r}")


def _concat(*lists: Any) -> Any:
    out: list[Any] = []
    for item in lists:
        if isinstance(item, Unresolved):
            return _UNKNOWN
        if not isinstance(item, list):
            raise EvalError("concat of a non-list")
        out.extend(item)
    return out


def _format(spec: Any, *args: Any) -> Any:
    if not _known(spec, *args):
        return _UNKNOWN
    pieces = iter(args)

    def one(match: re.Match[str]) -> str:
        if match[0] == "%%":
            return "%"
        try:
            value = next(pieces)
        except StopIteration:
            raise EvalError("format: too few arguments") from None
        spec = match[1]
        if match[2] == "d":
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise EvalError(f"format: %d of {value!r}")
            return f"%{spec}d" % int(float(value))
        if match[2] == "v" and isinstance(value, list | Mapping):
            text = json.dumps(value, separators=(",", ":"))
        else:
            text = json.dumps(value) if match[2] == "q" else _string(value)
        return f"%{spec}s" % text

    return re.sub(r"%(-?\d*(?:\.\d+)?)([sdqv])|%%", one, _string(spec))


def _join(separator: Any, *lists: Any) -> Any:
    if not _known(separator, *lists):
        return _UNKNOWN
    values: list[Any] = []
    for item in lists:
        if not isinstance(item, list):
            raise EvalError("join of a non-list")
        values.extend(item)
    documents = [v for v in values if isinstance(v, DocumentRef)]
    if documents:
        # `join("", data.x.*.json)`: the JSON of the one instance is the document itself
        alone = len(values) == 1 or (
            separator == "" and all(v == "" for v in values if v is not documents[0])
        )
        return documents[0] if len(documents) == 1 and alone else _UNKNOWN
    return _string(separator).join(_string(v) for v in values)


def _coalesce(*values: Any) -> Any:
    for value in values:
        if isinstance(value, Unresolved):
            return _UNKNOWN
        if value is not None and value != "":
            return value
    raise EvalError("coalesce: no non-empty argument")


def _element(items: Any, index: Any) -> Any:
    if isinstance(items, Unresolved) or isinstance(index, Unresolved):
        return _UNKNOWN
    if not isinstance(items, list) or not items or isinstance(index, bool) or not isinstance(index, int):
        raise EvalError("element: bad arguments")
    return items[index % len(items)]


def _jsondecode(text: Any) -> Any:
    if isinstance(text, Unresolved):
        return _UNKNOWN
    if not isinstance(text, str):
        return text  # jsonencode keeps the structure, so decoding it gives it back
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise EvalError("jsondecode: not JSON") from None


def _unary(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def call(value: Any) -> Any:
        return function(value) if _known(value) else _UNKNOWN

    return call


def _tostring(value: Any) -> Any:
    if isinstance(value, list | Mapping):
        raise EvalError("tostring of a collection")  # a type error even when elements are unknown
    if not _known(value):
        return _UNKNOWN
    return None if value is None else _string(value)


def _tonumber(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    try:
        return int(_string(value))
    except ValueError:
        try:
            return float(_string(value))
        except ValueError:
            raise EvalError(f"tonumber: {value!r}") from None


def _tobool(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError(f"tobool: {value!r}")


def _toset(value: Any) -> Any:
    out = _distinct(value)
    if isinstance(out, Unresolved):
        return out
    return make_set(out)


def _tolist(value: Any) -> Any:
    if isinstance(value, SetValue):
        return list(value)
    if isinstance(value, list | Unresolved):
        return value
    raise EvalError("tolist of a non-list")


def _tomap(value: Any) -> Any:
    if isinstance(value, Mapping | Unresolved):
        return value
    raise EvalError("tomap of a non-map")


def _length(value: Any) -> Any:
    if isinstance(value, Unresolved):
        return _UNKNOWN
    if isinstance(value, list | str | Mapping):
        return len(value)
    raise EvalError("length of a scalar")


def _keys(value: Any) -> Any:
    if isinstance(value, Unresolved):
        return _UNKNOWN
    if not isinstance(value, Mapping):
        raise EvalError("keys of a non-map")
    return sorted(value)


def _values(value: Any) -> Any:
    if isinstance(value, Unresolved):
        return _UNKNOWN
    if not isinstance(value, Mapping):
        raise EvalError("values of a non-map")
    return [value[k] for k in sorted(value)]


def _contains(items: Any, value: Any) -> Any:
    if not _known(items, value):
        return _UNKNOWN
    if not isinstance(items, list):
        raise EvalError("contains on a non-list")
    return value in items


def _distinct(value: Any) -> Any:
    if isinstance(value, Unresolved):
        return _UNKNOWN
    if not isinstance(value, list):
        raise EvalError("distinct of a non-list")
    out: list[Any] = []
    for item in value:
        if item not in out:
            out.append(item)
    return out


def _setintersection(first: Any, *others: Any) -> Any:
    if not _known(first, *others):
        return _UNKNOWN
    if not all(isinstance(v, list) for v in (first, *others)):
        raise EvalError("setintersection of a non-set")
    return _toset([item for item in first if all(item in other for other in others)])


def _range(*bounds: Any) -> Any:
    if not _known(*bounds):
        return _UNKNOWN
    if not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds):
        raise EvalError("range: whole numbers expected")
    if not 1 <= len(bounds) <= 3:
        raise EvalError("range: 1 to 3 arguments")
    values = list(range(*bounds))
    if len(values) > 10_000:
        raise EvalError("range too long")
    return values


def _flatten(value: Any) -> Any:
    if isinstance(value, Unresolved):
        return _UNKNOWN
    if not isinstance(value, list):
        raise EvalError("flatten of a non-list")
    out: list[Any] = []
    for item in value:
        # an unknown element may be a list of any length: the result is not known (as in Terraform)
        inner = _flatten(item) if isinstance(item, list | Unresolved) else [item]
        if isinstance(inner, Unresolved):
            return _UNKNOWN
        out.extend(inner)
    return out


def _replace(text: Any, old: Any, new: Any) -> Any:
    if not _known(text, old, new):
        return _UNKNOWN
    pattern = _string(old)
    if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        return Unresolved("replace with a regular expression")
    return _string(text).replace(pattern, _string(new))


def _split(separator: Any, text: Any) -> Any:
    if not _known(separator, text):
        return _UNKNOWN
    return _string(text).split(_string(separator))


def _slice(items: Any, start: Any, end: Any) -> Any:
    if isinstance(items, Unresolved) or not _known(start, end):
        return _UNKNOWN
    bounds = [int(b) if isinstance(b, float) and b.is_integer() else b for b in (start, end)]
    if not isinstance(items, list) or any(isinstance(b, bool) or not isinstance(b, int) for b in bounds):
        raise EvalError("slice: a list and two whole numbers expected")
    first, last = bounds
    if not 0 <= first <= last <= len(items):
        raise EvalError(f"slice bounds {first}:{last} out of range")
    return items[first:last]


def _zipmap(names: Any, values: Any) -> Any:
    if not _known(names) or isinstance(values, Unresolved):
        return _UNKNOWN  # an unknown name is no error `try()` could fall back from
    if not isinstance(names, list) or not isinstance(values, list) or len(names) != len(values):
        raise EvalError("zipmap: lists of equal length expected")
    return {_string(k): v for k, v in zip(names, values, strict=True)}


def _one(value: Any) -> Any:
    if isinstance(value, Unresolved):
        return _UNKNOWN
    if not isinstance(value, list) or len(value) > 1:
        raise EvalError("one: at most one element")
    return value[0] if value else None


def json_text(value: Any) -> str | Unresolved:
    """The text `jsonencode` gives for a known value: compact, object keys sorted, `<`, `>` and `&`
    escaped as Go's encoder does; Unresolved when a part of the value is not known."""
    unknown = _first_unknown(value)
    if unknown is not None:
        return unknown
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _first_unknown(value: Any) -> Unresolved | None:
    """The first unknown part of a value (a resource reference counts as one), or None."""
    if isinstance(value, Unresolved):
        return value
    if isinstance(value, Key):
        return Unresolved(f"{value.partition('#')[2]} (known after apply)")
    if isinstance(value, DataInstance):
        return Unresolved(value.address)
    items = value.values() if isinstance(value, Mapping) else value if isinstance(value, list) else ()
    for item in items:
        found = _first_unknown(item)
        if found is not None:
            return found
    return None


def _jsonencode(value: Any) -> Any:
    # The structure itself, not its text: policies are read from it, and unknown parts stay per value.
    return value


CALLS: Final[Mapping[str, Callable[..., Any]]] = {
    "merge": _merge,
    "lookup": _lookup,
    "concat": _concat,
    "format": _format,
    "join": _join,
    "coalesce": _coalesce,
    "element": _element,
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "tostring": _tostring,
    "tonumber": _unary(_tonumber),
    "tobool": _unary(_tobool),
    "toset": _toset,
    "tolist": _tolist,
    "tomap": _tomap,
    "length": _length,
    "keys": _keys,
    "values": _values,
    "contains": _contains,
    "range": _range,
    "flatten": _flatten,
    "distinct": _distinct,
    "upper": _unary(lambda v: _string(v).upper()),
    "lower": _unary(lambda v: _string(v).lower()),
    "trimspace": _unary(lambda v: _string(v).strip()),
    "replace": _replace,
    "split": _split,
    "zipmap": _zipmap,
    "slice": _slice,
    "setintersection": _setintersection,
    "one": _one,
    "compact": _unary(lambda v: [x for x in v if x not in (None, "")]),
    "min": lambda *v: min(v) if _known(*v) else _UNKNOWN,
    "max": lambda *v: max(v) if _known(*v) else _UNKNOWN,
    "startswith": lambda t, p: _string(t).startswith(_string(p)) if _known(t, p) else _UNKNOWN,
    "endswith": lambda t, p: _string(t).endswith(_string(p)) if _known(t, p) else _UNKNOWN,
    "basename": _unary(lambda v: basename(_string(v))),
    "dirname": _unary(lambda v: dirname(_string(v))),
    "pathexpand": _unary(lambda v: pathexpand(_string(v))),
}
