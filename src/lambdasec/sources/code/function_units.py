"""Each function's unit, flows and notes, made in this process from what its package's job found."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final, NamedTuple

from lambdasec.findings import Diagnostic
from lambdasec.model import CodeUnit, Flow, LambdaFunction, Language, TriggerKind
from lambdasec.records import record
from lambdasec.sources.code.package_job import (
    Absent,
    HandlerRequest,
    JobResult,
    PackageJob,
    rebind,
    rebind_unit,
    too_deep,
)
from lambdasec.sources.code.tree import code_diagnostic

__all__ = ["FunctionPackage", "FunctionResults", "HandlerSetting", "function_package", "function_results"]

Missing = tuple[str | None, int | None, str]
_LISTED: Final = 5


class HandlerSetting(NamedTuple):
    """What a function's handler analysis depends on: its Handler, the languages its runtime may run,
    its kinds of trigger (sorted) and whether an API route or a function URL invokes it."""

    handler: str
    languages: tuple[Language, ...]
    triggers: tuple[TriggerKind, ...]
    http: bool


@record
class FunctionPackage:
    """A package's job with the functions it serves: `sent[i]` is the index, among the job's requests, of
    the one sent for `functions[i]` (one is sent per distinct handler setting)."""

    job: PackageJob
    functions: tuple[LambdaFunction, ...]
    sent: tuple[int, ...]


@record
class FunctionResults:
    """The functions' units and flows (in the order of the functions), notes, and handlers not found."""

    units: tuple[CodeUnit, ...]
    flows: tuple[Flow, ...]
    diagnostics: tuple[Diagnostic, ...]
    missing: tuple[Missing, ...]


def function_package(
    key: str, *, path: Path, functions: Sequence[tuple[LambdaFunction, HandlerSetting]]
) -> FunctionPackage:
    """The job for the package at `path` (shown as `key`), sending one request per distinct setting.

    Many functions often share a package and a few handler settings: the job (maybe in a worker process)
    resolves and analyses each setting once, and `function_results` makes the per-function objects in
    the process that keeps them, so they are never copied between processes.
    """
    index: dict[HandlerSetting, int] = {}
    sent: list[int] = []
    first: list[HandlerRequest] = []
    for fn, setting in functions:
        position = index.get(setting)
        if position is None:
            position = index[setting] = len(first)
            first.append(
                HandlerRequest(
                    function=fn.key,
                    name=fn.display_name,
                    identity=fn.fingerprint_name,
                    handler=setting.handler,
                    languages=setting.languages,
                    triggers=setting.triggers,
                    http=setting.http,
                    declared=fn.origin,
                )
            )
        sent.append(position)
    return FunctionPackage(
        job=PackageJob(key=key, path=path, requests=tuple(first)),
        functions=tuple(fn for fn, _ in functions),
        sent=tuple(sent),
    )


def function_results(package: FunctionPackage, result: JobResult) -> FunctionResults:
    """Each function's unit and flows, its warning when the handler lacks its symbol, its error when the
    code nests too deeply, and the functions whose handler is not in the package."""
    units: list[CodeUnit] = []
    flows: list[Flow] = []
    absent: list[Diagnostic] = []
    malformed: list[Diagnostic] = []
    deep: list[Diagnostic] = []
    missing: list[Missing] = []
    if not result.outcomes:  # the package could not be opened
        return FunctionResults(units=(), flows=(), diagnostics=result.diagnostics, missing=())
    requests, outcomes = package.job.requests, result.outcomes
    for fn, position in zip(package.functions, package.sent, strict=True):
        outcome = outcomes[position]  # the function shares the setting of the request at `position`
        made = outcome.unit
        if made is not None:
            unit = rebind_unit(made, function=fn.key, identity=fn.fingerprint_name)
            units.append(unit)
            if outcome.too_deep:
                deep.append(too_deep(unit))
            elif outcome.flows:  # found for the request sent; the same flows, bound to this function
                flows.extend(rebind(flow, unit=unit) for flow in outcome.flows)
            continue
        request = requests[position]
        if outcome.absent is not None:
            lacks = _absent(request, outcome.absent)
            message = f"handler `{request.handler}` of `{fn.display_name}`: {lacks}"
            absent.append(code_diagnostic(message, file=outcome.absent.file, error=False))
        elif outcome.malformed:
            message = f"handler `{request.handler}` of `{fn.display_name}` is malformed: {_form(request)}"
            malformed.append(
                code_diagnostic(message, file=fn.origin.file, line=fn.origin.line_of("handler"), error=False)
            )
        elif outcome.missing:
            note = f"`{fn.display_name}` ({request.handler} in {package.job.key})"
            missing.append((fn.origin.file, fn.origin.line_of("handler"), note))
    return FunctionResults(
        units=tuple(units),
        flows=tuple(flows),
        diagnostics=(*malformed, *absent, *deep, *result.diagnostics),
        missing=tuple(missing),
    )


def _form(request: HandlerRequest) -> str:
    """What the runtime loads instead, for a setting it cannot load."""
    if request.languages == (Language.PYTHON,):
        form = "`module.function` (`app.handler`, `pkg/app.handler`)"
    else:
        form = "`file.export` (`index.handler`, `src/index.handler`) and refuses `..`"
    return f"the runtime takes {form}, so every invocation fails and its code is not analysed"


def _absent(request: HandlerRequest, absent: Absent) -> str:
    """What the file lacks and, when its language lists them, the settings that do reach its exports."""
    if absent.exports is None:
        return f"no `{absent.symbol}` in {absent.path}"
    if not absent.exports:
        return f"no export `{absent.symbol}` in {absent.path} (it has no named exports)"
    module = request.handler.strip().removesuffix(absent.symbol)
    settings = ", ".join(f"`{module}{name}`" for name in absent.exports[:_LISTED])
    more = f" and {len(absent.exports) - _LISTED} more" if len(absent.exports) > _LISTED else ""
    missing = f"no export `{absent.symbol}` in {absent.path}"
    return f"{missing} (the settings that reach its exports: {settings}{more})"
