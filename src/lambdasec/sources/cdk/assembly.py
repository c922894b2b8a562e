"""Reads a CDK cloud assembly (`cdk.out/manifest.json`): its stack templates, nested stacks and assemblies."""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import field, replace
from pathlib import Path
from typing import Any, Final

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.records import record

__all__ = ["SOURCE_NAME", "StackTemplate", "environment_pseudo", "read_assembly"]

SOURCE_NAME: Final = "cdk"
_STACK: Final = "aws:cloudformation:stack"
_ASSETS: Final = "cdk:asset-manifest"
_NESTED_ASSEMBLY: Final = "cdk:cloud-assembly"
_NESTED_STACK: Final = "AWS::CloudFormation::Stack"
_MAX_DEPTH: Final = 8
# `environment: aws://<account>/<region>`; env-agnostic stacks say `unknown-account` / `unknown-region`.
_ENVIRONMENT: Final = re.compile(r"aws://(?P<account>[^/]*)/(?P<region>[^/]*)")
_ACCOUNT: Final = re.compile(r"\d{12}")
_REGION: Final = re.compile(r"[a-z]{2}(?:-[a-z]+)+-\d+")
# Region prefix -> (partition, URL suffix), for the partitions other than `aws`.
_PARTITIONS: Final = (
    ("cn-", ("aws-cn", "amazonaws.com.cn")),
    ("us-gov-", ("aws-us-gov", "amazonaws.com")),
    ("us-isob-", ("aws-iso-b", "sc2s.sgov.gov")),
    ("us-iso-", ("aws-iso", "c2s.ic.gov")),
)


@record
class StackTemplate:
    """One template of the assembly: its file, shown path, assembly directory and manifest logical ids.

    `logical_paths` maps logical ids to construct paths from the manifest's `aws:cdk:logicalId` metadata
    (in the artifact, or in its `additionalMetadataFile`), for templates synthesized without
    `aws:cdk:path` resource metadata. `asset_keys` maps the S3 object keys the assembly's asset
    manifests publish to the asset's path in the assembly, for templates without `aws:asset:path`
    metadata. `pseudo` holds the pseudo parameters the stack's artifact fixes: account and region of
    its `environment`, and its stack name.
    """

    path: Path
    display: str
    directory: str
    logical_paths: Mapping[str, str]
    pseudo: tuple[tuple[str, str], ...] = ()
    asset_keys: Mapping[str, str] = field(default_factory=dict)


def read_assembly(manifest: Path, *, display: str) -> tuple[list[StackTemplate], list[Diagnostic]]:
    """The templates of every stack artifact (nested assemblies and nested stacks included)."""
    templates: list[StackTemplate] = []
    diagnostics: list[Diagnostic] = []
    _read(manifest, display=display, templates=templates, diagnostics=diagnostics, depth=0)
    if not templates and not any(d.level is DiagnosticLevel.ERROR for d in diagnostics):
        diagnostics.append(
            _diagnostic(DiagnosticLevel.WARNING, "no CloudFormation stack in the assembly", display)
        )
    return templates, diagnostics


