"""`record`: the frozen, slotted dataclass of lambdasec's value types, with its methods built cheaply."""

from __future__ import annotations

import dataclasses
import functools
import inspect
import operator
import types
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

__all__ = ["record"]

_T = TypeVar("_T")

_SETATTR = object.__setattr__
_DUNDERS = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")


@overload
def record(cls: type[_T], /) -> type[_T]: ...


@overload
def record(*, kw_only: bool = True) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(dataclasses.field,))
def record(cls: type[_T] | None = None, /, *, kw_only: bool = True) -> Any:
    """`@dataclass(frozen=True, slots=True, kw_only=True)` (`kw_only=False`: positional), built faster.

    A dataclass compiles six generated methods at import time (about 1 ms a class, most of lambdasec's
    start-up); a record compiles only its `__init__` and shares plain functions for the rest. It behaves
    the same: equal and hashed by its compared fields, `repr` of its fields, frozen (assigning or deleting
    an attribute raises `dataclasses.FrozenInstanceError`), copied and pickled by value, and
    `dataclasses.fields` / `replace` / `asdict` work on it. Fields may have defaults and default
    factories (a `field(init=False)` must have one); `__post_init__` is not supported.
    """

    def build(target: type[_T]) -> type[_T]:
        return _build(target, kw_only=kw_only)

    return build if cls is None else build(cls)


def _build(cls: type[_T], *, kw_only: bool) -> type[_T]:
    own = {name for name in _DUNDERS if name in cls.__dict__}
    if "__eq__" in own and cls.__dict__.get("__hash__") is None:
        own.discard("__hash__")  # Python set it to None for the explicit __eq__; the fields' hash is wanted
    if own - {"__repr__", "__eq__", "__hash__"} or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__qualname__}: a record defines neither __init__ nor __post_init__")
    built: Any = _slotted(cls, kw_only=kw_only)
    fields = dataclasses.fields(built)
    names = tuple(field.name for field in fields)
    built.__init__, rebuild = _methods(built, fields)
    built.__record_rebuild__ = staticmethod(rebuild)
    built.__reduce__ = _reduce(built, rebuild, _getter(names))
    built.__setattr__ = _frozen_setattr
    built.__delattr__ = _frozen_delattr
    if "__repr__" not in own:
        built.__repr__ = _repr(tuple(field.name for field in fields if field.repr))
    if "__eq__" not in own:
        built.__eq__ = _eq(_getter(tuple(field.name for field in fields if field.compare)))
    if "__hash__" not in own:
        hashed = tuple(
            field.name for field in fields if (field.compare if field.hash is None else field.hash)
        )
        built.__hash__ = _hash(_getter(hashed))
    return built  # type: ignore[no-any-return]


def _slotted(cls: type, *, kw_only: bool) -> type:
    """`cls` remade with a slot per field and the dataclass field table: what
    `dataclass(init=False, repr=False, eq=False, slots=True)` does, without its checks of every annotation
    (a third of start-up's class building)."""
    table: dict[str, dataclasses.Field[Any]] = {}
    for base in reversed(cls.__mro__[1:]):
        table.update(getattr(base, "__dataclass_fields__", {}))
    own: list[str] = []
    for name, hint in inspect.get_annotations(cls).items():
        if _is_class_var(hint):
            continue
        default = cls.__dict__.get(name, dataclasses.MISSING)
        spec: dataclasses.Field[Any] = (
            default if isinstance(default, dataclasses.Field) else dataclasses.field(default=default)
        )
        if spec.default is not dataclasses.MISSING and spec.default.__class__.__hash__ is None:
            kind = type(spec.default).__name__
            raise ValueError(f"{cls.__qualname__}.{name}: a mutable default ({kind}) is not allowed")
        spec.name, spec.type = name, hint
        spec._field_type = dataclasses._FIELD  # type: ignore[attr-defined]  # what `fields()` lists
        if spec.kw_only is dataclasses.MISSING:
            spec.kw_only = kw_only
        table[name] = spec
        own.append(name)
    namespace = {key: value for key, value in cls.__dict__.items() if key not in own}
    for key in ("__dict__", "__weakref__"):
        namespace.pop(key, None)
    namespace["__slots__"] = tuple(own)
    namespace["__dataclass_fields__"] = table
    namespace["__dataclass_params__"] = _params()
    namespace["__match_args__"] = tuple(
        name for name, spec in table.items() if spec.init and not spec.kw_only
    )
    built: type = type(cls)(cls.__name__, cls.__bases__, namespace)
    built.__qualname__ = cls.__qualname__
    return built


