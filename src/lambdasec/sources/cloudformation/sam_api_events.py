"""`Api` and `HttpApi` events: the invoke permission now, the route queued for its API's body."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from lambdasec.sources.cloudformation.sam_context import (
    IMPLICIT_HTTP_API,
    IMPLICIT_REST_API,
    Event,
    Expander,
    Route,
)
from lambdasec.sources.cloudformation.sam_marks import node

__all__ = ["api_event", "http_api_event", "logical_suffix"]

_EXECUTE_API = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/${__Stage__}"
_DEFAULT_PATH = "$default"
_TRAILING_SLASH = re.compile(r"^(.+)/$")
_PATH_PARAMETER = re.compile(r"{([a-zA-Z0-9._-]+|[a-zA-Z0-9._-]+\+|proxy\+)}")


def logical_suffix(value: str) -> str:
    """`value` when alphanumeric, else a 10-hex-digit digest of it (SAM's LogicalIdGenerator idea)."""
    if value.isalnum():
        return value
    return hashlib.sha1(value.encode()).hexdigest()[:10]


def _strip_slash(path: str) -> str:
    """The path as it appears in an execute-api ARN: no trailing slash, `{param}` as `*`."""
    if "{" not in path and not path.endswith("/"):
        return path
    path = _TRAILING_SLASH.sub(r"\1", path)
    return _PATH_PARAMETER.sub("*", path)


def _target_api(
    ex: Expander, event: Event, key: str, apis: dict[str, Any], implicit: str
) -> tuple[Any, str | None]:
    """(value for `__ApiId__`, logical id of the SAM API the route joins or None)."""
    value = event.props.get(key)
    if value is None:
        ex.implicit_lines.setdefault(implicit, event.line)
        return node(event.line, [("Ref", implicit)]), implicit
    target = value.get("Ref") if isinstance(value, dict) else value
    if isinstance(target, str) and target in apis:
        return value, target
    ex.warn(
        f"`{key}` of event `{event.fn.logical_id}.{event.name}` does not reference an API of this template's "
        "`AWS::Serverless::*` resources; permission generated, route unknown",
        event.at(key),
    )
    return value, None


def api_event(ex: Expander, event: Event, _kind: str) -> None:
    """A REST API event: `<Fn><Event>Permission<Stage>` plus a route on the referenced or implicit API."""
    path, method = event.props.get("Path"), event.props.get("Method")
    if not isinstance(path, str) or not isinstance(method, str):
        ex.warn(
            f"event `{event.fn.logical_id}.{event.name}` needs string `Path` and `Method`; ignored",
            event.line,
        )
        return
    api_value, api_id = _target_api(ex, event, "RestApiId", ex.rest_apis, IMPLICIT_REST_API)
    if api_id == IMPLICIT_REST_API:
        suffix = "Prod"
    elif api_id is not None:
        stage = ex.rest_apis[api_id].get("StageName")
        suffix = stage if isinstance(stage, str) and stage else "Stage"
    else:
        suffix = "AllStages"
    verb = "*" if method.lower() == "any" else method.upper()
    source = {
        "Fn::Sub": [f"{_EXECUTE_API}/{verb}{_strip_slash(path)}", {"__ApiId__": api_value, "__Stage__": "*"}]
    }
    ex.permission(
        event, "apigateway.amazonaws.com", suffix=logical_suffix(suffix), extra=(("SourceArn", source),)
    )
    if api_id is not None:
        ex.add_route(api_id, _route(event, path=path, method=method.lower()))


def http_api_event(ex: Expander, event: Event, _kind: str) -> None:
    """An HTTP API event: `<Fn><Event>Permission` plus a route (default `$default` ANY) on its API."""
    path = event.props.get("Path", _DEFAULT_PATH)
    method = event.props.get("Method", "any")
    if not isinstance(path, str) or not isinstance(method, str):
        ex.warn(
            f"`Path` and `Method` of event `{event.fn.logical_id}.{event.name}` must be strings; ignored",
            event.line,
        )
        return
    api_value, api_id = _target_api(ex, event, "ApiId", ex.http_apis, IMPLICIT_HTTP_API)
    any_method = method.lower() in ("any", "x-amazon-apigateway-any-method")
    arn_path = "" if path == _DEFAULT_PATH else _strip_slash(path)
    resource = f"/*{arn_path}" if any_method else f"/{method.upper()}{arn_path}"
    source = {"Fn::Sub": [f"{_EXECUTE_API}{resource}", {"__ApiId__": api_value, "__Stage__": "*"}]}
    ex.permission(event, "apigateway.amazonaws.com", extra=(("SourceArn", source),))
    if api_id is not None:
        ex.add_route(api_id, _route(event, path=path, method="any" if any_method else method.lower()))


def _route(event: Event, *, path: str, method: str) -> Route:
    return Route(
        function=event.fn,
        event=event.name,
        path=path,
        method=method,
        auth=event.props.get("Auth"),
        line=event.line,
        path_line=event.at("Path"),
        timeout=event.props.get("TimeoutInMillis"),
        payload_format_version=event.props.get("PayloadFormatVersion"),
    )
