"""Model-level tests of LS206 function-url-cors-any-origin."""

from __future__ import annotations

from api_factories import make_cors_url
from factories import make_function, make_inventory, run
from lambdasec.findings import Severity
from lambdasec.model import Cors, Unresolved
from lambdasec.rules.exposure.function_url_cors_any_origin import function_url_cors_any_origin as rule

FIELDS = {"cors": 10, "cors.allow_origins": 11, "cors.allow_credentials": 12}


def test_any_origin_is_medium_at_the_origins_line() -> None:
    inv = make_inventory(
        functions=[make_function("orders-api")],
        function_urls=[make_cors_url(cors=Cors(allow_origins=("https://a.example", "*")), fields=FIELDS)],
    )
    (finding,) = run(rule, inv).findings
    assert (finding.severity, finding.location.line) == (Severity.MEDIUM, 11)
    assert finding.message == (
        "Function URL of `orders-api` allows any origin (`*`) in its CORS settings, so every web site can "
        "call it from a visitor's browser and read the response"
    )
    assert dict(finding.properties) == {"allow_credentials": "false"}


def test_any_origin_with_credentials_is_high_at_the_credentials_line() -> None:
    inv = make_inventory(
        functions=[make_function("orders-api")],
        function_urls=[
            make_cors_url(cors=Cors(allow_origins=(" * ",), allow_credentials=True), fields=FIELDS)
        ],
    )
    (finding,) = run(rule, inv).findings
    assert (finding.severity, finding.location.line) == (Severity.HIGH, 12)
    assert "with `AllowCredentials: true`" in finding.message


def test_listed_origins_and_no_cors_are_not_reported() -> None:
    inv = make_inventory(
        function_urls=[
            make_cors_url(
                cors=Cors(allow_origins=("https://shop.example.com",), allow_credentials=True), key="A"
            ),
            make_cors_url(cors=None, key="B"),
            make_cors_url(cors=Cors(), key="C"),
        ]
    )
    outcome = run(rule, inv)
    assert outcome.findings == []
    assert outcome.coverage.evaluated == 3


def test_unknown_origins_are_not_evaluated_unless_a_wildcard_is_listed() -> None:
    inv = make_inventory(
        function_urls=[
            make_cors_url(cors=Unresolved("!If [Prod, ...]"), key="WholeCors"),
            make_cors_url(cors=Cors(allow_origins=Unresolved("!Ref Origins")), key="OriginList"),
            make_cors_url(cors=Cors(allow_origins=(Unresolved("!Ref Origin"),)), key="OneOrigin"),
            make_cors_url(
                cors=Cors(
                    allow_origins=(Unresolved("!Ref Origin"), "*"), allow_credentials=Unresolved("!Ref C")
                ),
                key="Wildcard",
            ),
        ]
    )
    outcome = run(rule, inv)
    assert [(f.resource.id, f.severity, dict(f.properties)) for f in outcome.findings] == [
        ("Wildcard", Severity.MEDIUM, {"allow_credentials": "unknown"})
    ]
    assert outcome.coverage.unevaluated == (
        ("WholeCors", "CORS settings unknown: !If [Prod, ...]"),
        ("OriginList", "CORS origins unknown: !Ref Origins"),
        ("OneOrigin", "CORS origin unknown: !Ref Origin"),
    )