def _is_class_var(hint: object) -> bool:
    """Whether an annotation (a string under `from __future__ import annotations`) is a `ClassVar`."""
    text = hint if isinstance(hint, str) else repr(hint)
    return text.startswith(("ClassVar", "typing.ClassVar", "t.ClassVar"))


@functools.cache
def _params() -> object:
    """The `__dataclass_params__` of a frozen, ordered-equality dataclass (what a subclass made with
    `@dataclass` looks for on its bases)."""

    @dataclasses.dataclass(frozen=True)
    class _Probe:
        pass

    return _Probe.__dataclass_params__  # type: ignore[attr-defined]


def _methods(
    cls: type, fields: tuple[dataclasses.Field[Any], ...]
) -> tuple[Callable[..., None], Callable[..., Any]]:
    """`__init__` setting every field in order, and the function that rebuilds an instance from its field
    values in order (for pickle and copy: one call, no loop).

    Both are compiled from source as dataclasses does, but once per shape (which fields are parameters,
    keyword-only or with a default factory; the number of fields) rather than per class: compiling is
    most of the cost of building a record. Each class gets the shared code renamed to its own parameters
    and bound to its own slot setters and defaults through the function's globals.
    """
    scope: dict[str, Any] = {"_factory": _FACTORY, "_new": object.__new__, "_cls": cls}
    kinds: list[str] = []
    defaults: dict[str, Any] = {}
    for index, field in enumerate(fields):
        scope[f"_s{index}"] = _slot_setter(cls, field.name)
        factory = field.default_factory is not dataclasses.MISSING
        if factory:
            scope[f"_f{index}"] = field.default_factory
        if field.init:
            kinds.append(_FACTORY_PARAMETER if factory else _PARAMETER)
            if factory:
                defaults[field.name] = _FACTORY
            elif field.default is not dataclasses.MISSING:
                defaults[field.name] = field.default
        elif factory:
            kinds.append(_FACTORY_ONLY)
        elif field.default is not dataclasses.MISSING:
            scope[f"_d{index}"] = field.default
            kinds.append(_DEFAULT_ONLY)
        else:
            raise TypeError(f"{cls.__qualname__}.{field.name}: a field not set by __init__ needs a default")
    order = [i for i, f in enumerate(fields) if f.init and not f.kw_only]
    order += [i for i, f in enumerate(fields) if f.init and f.kw_only]
    positional = [fields[i].name for i in order if not fields[i].kw_only]
    trailing = [name for name in positional if name in defaults]
    if positional[len(positional) - len(trailing) :] != trailing:
        raise TypeError(f"{cls.__qualname__}: a field without a default follows one with a default")
    code = _init_code(tuple(kinds), tuple(fields[i].kw_only for i in order))
    init: Any = types.FunctionType(
        code.replace(
            co_varnames=("self", *(fields[i].name for i in order)),
            co_qualname=f"{cls.__qualname__}.__init__",
        ),
        scope,
        "__init__",
        tuple(defaults[name] for name in trailing) or None,
    )
    init.__kwdefaults__ = {
        fields[i].name: defaults[fields[i].name]
        for i in order
        if fields[i].kw_only and fields[i].name in defaults
    } or None
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    rebuild = types.FunctionType(_rebuild_code(len(fields)), scope, "__record_rebuild__")
    rebuild.__qualname__ = f"{cls.__qualname__}.__record_rebuild__"
    rebuild.__module__ = cls.__module__
    return init, rebuild


