"""The SAM transform: `AWS::Serverless::*` -> the CloudFormation SAM would generate, with line marks."""

# `expand_sam(template, file=...)` is structural, like the real translator (aws-sam-translator): intrinsics
# stay in place for the CloudFormation source to resolve; only what SAM itself resolves is resolved
# (Globals, policy template parameters, event wiring). Every emitted dict/list is a
# `MarkedDict`/`MarkedList` whose lines point at the SAM line that caused it: a generated role's statements
# at their `Policies` entry, a function URL at `FunctionUrlConfig` (its `AuthType` key at the SAM `AuthType`
# line), an event's resources at the event's line; copied properties keep their original marked values. The
# input is never mutated.
#
# Keys and markers the expansion adds for the CloudFormation mapper:
#
# - `Code: {"lambdasec:LocalPath": <path>}` (and `Content` of a layer): a local `CodeUri`/`ContentUri`
#   exactly as written, relative to the template's directory (`.` when a zip function sets no code, as `sam
#   build` does).
# - `Metadata: {"lambdasec:EventType": <SAM event type>}` on a generated event source mapping (SQS,
#   Kinesis, MSK, ...): it names the source service when the source ARN is not known.
# - `Metadata: {"lambdasec:implicit": true}`: the public permissions SAM adds for a function URL with
#   `AuthType: NONE` (`<Fn>UrlPublicPermissions`, `<Fn>URLInvokeAllowPublicAccess`). They restate the URL's
#   auth type; rules about the URL report them, rules about resource policies should not report them again.
# - `Metadata.lambdasec` (suppressions) of a SAM resource is copied to every resource generated from it.
# - API bodies: each route's `security` lists `{<authorizer>: [scopes]}`, `{"AWS_IAM": []}` (the method also
#   gets `x-amazon-apigateway-auth: {type: AWS_IAM}`), `{"api_key": []}`, or SAM's `{"NONE": []}` marker for
#   a route that opts out of the API's default authorizer. A method without `security` has no authorization.
#
# Logical ids follow SAM: `<Fn>Role`, `<Fn>Url`, `<Fn>UrlPublicPermissions`, `<Fn>Alias<Name>`,
# `<Fn>Version<digest>`, `<Fn>EventInvokeConfig`, `<Fn><Event>` (rule, mapping, subscription),
# `<Fn><Event>Permission` (`...Permission<Stage>` for REST API events), `ServerlessRestApi` (stage `Prod`),
# `ServerlessHttpApi` (stage `$default`), `<Api><Stage>Stage`, `<Api>Deployment<digest>`. Connectors that
# involve a function give `<Connector>Policy` (a managed policy on the function's role) or
# `<Connector>WriteLambdaPermission`; an embedded connector's id is `<Source><Name>`. Layers keep their
# own logical id (SAM adds a digest). Problems in the template become warning diagnostics and the offending
# part is skipped; the transform never raises for template content.

from __future__ import annotations

from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.records import record
from lambdasec.sources.cloudformation.sam_connectors import expand_connectors
from lambdasec.sources.cloudformation.sam_context import IMPLICIT_HTTP_API, IMPLICIT_REST_API, Expander
from lambdasec.sources.cloudformation.sam_function import expand_function
from lambdasec.sources.cloudformation.sam_globals import Globals, parse_globals
from lambdasec.sources.cloudformation.sam_http_api import build_http_api
from lambdasec.sources.cloudformation.sam_marks import copy_dict, key_line, node, put, seq
from lambdasec.sources.cloudformation.sam_refs import published_refs, with_published_refs
from lambdasec.sources.cloudformation.sam_resources import expand_layer, expand_simple_table
from lambdasec.sources.cloudformation.sam_rest_api import build_rest_api
from lambdasec.sources.cloudformation.sam_state_machine import expand_state_machine
from lambdasec.sources.yaml_loader import MarkedDict

__all__ = ["SAM_TRANSFORM", "SamExpansion", "expand_sam"]

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"

_PREFIX = "AWS::Serverless::"
_FUNCTION = "AWS::Serverless::Function"
_API = "AWS::Serverless::Api"
_HTTP_API = "AWS::Serverless::HttpApi"
_LAYER = "AWS::Serverless::LayerVersion"
_TABLE = "AWS::Serverless::SimpleTable"
_STATE_MACHINE = "AWS::Serverless::StateMachine"
# SAM types passed through unchanged: the CloudFormation source reads what it knows of them.
_KEPT = frozenset({"Application", "Connector", "GraphQLApi", "WebSocketApi", "CapacityProvider"})


@record
class SamExpansion:
    """The expanded template (plain CloudFormation) and what could not be expanded.

    `includes` is True when the expansion wrote `AWS::Include` transforms of local files (a state
    machine's `DefinitionUri`), which the caller expands like the template's own.
    """

    template: MarkedDict
    diagnostics: tuple[Diagnostic, ...]
    includes: bool = False