def _read(
    manifest: Path, *, display: str, templates: list[StackTemplate], diagnostics: list[Diagnostic], depth: int
) -> None:
    try:
        raw: Any = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        diagnostics.append(
            _diagnostic(DiagnosticLevel.ERROR, f"cannot read cloud assembly manifest: {exc}", display)
        )
        return
    except json.JSONDecodeError as exc:
        diagnostics.append(
            _diagnostic(DiagnosticLevel.ERROR, f"invalid manifest JSON: {exc.msg}", display, line=exc.lineno)
        )
        return
    artifacts = raw.get("artifacts") if isinstance(raw, Mapping) else None
    if not isinstance(artifacts, Mapping):
        diagnostics.append(_diagnostic(DiagnosticLevel.ERROR, "manifest has no `artifacts`", display))
        return
    directory = posixpath.dirname(display)
    keys = _asset_keys(manifest.parent, artifacts, directory=directory, diagnostics=diagnostics)
    for name, artifact in sorted(artifacts.items()):
        if not isinstance(artifact, Mapping):
            continue
        properties = artifact.get("properties")
        properties = properties if isinstance(properties, Mapping) else {}
        if artifact.get("type") == _STACK:
            file = properties.get("templateFile")
            if not isinstance(file, str):
                message = f"stack `{name}` has no properties.templateFile"
                diagnostics.append(_diagnostic(DiagnosticLevel.ERROR, message, display))
                continue
            if _outside(manifest.parent, file):
                message = f"template `{file}` of stack `{name}` is outside the cloud assembly; not read"
                diagnostics.append(_diagnostic(DiagnosticLevel.ERROR, message, display))
                continue
            stack = _template(manifest.parent, file, directory=directory, artifact=artifact, name=name)
            stack = replace(stack, asset_keys=keys)
            stack = _with_metadata_file(stack, artifact, base=manifest.parent, diagnostics=diagnostics)
            if not stack.path.is_file():
                message = f"template `{file}` of stack `{name}` is missing"
                diagnostics.append(_diagnostic(DiagnosticLevel.ERROR, message, display))
                continue
            templates.append(stack)
            templates.extend(_nested_stacks(stack, diagnostics=diagnostics, manifest=display, depth=0))
        elif artifact.get("type") == _NESTED_ASSEMBLY and depth < _MAX_DEPTH:
            sub = properties.get("directoryName")
            if isinstance(sub, str) and _outside(manifest.parent, sub):
                message = f"nested assembly `{sub}` is outside the cloud assembly; not read"
                diagnostics.append(_diagnostic(DiagnosticLevel.ERROR, message, display))
            elif isinstance(sub, str):
                _read(
                    manifest.parent / sub / "manifest.json",
                    display=posixpath.join(directory, sub, "manifest.json"),
                    templates=templates,
                    diagnostics=diagnostics,
                    depth=depth + 1,
                )


def _template(
    base: Path, file: str, *, directory: str, artifact: Mapping[str, Any], name: object
) -> StackTemplate:
    properties = artifact.get("properties")
    stack_name = properties.get("stackName") if isinstance(properties, Mapping) else None
    stack_name = stack_name if isinstance(stack_name, str) else name  # the artifact id, as `cdk deploy`
    named = (("AWS::StackName", stack_name),) if isinstance(stack_name, str) and stack_name else ()
    return StackTemplate(
        path=base / file,
        display=posixpath.join(directory, file) if directory else file,
        directory=directory,
        logical_paths=dict(_logical_paths(artifact.get("metadata"))),
        pseudo=(*environment_pseudo(artifact.get("environment")), *named),
    )


def environment_pseudo(environment: object) -> tuple[tuple[str, str], ...]:
    """`AWS::AccountId`, `AWS::Region` (and a non-`aws` partition) of `aws://<account>/<region>`."""
    match = _ENVIRONMENT.fullmatch(environment) if isinstance(environment, str) else None
    if match is None:
        return ()
    out: list[tuple[str, str]] = []
    if _ACCOUNT.fullmatch(match["account"]):
        out.append(("AWS::AccountId", match["account"]))
    region = match["region"]
    if _REGION.fullmatch(region):
        out.append(("AWS::Region", region))
        for prefix, (partition, suffix) in _PARTITIONS:
            if region.startswith(prefix):
                out.extend((("AWS::Partition", partition), ("AWS::URLSuffix", suffix)))
                break
    return tuple(out)


