"""Tests for the benchmark corpus generator (bench/generate_sam.py)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from lambdasec.sources.yaml_loader import load_yaml

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


gen = _load("generate_sam")


def _resources(text: str) -> dict[str, Any]:
    doc = load_yaml(text)
    return dict(doc["Resources"])


def _functions(resources: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in resources.items() if v["Type"] == "AWS::Serverless::Function"}


def _walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def test_template_has_exactly_n_functions_numbered_in_order() -> None:
    functions = _functions(_resources(gen.generate_template(40)))
    assert list(functions) == [f"Fn{i:05d}" for i in range(40)]


def test_same_seed_gives_same_text_and_other_seed_differs() -> None:
    assert gen.generate_template(60, seed=3) == gen.generate_template(60, seed=3)
    assert gen.generate_template(60, seed=3) != gen.generate_template(60, seed=4)


def test_roles_urls_permissions_and_events_follow_the_index_pattern() -> None:
    resources = _resources(gen.generate_template(40))
    functions = _functions(resources)
    with_role = {name for name, fn in functions.items() if "Role" in fn["Properties"]}
    with_policies = {name for name, fn in functions.items() if "Policies" in fn["Properties"]}
    with_url = {name for name, fn in functions.items() if "FunctionUrlConfig" in fn["Properties"]}
    events = {name: fn["Properties"]["Events"]["Trigger"]["Type"] for name, fn in functions.items()}
    by_type: dict[str, set[str]] = {}
    for name, resource in resources.items():
        by_type.setdefault(resource["Type"], set()).add(name)

    assert with_role == {f"Fn{i:05d}" for i in range(0, 40, 5)}
    assert with_policies == set(functions) - with_role
    assert by_type["AWS::IAM::Role"] == {f"Fn{i:05d}Role" for i in range(0, 40, 5)}
    assert with_url == {"Fn00007", "Fn00017", "Fn00027", "Fn00037"}
    assert by_type["AWS::Lambda::Permission"] == {"Fn00003Permission", "Fn00023Permission"}
    assert {name for name, kind in events.items() if kind == "SQS"} == {f"Fn{i:05d}" for i in range(1, 40, 4)}
    assert set(events.values()) == {"Api", "SQS", "S3", "Schedule"}
    assert by_type["AWS::SQS::Queue"] == {f"Fn{i:05d}Queue" for i in range(1, 40, 4)}
    assert by_type["AWS::S3::Bucket"] == {f"Fn{i:05d}Bucket" for i in range(2, 40, 4)}


def test_every_reference_points_at_a_resource_or_parameter() -> None:
    doc = load_yaml(gen.generate_template(200))
    known = set(doc["Resources"]) | set(doc["Parameters"])
    targets: set[str] = set()
    for node in _walk(doc["Resources"]):
        if isinstance(node, dict) and "Ref" in node:
            targets.add(node["Ref"])
        if isinstance(node, dict) and "Fn::GetAtt" in node:
            targets.add(node["Fn::GetAtt"][0])
    assert targets - known == set()
    assert "BenchTable" in targets


def test_environment_values_are_strings_or_intrinsics() -> None:
    functions = _functions(_resources(gen.generate_template(200)))
    values = [
        value for fn in functions.values() for value in fn["Properties"]["Environment"]["Variables"].values()
    ]
    assert {type(v).__name__ for v in values if not isinstance(v, str)} == {"MarkedDict"}
    assert any(isinstance(v, str) and v.startswith("sk_live_") for v in values)
    assert any(isinstance(v, str) and v.startswith("{{resolve:secretsmanager:") for v in values)


def test_write_corpus_splits_into_self_contained_templates(tmp_path: Path) -> None:
    corpus = gen.write_corpus(tmp_path, functions=25, per_template=10)

    names = [p.name for p in corpus.templates]
    assert names == ["template-0001.yaml", "template-0002.yaml", "template-0003.yaml"]
    assert corpus.functions == (10, 10, 5)
    functions: list[str] = []
    for path in corpus.templates:
        doc = load_yaml(path.read_text(encoding="utf-8"))
        functions.extend(_functions(dict(doc["Resources"])))
    assert functions == [f"Fn{i:05d}" for i in range(25)]
    assert sorted(p.name for p in (tmp_path / "src").iterdir()) == ["app.py", "index.mjs"]
    assert corpus.total_bytes == sum(p.stat().st_size for p in corpus.templates)


def test_write_corpus_single_template_replaces_a_previous_split(tmp_path: Path) -> None:
    gen.write_corpus(tmp_path, functions=6, per_template=2)
    corpus = gen.write_corpus(tmp_path, functions=6)
    assert sorted(p.name for p in tmp_path.glob("template*.yaml")) == ["template.yaml"]
    assert corpus.functions == (6,)


def test_write_corpus_rejects_zero_functions(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        gen.write_corpus(tmp_path, functions=0)