def expand_sam(template: MarkedDict, *, file: str, sam_tags: bool = True) -> SamExpansion:
    """Replace the template's `AWS::Serverless::*` resources by what SAM generates; never raises.

    With `sam_tags` False, functions do not get the `lambda:createdBy: SAM` tag (for templates that
    another tool compiled to SAM). The sources call this with the garbage collector paused.
    """
    return _expand(template, file=file, sam_tags=sam_tags)


def _expand(template: MarkedDict, *, file: str, sam_tags: bool) -> SamExpansion:
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        ex = Expander(file=file, source=MarkedDict(template.line))
        ex.warn("`Resources` must be a mapping; nothing to expand", key_line(template, "Resources", 1))
        return SamExpansion(template=template, diagnostics=tuple(ex.diagnostics))
    source = resources if isinstance(resources, MarkedDict) else copy_dict(resources)
    ex = Expander(file=file, source=source, sam_tags=sam_tags, parameters=template.get("Parameters"))
    globals_line = key_line(template, "Globals", 1)
    globals_ = parse_globals(template.get("Globals"), line=globals_line, warn=ex.warn)

    sam: list[tuple[str, str, Any]] = []
    for logical_id, resource in source.items():
        kind = resource.get("Type") if isinstance(resource, dict) else None
        if not isinstance(kind, str) or not kind.startswith(_PREFIX):
            continue
        short = kind.removeprefix(_PREFIX)
        if short in _KEPT:
            continue
        line = ex.resource_line(logical_id)
        if kind not in (_FUNCTION, _API, _HTTP_API, _LAYER, _TABLE, _STATE_MACHINE):
            ex.warn(f"`{logical_id}` has an unknown SAM type `{kind}`; kept as is", line)
            continue
        props = globals_.merge(kind, resource.get("Properties"), ignore=resource.get("IgnoreGlobals"))
        if props is None:
            props = MarkedDict(line)
        if not isinstance(props, dict):
            at = key_line(resource, "Properties", line)
            ex.warn(f"`Properties` of `{logical_id}` must be a mapping; resource skipped", at)
            ex.drop(logical_id)
            continue
        if not isinstance(props, MarkedDict):
            props = copy_dict(props, line)
        if kind == _API:
            ex.rest_apis[logical_id] = props
        elif kind == _HTTP_API:
            ex.http_apis[logical_id] = props
        sam.append((logical_id, kind, props))

    includes = False
    for logical_id, kind, props in sam:
        line = ex.resource_line(logical_id)
        if kind == _FUNCTION:
            expand_function(ex, logical_id, source[logical_id], props)
        elif kind == _LAYER:
            expand_layer(ex, logical_id, props, line=line)
        elif kind == _TABLE:
            expand_simple_table(ex, logical_id, props, line=line)
        elif kind == _STATE_MACHINE:
            includes = expand_state_machine(ex, logical_id, props, line=line) or includes
    for logical_id, props in ex.rest_apis.items():
        build_rest_api(ex, logical_id, props, line=ex.resource_line(logical_id), implicit=False)
    for logical_id, props in ex.http_apis.items():
        build_http_api(ex, logical_id, props, line=ex.resource_line(logical_id), implicit=False)
    _build_implicit_apis(ex, globals_)
    expand_connectors(ex)
    refs = published_refs(ex.out)
    if refs:  # `!Ref Fn.Version` / `!Ref Fn.Alias` name what AutoPublishAlias generated
        for logical_id, body in ex.out.items():
            ex.out[logical_id] = with_published_refs(body, refs)
    return SamExpansion(template=_output(template, ex), diagnostics=tuple(ex.diagnostics), includes=includes)


def _build_implicit_apis(ex: Expander, globals_: Globals) -> None:
    for api_id, kind, stage in ((IMPLICIT_REST_API, _API, "Prod"), (IMPLICIT_HTTP_API, _HTTP_API, None)):
        line = ex.implicit_lines.get(api_id)
        if line is None:
            continue
        base = node(line, [("StageName", stage)] if stage else [])
        props = globals_.merge(kind, base)
        if kind == _API:
            build_rest_api(ex, api_id, props, line=line, implicit=True)
        else:
            build_http_api(ex, api_id, props, line=line, implicit=True)


def _output(template: MarkedDict, ex: Expander) -> MarkedDict:
    out = copy_dict(template)
    out.pop("Globals", None)
    out.key_lines.pop("Globals", None)
    out["Resources"] = ex.out
    if ex.conditions:
        declared = template.get("Conditions")
        conditions = copy_dict(declared) if isinstance(declared, dict) else node(0)
        for name, condition in ex.conditions.items():
            put(conditions, name, condition, condition.line)
        out["Conditions"] = conditions
    transform = template.get("Transform")
    if transform == SAM_TRANSFORM:
        out.pop("Transform")
        out.key_lines.pop("Transform", None)
    elif isinstance(transform, list) and SAM_TRANSFORM in transform:
        others = [
            (item, key_line(transform, index, 0))
            for index, item in enumerate(transform)
            if item != SAM_TRANSFORM
        ]
        put(
            out,
            "Transform",
            seq(getattr(transform, "line", 0), [t for t, _ in others], [at for _, at in others]),
            key_line(template, "Transform", 0),
        )
    return out
