"""Terraform API Gateway blocks mapped to the model: REST and HTTP/WebSocket APIs, routes, stages."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdasec.model import (
    Api,
    ApiKind,
    ApiRoute,
    ApiStage,
    AuthorizationKind,
    Authorizer,
    Inventory,
    SourceKind,
    Throttling,
    Unresolved,
)
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource

ROOT = Path(__file__).resolve().parent / "terraform"


def _inventory(name: str) -> Inventory:
    item = InputFile(path=ROOT / "api" / name, display=f"api/{name}", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=ROOT)
    assert output.diagnostics == ()
    return output.inventory


def _line(name: str, marker: str) -> int:
    lines = (ROOT / "api" / name).read_text(encoding="utf-8").splitlines()
    found = [n for n, text in enumerate(lines, start=1) if marker in text]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def rest() -> Inventory:
    return _inventory("rest.tf")


@pytest.fixture(scope="module")
def http() -> Inventory:
    return _inventory("http.tf")


def _route(inv: Inventory, key: str) -> ApiRoute:
    return next(r for r in inv.api_routes if r.key == key)


def _stage(inv: Inventory, key: str) -> ApiStage:
    return next(s for s in inv.api_stages if s.key == key)


R = "api/rest.tf#"
H = "api/http.tf#"


def test_rest_apis_named_or_titled_by_their_body(rest: Inventory) -> None:
    assert [(a.key, a.kind, a.name) for a in rest.apis] == [
        (R + "aws_api_gateway_rest_api.shop", ApiKind.REST, "shop"),
        (R + "aws_api_gateway_rest_api.spec", ApiKind.REST, "spec-api"),
    ]


def test_method_joins_its_integration_path_and_function(rest: Inventory) -> None:
    route = _route(rest, R + "aws_api_gateway_method.list")
    assert (route.api, route.method, route.path) == (R + "aws_api_gateway_rest_api.shop", "GET", "/orders")
    assert route.function == R + "aws_lambda_function.orders"
    assert route.qualifier is None
    assert route.authorization is AuthorizationKind.NONE
    assert route.authorizer is None
    assert route.api_key_required is False
    assert route.integration_timeout_ms == 10000
    # the per-method setting `orders/GET` wins over the stage-wide one
    assert route.throttling == Throttling(rate_limit=5.0, burst_limit=None)
    assert route.origin.line == _line("rest.tf", 'resource "aws_api_gateway_method" "list"')
    assert route.origin.line_of("integration_timeout_ms") == _line(
        "rest.tf", "timeout_milliseconds    = 10000"
    )


def test_method_with_authorizer_key_alias_and_usage_plan(rest: Inventory) -> None:
    route = _route(rest, R + "aws_api_gateway_method.get")
    assert (route.method, route.path) == ("GET", "/orders/{id}")
    assert route.function == R + "aws_lambda_function.orders"
    assert route.qualifier == "live"
    assert route.authorization is AuthorizationKind.CUSTOM
    assert route.authorizer == R + "aws_api_gateway_authorizer.token"
    assert route.api_key_required is True
    assert route.throttling == Throttling(rate_limit=2.0, burst_limit=4)  # the usage plan's limits
    assert route.origin.line_of("authorization") == _line("rest.tf", 'authorization    = "CUSTOM"')


def test_methods_without_a_lambda_integration_are_not_routes(rest: Inventory) -> None:
    assert R + "aws_api_gateway_method.mock" not in {r.key for r in rest.api_routes}


def test_rest_authorizer_defaults_to_token(rest: Inventory) -> None:
    assert rest.authorizers == (
        Authorizer(
            key=R + "aws_api_gateway_authorizer.token",
            api=R + "aws_api_gateway_rest_api.shop",
            kind=AuthorizationKind.CUSTOM,
            function=R + "aws_lambda_function.auth",
            origin=rest.authorizers[0].origin,
        ),
    )


def test_rest_stage_with_method_settings_logs_and_tracing(rest: Inventory) -> None:
    stage = _stage(rest, R + "aws_api_gateway_stage.prod")
    assert stage.api == R + "aws_api_gateway_rest_api.shop"
    assert stage.name == "prod"
    assert stage.throttling == Throttling(rate_limit=100.0, burst_limit=50)
    assert stage.access_logging is True
    assert stage.tracing is True
    assert stage.origin.line_of("access_logging") == _line("rest.tf", 'destination_arn = "arn:aws:logs')


def test_deployment_with_a_stage_name_creates_a_bare_stage(rest: Inventory) -> None:
    stage = _stage(rest, R + "aws_api_gateway_deployment.legacy/legacy")
    assert (stage.name, stage.throttling, stage.access_logging, stage.tracing) == (
        "legacy",
        None,
        False,
        False,
    )
    assert stage.origin.resource == "aws_api_gateway_deployment.legacy/legacy"
    assert [s.key for s in rest.api_stages] == [
        R + "aws_api_gateway_stage.prod",
        R + "aws_api_gateway_deployment.legacy/legacy",
    ]


def test_body_routes_with_security_schemes_and_literal_uris(rest: Inventory) -> None:
    api = R + "aws_api_gateway_rest_api.spec"
    get = _route(rest, api + "/GET /items")
    assert (get.function, get.authorization, get.api) == (
        R + "aws_lambda_function.orders",
        AuthorizationKind.NONE,
        api,
    )
    assert get.origin.line == _line("rest.tf", "        get = {")
    post = _route(rest, api + "/POST /items")
    assert post.function == "arn:aws:lambda:us-east-1:111122223333:function:other:blue"
    assert post.qualifier == "blue"
    assert post.authorization is AuthorizationKind.AWS_IAM
    assert post.integration_timeout_ms == 5000


def test_http_api_routes_integrations_and_authorizer(http: Inventory) -> None:
    listing = _route(http, H + "aws_apigatewayv2_route.list")
    assert (listing.method, listing.path, listing.function) == (
        "GET",
        "/orders",
        H + "aws_lambda_function.orders",
    )
    assert listing.authorization is AuthorizationKind.NONE
    assert listing.integration_timeout_ms == 12000
    assert listing.throttling == Throttling(rate_limit=3.0, burst_limit=None)  # route_settings
    create = _route(http, H + "aws_apigatewayv2_route.create")
    assert create.authorization is AuthorizationKind.JWT
    assert create.authorizer == H + "aws_apigatewayv2_authorizer.jwt"
    assert create.throttling is None
    assert create.origin.line_of("authorization") == _line("http.tf", 'authorization_type = "JWT"')
    assert [(a.key, a.kind, a.function) for a in http.authorizers] == [
        (H + "aws_apigatewayv2_authorizer.jwt", AuthorizationKind.JWT, None)
    ]


def test_http_stage_default_route_settings_and_access_logs(http: Inventory) -> None:
    stage = _stage(http, H + "aws_apigatewayv2_stage.default")
    assert stage.throttling == Throttling(rate_limit=20.0, burst_limit=40)
    assert stage.access_logging is True
    socket = _stage(http, H + "aws_apigatewayv2_stage.socket")
    assert socket.name == Unresolved("var.socket_stage")
    assert (socket.throttling, socket.access_logging) == (None, False)


def test_quick_create_gives_a_default_route_and_stage(http: Inventory) -> None:
    api = H + "aws_apigatewayv2_api.quick"
    route = _route(http, api + "/$default")
    assert (route.method, route.path, route.function) == ("ANY", "$default", H + "aws_lambda_function.orders")
    assert route.authorization is AuthorizationKind.NONE
    assert route.origin.line == _line("http.tf", "target        = aws_lambda_function.orders.arn")
    stage = _stage(http, api + "/$default")
    assert (stage.api, stage.name, stage.throttling, stage.access_logging) == (api, "$default", None, False)


def test_websocket_api_and_connect_route(http: Inventory) -> None:
    socket = next(a for a in http.apis if a.key == H + "aws_apigatewayv2_api.socket")
    assert socket == Api(key=socket.key, kind=ApiKind.WEBSOCKET, name="socket", origin=socket.origin)
    connect = _route(http, H + "aws_apigatewayv2_route.connect")
    assert (connect.method, connect.path, connect.authorization) == (
        "$connect",
        "$connect",
        AuthorizationKind.AWS_IAM,
    )