def _with_metadata_file(
    stack: StackTemplate, artifact: Mapping[str, Any], *, base: Path, diagnostics: list[Diagnostic]
) -> StackTemplate:
    """`stack` with the logical ids of the artifact's `additionalMetadataFile` (newer CDK versions)."""
    file = artifact.get("additionalMetadataFile")
    if not isinstance(file, str):
        return stack
    shown = posixpath.join(stack.directory, file) if stack.directory else file
    if _outside(base, file):
        message = "stack metadata file is outside the cloud assembly; not read"
        diagnostics.append(_diagnostic(DiagnosticLevel.WARNING, message, shown))
        return stack
    try:
        metadata: Any = json.loads((base / file).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        message = f"invalid stack metadata JSON: {exc.msg}"
        diagnostics.append(_diagnostic(DiagnosticLevel.WARNING, message, shown, line=exc.lineno))
        return stack
    except (OSError, ValueError) as exc:  # ValueError: text not UTF-8, a NUL byte in the name
        message = f"cannot read stack metadata file: {exc}"
        diagnostics.append(_diagnostic(DiagnosticLevel.WARNING, message, shown))
        return stack
    paths = {**dict(_logical_paths(metadata)), **stack.logical_paths}
    return replace(stack, logical_paths=paths)


def _asset_keys(
    base: Path, artifacts: Mapping[str, Any], *, directory: str, diagnostics: list[Diagnostic]
) -> dict[str, str]:
    """S3 object key -> the asset's path in the assembly, from the `cdk:asset-manifest` artifacts.

    An asset manifest that cannot be read is a warning: it costs the code paths of templates without asset
    metadata.
    """
    out: dict[str, str] = {}
    for artifact in artifacts.values():
        properties = artifact.get("properties") if isinstance(artifact, Mapping) else None
        file = properties.get("file") if isinstance(properties, Mapping) else None
        if not isinstance(artifact, Mapping) or artifact.get("type") != _ASSETS or not isinstance(file, str):
            continue
        shown = posixpath.join(directory, file) if directory else file
        if _outside(base, file):
            message = "asset manifest is outside the cloud assembly; not read"
            diagnostics.append(_diagnostic(DiagnosticLevel.WARNING, message, shown))
            continue
        try:
            raw: Any = json.loads((base / file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:  # not readable, not UTF-8, not JSON, a NUL byte in the name
            message = f"cannot read asset manifest: {exc}"
            diagnostics.append(_diagnostic(DiagnosticLevel.WARNING, message, shown))
            continue
        files = raw.get("files") if isinstance(raw, Mapping) else None
        for entry in files.values() if isinstance(files, Mapping) else ():
            source = entry.get("source") if isinstance(entry, Mapping) else None
            path = source.get("path") if isinstance(source, Mapping) else None
            destinations = entry.get("destinations") if isinstance(entry, Mapping) else None
            if not isinstance(path, str) or not isinstance(destinations, Mapping):
                continue
            for destination in destinations.values():
                key = destination.get("objectKey") if isinstance(destination, Mapping) else None
                if isinstance(key, str):
                    out[key] = path
    return out


def _outside(base: Path, name: str) -> bool:
    """Whether the file or directory a manifest names lies outside the assembly directory `base`
    (`../`, an absolute path): a cloud assembly only refers to its own files, and nothing else is read."""
    return not Path(os.path.normpath(base / name)).is_relative_to(os.path.normpath(base))


def _logical_paths(metadata: object) -> Iterator[tuple[str, str]]:
    if not isinstance(metadata, Mapping):
        return
    for path, entries in metadata.items():
        for entry in entries if isinstance(entries, list) else ():
            if (
                isinstance(entry, Mapping)
                and entry.get("type") == "aws:cdk:logicalId"
                and isinstance(entry.get("data"), str)
                and isinstance(path, str)
            ):
                yield entry["data"], path.lstrip("/")


def _nested_stacks(
    stack: StackTemplate, *, diagnostics: list[Diagnostic], manifest: str, depth: int
) -> Iterator[StackTemplate]:
    """The `*.nested.template.json` files a stack's `AWS::CloudFormation::Stack` resources point at."""
    if depth >= _MAX_DEPTH:
        return
    try:
        raw: Any = json.loads(stack.path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return  # the CloudFormation source reports the template itself
    resources = raw.get("Resources") if isinstance(raw, Mapping) else None
    for logical_id, resource in sorted((resources or {}).items()) if isinstance(resources, Mapping) else ():
        if not isinstance(resource, Mapping) or resource.get("Type") != _NESTED_STACK:
            continue
        metadata = resource.get("Metadata")
        asset = metadata.get("aws:asset:path") if isinstance(metadata, Mapping) else None
        if not isinstance(asset, str):
            continue
        nested = StackTemplate(
            path=stack.path.parent / asset,
            display=posixpath.join(stack.directory, asset) if stack.directory else asset,
            directory=stack.directory,
            logical_paths=stack.logical_paths,
            # a nested stack deploys to its parent's account and region, under a generated name
            pseudo=tuple(item for item in stack.pseudo if item[0] != "AWS::StackName"),
            asset_keys=stack.asset_keys,
        )
        if nested.path.is_file():
            yield nested
            yield from _nested_stacks(nested, diagnostics=diagnostics, manifest=manifest, depth=depth + 1)
        else:
            message = f"nested stack template `{asset}` of `{logical_id}` is missing"
            diagnostics.append(_diagnostic(DiagnosticLevel.ERROR, message, manifest))


def _diagnostic(level: DiagnosticLevel, message: str, file: str, *, line: int | None = None) -> Diagnostic:
    return Diagnostic(level=level, source=SOURCE_NAME, message=message, file=file, line=line)
