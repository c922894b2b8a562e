"""`record` behaves as `@dataclass(frozen=True, slots=True, kw_only=True)` does."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import field

import pytest

from lambdasec.records import record


@record
class Point:
    """A value with every kind of field."""

    x: int
    label: str = "origin"
    tags: tuple[str, ...] = field(default=(), compare=False)
    seen: list[str] = field(default_factory=list, compare=False, repr=False)


@record(kw_only=False)
class Pair:
    """Positional fields."""

    left: int
    right: str = ""


@record
class Shown:
    """Its own repr."""

    name: str

    def __repr__(self) -> str:
        return f"<{self.name}>"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    """The dataclass a record stands in for."""

    x: int
    label: str = "origin"
    tags: tuple[str, ...] = field(default=(), compare=False)
    seen: list[str] = field(default_factory=list, compare=False, repr=False)


def test_a_record_is_built_like_its_dataclass() -> None:
    point = Point(x=1, tags=("a",))
    assert (point.x, point.label, point.tags, point.seen) == (1, "origin", ("a",), [])
    assert repr(point) == "Point(x=1, label='origin', tags=('a',))"
    assert repr(point).removeprefix("Point") == repr(Reference(x=1, tags=("a",))).removeprefix("Reference")
    assert Point(x=1).seen is not Point(x=1).seen  # a new list from the factory each time
    with pytest.raises(TypeError):
        Point(1)  # type: ignore[misc]
    assert not hasattr(point, "__dict__")


def test_equality_and_hash_use_the_compared_fields_as_a_dataclass_does() -> None:
    assert Point(x=1, tags=("a",)) == Point(x=1, tags=("b",), seen=["c"])
    assert Point(x=1) != Point(x=2)
    assert Point(x=1) != Reference(x=1)
    assert hash(Point(x=1, label="a", tags=("z",))) == hash(Reference(x=1, label="a"))
    assert hash(Pair(3)) == hash((3, ""))
    assert Pair(3, "b") == Pair(left=3, right="b")


def test_a_record_is_frozen() -> None:
    point = Point(x=1)
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'x'"):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'x'"):
        del point.x  # type: ignore[misc]


def test_dataclass_helpers_copies_and_pickles_work_on_records() -> None:
    point = Point(x=1, label="a", tags=("t",), seen=["s"])
    assert [f.name for f in dataclasses.fields(point)] == ["x", "label", "tags", "seen"]
    assert dataclasses.replace(point, x=5) == Point(x=5, label="a")
    assert dataclasses.asdict(point) == {"x": 1, "label": "a", "tags": ("t",), "seen": ["s"]}
    for again in (pickle.loads(pickle.dumps(point)), copy.copy(point), copy.deepcopy(point)):
        assert again == point
        assert (again.tags, again.seen) == (("t",), ["s"])
    assert copy.deepcopy(point).seen is not point.seen


def test_a_record_keeps_its_own_dunders_and_positional_matching() -> None:
    assert repr(Shown(name="n")) == "<n>"
    match Pair(1, "b"):
        case Pair(1, right):
            assert right == "b"
        case _:
            pytest.fail("Pair did not match positionally")


def test_what_a_record_cannot_be_is_refused_when_declared() -> None:
    with pytest.raises(TypeError, match="__post_init__"):

        @record
        class Checked:
            value: int

            def __post_init__(self) -> None:
                pass

    with pytest.raises(TypeError, match="needs a default"):

        @record
        class Unset:
            value: int = field(init=False)


def test_a_record_extends_a_record_and_skips_class_variables() -> None:
    from typing import ClassVar

    @record
    class Base:
        """Two fields."""

        a: int
        b: str = "b"

    @record
    class Child(Base):
        """One more field and a class variable."""

        kind: ClassVar[str] = "child"
        c: float = 0.5

    child = Child(a=1, c=2.0)
    assert [f.name for f in dataclasses.fields(child)] == ["a", "b", "c"]
    assert (child.a, child.b, child.c, Child.kind) == (1, "b", 2.0, "child")
    assert Child.__slots__ == ("c",)
    assert dataclasses.replace(child, b="x") == Child(a=1, b="x", c=2.0)
    assert child != Base(a=1)


def test_a_mutable_default_is_refused() -> None:
    with pytest.raises(ValueError, match=r"Bad\.items: a mutable default \(list\) is not allowed"):

        @record
        class Bad:
            """A list shared by every instance."""

            items: list[int] = []  # noqa: RUF012 - the mistake under test


def test_a_dataclass_may_extend_a_record() -> None:
    @dataclasses.dataclass(frozen=True)
    class Labelled(Pair):
        """A positional record's fields, then its own."""

        note: str = ""

    value = Labelled(1, "r", "n")
    assert (value.left, value.right, value.note) == (1, "r", "n")
    assert [f.name for f in dataclasses.fields(value)] == ["left", "right", "note"]
    twin = copy.deepcopy(value)
    assert type(twin) is Labelled
    assert (twin.left, twin.right, twin.note) == (1, "r", "n")


def test_init_signatures_and_errors_are_those_of_the_fields() -> None:
    import inspect

    assert str(inspect.signature(Pair)) == "(left, right='')"
    assert str(inspect.signature(Shown)) == "(*, name)"
    with pytest.raises(TypeError, match=r"missing 1 required keyword-only argument: 'x'"):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'bogus'"):
        Point(x=1, bogus=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"Late: a field without a default follows one with a default"):

        @record(kw_only=False)
        class Late:
            """A required positional field after an optional one."""

            first: int = 0
            second: str  # type: ignore[misc]
