"""Serverless Framework v3/v4 `serverless.yml`: resolve variables, compile to SAM, map as CloudFormation."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Final

from lambdasec.collector import collector_paused
from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, LambdaFunction, SourceKind
from lambdasec.records import record
from lambdasec.shared_jobs import run_shared
from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.mapping import map_template
from lambdasec.sources.cloudformation.sam import expand_sam
from lambdasec.sources.cloudformation.template import MAX_TEMPLATE_BYTES, Template
from lambdasec.sources.interface import InputFile, SourceOutput
from lambdasec.sources.pool import workers_for_files
from lambdasec.sources.serverless.compile import compile_service
from lambdasec.sources.serverless.dotenv import dotenv_environment
from lambdasec.sources.serverless.variables import VariableResolver
from lambdasec.sources.yaml_events import load_template_text
from lambdasec.sources.yaml_loader import MarkedDict, YamlDialect, YamlError

__all__ = ["ServerlessSource", "load_serverless"]

_SAM_TAG: Final = ("lambda:createdBy", "SAM")


# Sharing pays only for several services with enough YAML between them: forking, and sending each
# service's inventory back, cost more than they save for less. Reading services of 100 functions (27 KB
# each) on a 2-CPU machine, one process / shared with a forked copy: 10 files 0.21 s / 0.15 s, 100 files
# 2.1 s / 1.3 s.
_PARALLEL_FILES: Final = 8
_PARALLEL_BYTES: Final = 200 * 1024


class ServerlessSource:
    """Loads serverless.yml files; `environ` feeds `${env:X}`, `options` feeds `${opt:X}` (stage, region),
    `params` feeds `${param:X}` ahead of the file's stage parameters (`--param`).

    `workers` forces how many processes share the services (0 or 1: this one only); by default several
    large services are shared by one process per CPU where the platform can fork. `meanwhile` (the
    scan's own work, which the services do not need) runs here once the forked copies have started on
    the services, before the services when there are none.
    """

    kind = SourceKind.SERVERLESS

    def __init__(
        self,
        *,
        environ: Mapping[str, str] | None = None,
        options: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        workers: int | None = None,
        meanwhile: Callable[[], None] | None = None,
    ) -> None:
        self.environ: Mapping[str, str] = dict(environ or {})
        self.options: Mapping[str, str] = dict(options or {})
        self.params: Mapping[str, str] = dict(params or {})
        self.workers = workers
        self.meanwhile = meanwhile

    def load(self, files: tuple[InputFile, ...], *, root: Path) -> SourceOutput:
        """Every service among `files` as one inventory, plus what could not be understood.

        Many services are shared between this process and forked copies of it (`run_shared`): each
        reads, resolves, compiles and maps the next service not yet taken, and a copy sends back the
        inventories it built. The result is the same either way.
        """
        del root
        parts: list[Inventory] = []
        diagnostics: list[Diagnostic] = []
        loaded: list[str] = []
        processes = (
            workers_for_files(files, min_files=_PARALLEL_FILES, min_bytes=_PARALLEL_BYTES)
            if self.workers is None
            else self.workers
        )
        settings = {"environ": self.environ, "options": self.options, "params": self.params}
        jobs = [partial(load_serverless, item, **settings) for item in files]
        with collector_paused():
            results = run_shared(jobs, processes=processes, first=self.meanwhile)
        for item, (inventory, found) in zip(files, results, strict=True):
            diagnostics.extend(found)
            if inventory is not None:
                parts.append(inventory)
                loaded.append(item.display)
        return SourceOutput(
            inventory=Inventory.merge(parts), diagnostics=tuple(diagnostics), files=tuple(loaded)
        )


@record
class _Compiled:
    """A service compiled and expanded to plain CloudFormation (None when unreadable), and its diagnostics."""

    body: MarkedDict | None
    diagnostics: tuple[Diagnostic, ...]
    pseudo: tuple[tuple[str, str], ...] = ()


def load_serverless(
    item: InputFile,
    *,
    environ: Mapping[str, str],
    options: Mapping[str, str],
    params: Mapping[str, str] | None = None,
) -> tuple[Inventory | None, tuple[Diagnostic, ...]]:
    """One serverless.yml as an inventory (None when it cannot be read) and its diagnostics; never raises."""
    return _mapped(item, _compile_file(item, environ=environ, options=options, params=params or {}))


def _compile_file(
    item: InputFile, *, environ: Mapping[str, str], options: Mapping[str, str], params: Mapping[str, str]
) -> _Compiled:
    """One serverless.yml read, its variables resolved, compiled to SAM and expanded; never raises."""
    diagnostics = Diagnostics(file=item.display, source=SourceKind.SERVERLESS)
    document = _read(item, diagnostics)
    if document is None:
        return _Compiled(body=None, diagnostics=diagnostics.items)
    # The stage picks `.env.<stage>`; this pass's diagnostics would repeat in the next one and are dropped.
    stage = VariableResolver(
        document,
        environ=environ,
        options=options,
        diagnostics=Diagnostics(file=item.display, source=SourceKind.SERVERLESS),
        params=params,
        base=item.path.parent,
    ).stage()
    # The process environment wins over `.env` files, as for the framework.
    dotenv = dotenv_environment(item.path, document=document, stage=stage, diagnostics=diagnostics)
    environ = {**dotenv, **environ}
    resolver = VariableResolver(
        document,
        environ=environ,
        options=options,
        diagnostics=diagnostics,
        params=params,
        base=item.path.parent,
    )
    resolved = resolver.document()
    body = compile_service(
        resolved,
        stage=resolver.stage(),
        region=resolver.region(),
        diagnostics=diagnostics,
        unknown=resolver.unknown(),
    )
    expansion = expand_sam(body, file=item.display, sam_tags=False)
    return _Compiled(
        body=expansion.template,
        diagnostics=(*diagnostics.items, *expansion.diagnostics),
        pseudo=_deployment(resolved, options=options, stage=resolver.stage(), unknown=resolver.unknown()),
    )


def _deployment(
    document: MarkedDict, *, options: Mapping[str, str], stage: str, unknown: frozenset[str]
) -> tuple[tuple[str, str], ...]:
    """The pseudo parameters a service's stack is known to have: `AWS::Region` when the region is set
    (`--region` or `provider.region`, not the framework's default), `AWS::StackName` when the service
    and stage are known (`provider.stackName`, else `<service>-<stage>`)."""
    provider = document.get("provider")
    settings = provider if isinstance(provider, dict) else {}
    out: list[tuple[str, str]] = []
    region = options.get("region", settings.get("region"))
    if isinstance(region, str) and "region" not in unknown:
        out.append(("AWS::Region", region))
    service = document.get("service")
    if isinstance(service, dict):  # v1's `service: {name: ...}`
        service = service.get("name")
    stack = settings.get("stackName")
    if not isinstance(stack, str) and isinstance(service, str) and "stage" not in unknown:
        stack = f"{service}-{stage}"
    if isinstance(stack, str):
        out.append(("AWS::StackName", stack))
    return tuple(out)


def _mapped(item: InputFile, compiled: _Compiled) -> tuple[Inventory | None, tuple[Diagnostic, ...]]:
    """The compiled service mapped as CloudFormation, with its diagnostics after the compiler's."""
    if compiled.body is None:
        return None, compiled.diagnostics
    mapped = map_template(
        Template(file=item.display, source=SourceKind.SERVERLESS, body=compiled.body, pseudo=compiled.pseudo)
    )
    inventory = dataclasses.replace(
        mapped.inventory, functions=tuple(map(_without_sam_tag, mapped.inventory.functions))
    )
    return inventory, (*compiled.diagnostics, *mapped.diagnostics)


def _without_sam_tag(function: LambdaFunction) -> LambdaFunction:
    """The function without a `lambda:createdBy: SAM` tag (the framework adds none; SAM would)."""
    if isinstance(function.tags, tuple) and _SAM_TAG in function.tags:
        return dataclasses.replace(function, tags=tuple(tag for tag in function.tags if tag != _SAM_TAG))
    return function


def _read(item: InputFile, diagnostics: Diagnostics) -> MarkedDict | None:
    document = _read_script(item, diagnostics) if _is_script(item) else _read_yaml(item, diagnostics)
    if document is None:
        return None
    if "service" not in document and "provider" not in document:
        return None  # not a service: a part one includes (`functions: - ${file(./orders/serverless.yml)}`)
    if "service" not in document or "provider" not in document:
        diagnostics.error(
            "not a Serverless Framework service: needs top-level `service` and `provider`", None
        )
        return None
    return document


def _is_script(item: InputFile) -> bool:
    """A `serverless.ts` / `.js` / `.mjs` / `.cjs` configuration."""
    return item.path.suffix.lower() in (".ts", ".js", ".mjs", ".cjs")


def _read_script(item: InputFile, diagnostics: Diagnostics) -> MarkedDict | None:
    from lambdasec.sources.serverless.script import load_script  # only script configurations need a parser

    return load_script(item.path, display=item.display, diagnostics=diagnostics)


def _read_yaml(item: InputFile, diagnostics: Diagnostics) -> MarkedDict | None:
    try:
        if item.path.stat().st_size > MAX_TEMPLATE_BYTES:
            diagnostics.error(
                f"file is over the {MAX_TEMPLATE_BYTES // (1024 * 1024)} MiB limit; not read", None
            )
            return None
        text = item.path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        diagnostics.error(f"cannot read file: {exc.strerror or exc}", None)
        return None
    except UnicodeDecodeError as exc:
        diagnostics.error(f"not a text file (invalid UTF-8 at byte {exc.start}); not read", None)
        return None
    try:
        document = load_template_text(text, dialect=YamlDialect.JS_YAML)
    except YamlError as exc:
        diagnostics.error(f"invalid YAML: {exc.message}", exc.line)
        return None
    if not isinstance(document, MarkedDict):
        diagnostics.error(
            "not a Serverless Framework service: needs top-level `service` and `provider`", None
        )
        return None
    return document