# What `__init__` does with each field, in `_init_code`'s shapes.
_PARAMETER, _FACTORY_PARAMETER, _FACTORY_ONLY, _DEFAULT_ONLY = "p", "f", "F", "D"


@functools.cache
def _init_code(kinds: tuple[str, ...], keyword: tuple[bool, ...]) -> types.CodeType:
    """The code of an `__init__` for fields of these kinds, its parameters (`_a<field index>`, positional
    ones first) keyword-only as `keyword` says."""
    parameters = [index for index, kind in enumerate(kinds) if kind in (_PARAMETER, _FACTORY_PARAMETER)]
    order = [index for index, kw in zip(parameters, keyword, strict=True) if not kw]
    named = [index for index, kw in zip(parameters, keyword, strict=True) if kw]
    body: list[str] = []
    for index, kind in enumerate(kinds):
        value = {
            _PARAMETER: f"_a{index}",
            _FACTORY_PARAMETER: f"_f{index}() if _a{index} is _factory else _a{index}",
            _FACTORY_ONLY: f"_f{index}()",
            _DEFAULT_ONLY: f"_d{index}",
        }[kind]
        body.append(f" _s{index}(self, {value})")
    signature = ", ".join(
        ["self", *(f"_a{i}" for i in order), *(["*", *(f"_a{i}" for i in named)] if named else [])]
    )
    scope: dict[str, Any] = {}
    exec(f"def __init__({signature}):\n" + ("\n".join(body) or " pass"), scope)  # from a shape
    code: types.CodeType = scope["__init__"].__code__
    return code


@functools.cache
def _rebuild_code(count: int) -> types.CodeType:
    """`(v0, ..., vN) -> instance of _cls with its slots _s0 ... _sN set`, as code for `count` fields."""
    values = [f"_v{index}" for index in range(count)]
    lines = [
        f"def __record_rebuild__({', '.join(values)}):",
        " self = _new(_cls)",
        *(f" _s{index}(self, {value})" for index, value in enumerate(values)),
        " return self",
    ]
    scope: dict[str, Any] = {}
    exec("\n".join(lines), scope)  # generated from a count, as dataclasses does
    code: types.CodeType = scope["__record_rebuild__"].__code__
    return code


def _slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """What sets field `name` of an instance: its slot's own setter (a third quicker than
    `object.__setattr__`, which looks the attribute up on the class each time)."""
    for klass in cls.__mro__:
        slot = klass.__dict__.get(name)
        if isinstance(slot, types.MemberDescriptorType):
            setter: Callable[[Any, Any], None] = slot.__set__
            return setter
    return lambda obj, value: _SETATTR(obj, name, value)


class _Factory:
    """The default of a parameter whose field has a default factory."""

    __slots__ = ()


_FACTORY = _Factory()


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The values of `names` of an object, always as a tuple."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        one = operator.attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _reduce(
    cls: type, rebuild: Callable[..., Any], values: Callable[[Any], tuple[Any, ...]]
) -> Callable[[Any], tuple[Callable[..., Any], tuple[Any, ...]]]:
    def __reduce__(self: object) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        if self.__class__ is cls:
            return rebuild, values(self)
        # A subclass that is not itself a record (a `@dataclass` extending one): rebuilt field by field.
        fields = tuple(field.name for field in dataclasses.fields(self))  # type: ignore[arg-type]
        return _rebuild_subclass, (self.__class__, fields, tuple(getattr(self, name) for name in fields))

    return __reduce__


def _rebuild_subclass(cls: type[_T], names: tuple[str, ...], values: tuple[Any, ...]) -> _T:
    made: _T = object.__new__(cls)
    for name, value in zip(names, values, strict=True):
        _SETATTR(made, name, value)
    return made


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: object) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"

    return __repr__


def _eq(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, object], bool]:
    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: object) -> int:
        return hash(values(self))

    return __hash__
