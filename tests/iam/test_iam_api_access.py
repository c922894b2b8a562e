"""REST API resource policies read for anonymous callers from the internet: public, restricted, or unknown."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from factories import make_origin
from lambdasec.iam.api_access import ApiAccess, anonymous_access
from lambdasec.iam.documents import parse_document
from lambdasec.model import Condition, PolicyDocument, Unresolved

ALLOW_ALL: dict[str, Any] = {
    "Effect": "Allow",
    "Principal": "*",
    "Action": "execute-api:Invoke",
    "Resource": "execute-api:/*",
}


def policy(*statements: dict[str, Any]) -> PolicyDocument:
    document = parse_document({"Statement": list(statements)}, origin=make_origin("Api/Policy", 3))
    assert isinstance(document, PolicyDocument)
    return document


def access(
    document: PolicyDocument,
    *,
    stages: tuple[str | Unresolved, ...] = ("prod",),
    method: str = "GET",
    path: str = "/orders/{id}",
) -> ApiAccess | Unresolved:
    return anonymous_access(document, stages=stages, method=method, path=path)


def deny(condition: dict[str, Any], resource: str = "execute-api:/*") -> dict[str, Any]:
    return {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "execute-api:Invoke",
        "Resource": resource,
        "Condition": condition,
    }


def test_allow_everyone_is_public() -> None:
    assert access(policy(ALLOW_ALL)) == ApiAccess(public=True)


def test_allow_everyone_by_arn_pattern_and_wildcard_action() -> None:
    statement = {**ALLOW_ALL, "Action": "execute-api:*", "Resource": "arn:aws:execute-api:*:*:*"}
    assert access(policy(statement)) == ApiAccess(public=True)


def test_time_window_or_https_conditions_keep_it_public() -> None:
    windowed = {**ALLOW_ALL, "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2022-09-01T00:00:00Z"}}}
    https_only = deny({"Bool": {"aws:SecureTransport": "false"}})
    assert access(policy(windowed, https_only)) == ApiAccess(public=True)


def test_vpc_endpoint_deny_restricts_to_the_endpoint() -> None:
    document = policy(ALLOW_ALL, deny({"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c"}}))
    assert access(document) == ApiAccess(
        public=False, restrictions=("only requests from VPC endpoints (`aws:SourceVpce`)",)
    )


def test_vpc_endpoint_deny_binds_even_when_the_endpoint_is_unknown() -> None:
    document = policy(ALLOW_ALL, deny({"StringNotEquals": {"aws:SourceVpce": "x"}}))
    unknown = Condition(operator="StringNotEquals", key="aws:SourceVpce", values=(Unresolved("!Ref Vpce"),))
    statements = (document.statements[0], replace(document.statements[1], conditions=(unknown,)))
    assert access(replace(document, statements=statements)) == ApiAccess(
        public=False, restrictions=("only requests from VPC endpoints (`aws:SourceVpce`)",)
    )


def test_allow_only_from_a_vpc_endpoint() -> None:
    statement = {**ALLOW_ALL, "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c"}}}
    assert access(policy(statement)) == ApiAccess(
        public=False, restrictions=("only requests from VPC endpoints (`aws:SourceVpce`)",)
    )


def test_allow_if_exists_on_a_vpc_key_lets_the_internet_in() -> None:
    statement = {**ALLOW_ALL, "Condition": {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c"}}}
    assert access(policy(statement)) == ApiAccess(public=True)


def test_ip_allow_list_restricts() -> None:
    statement = {**ALLOW_ALL, "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}}
    assert access(policy(statement)) == ApiAccess(
        public=False, restrictions=("only source IP ranges it lists (`aws:SourceIp`)",)
    )


def test_ip_allow_list_as_sam_writes_it() -> None:
    document = policy(ALLOW_ALL, deny({"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}))
    assert access(document) == ApiAccess(
        public=False, restrictions=("only source IP ranges it lists (`aws:SourceIp`)",)
    )


def test_ip_deny_list_stays_public() -> None:
    document = policy(ALLOW_ALL, deny({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}))
    assert access(document) == ApiAccess(public=True)


def test_every_address_is_no_allow_list() -> None:
    statement = {**ALLOW_ALL, "Condition": {"IpAddress": {"aws:SourceIp": ["0.0.0.0/0"]}}}
    assert access(policy(statement)) == ApiAccess(public=True)


def test_account_principals_only() -> None:
    statement = {**ALLOW_ALL, "Principal": {"AWS": ["111122223333"]}}
    assert access(policy(statement)) == ApiAccess(
        public=False, restrictions=("it allows only the AWS accounts and principals it names",)
    )


def test_account_deny_list_stays_public() -> None:
    blocked = {**ALLOW_ALL, "Effect": "Deny", "Principal": {"AWS": ["111122223333"]}}
    assert access(policy(ALLOW_ALL, blocked)) == ApiAccess(public=True)


def test_no_allow_is_an_implicit_deny() -> None:
    other = {**ALLOW_ALL, "Resource": "execute-api:/prod/POST/admin"}
    assert access(policy(other)) == ApiAccess(public=False, restrictions=("it allows no anonymous caller",))


def test_unconditional_deny_of_the_route() -> None:
    blocked = {**ALLOW_ALL, "Effect": "Deny", "Resource": "execute-api:/*/GET/orders/*"}
    assert access(policy(ALLOW_ALL, blocked)) == ApiAccess(
        public=False, restrictions=("it denies every anonymous caller",)
    )


def test_deny_of_some_requests_leaves_the_rest_public() -> None:
    blocked = {**ALLOW_ALL, "Effect": "Deny", "Resource": "execute-api:/*/GET/orders/secret"}
    assert access(policy(ALLOW_ALL, blocked)) == ApiAccess(public=True)


def test_stage_specific_statements_judged_per_stage() -> None:
    allow_prod = {**ALLOW_ALL, "Resource": "execute-api:/prod/GET/orders/*"}
    restrict_prod = deny({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, "execute-api:/prod/*")
    document = policy(allow_prod, restrict_prod)
    assert access(document, stages=("prod", "Stage")) == ApiAccess(
        public=False,
        restrictions=(
            "only source IP ranges it lists (`aws:SourceIp`)",
            "it allows no anonymous caller",
        ),
    )
    assert access(policy(allow_prod), stages=("prod",)) == ApiAccess(public=True)


def test_unknown_stage_is_unresolved_when_stages_differ() -> None:
    allow_prod = {**ALLOW_ALL, "Resource": "execute-api:/prod/*"}
    assert access(policy(allow_prod), stages=(Unresolved("!Ref Stage"),)) == Unresolved(
        "the stage name is unknown, and the resource policy treats stages differently"
    )
    assert access(policy(ALLOW_ALL), stages=()) == ApiAccess(public=True)


def test_any_method_route_and_root_path() -> None:
    get_only = {**ALLOW_ALL, "Resource": "execute-api:/prod/GET/"}
    assert access(policy(get_only), method="ANY", path="/") == ApiAccess(public=True)
    blocked_get = {**ALLOW_ALL, "Effect": "Deny", "Resource": "execute-api:/prod/GET/"}
    assert access(policy(ALLOW_ALL, blocked_get), method="ANY", path="/") == ApiAccess(public=True)
    assert access(policy(ALLOW_ALL, blocked_get), method="GET", path="/") == ApiAccess(
        public=False, restrictions=("it denies every anonymous caller",)
    )


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        ("!Sub arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:*/*", ApiAccess(public=True)),
        ("${aws_api_gateway_rest_api.shop.execution_arn}/*/GET/*", ApiAccess(public=True)),
        (
            "!Sub execute-api:/${Stage}/GET/*",
            Unresolved("statement `Api/Policy/Statement/0` of the resource policy is not fully known"),
        ),
    ],
)
def test_unresolved_resources_read_by_shape(resource: str, expected: ApiAccess | Unresolved) -> None:
    document = policy(ALLOW_ALL)
    for resources in ((Unresolved(resource),), Unresolved(resource)):
        statement = replace(document.statements[0], resources=resources)
        assert access(replace(document, statements=(statement,))) == expected


def test_unknown_condition_key_is_unresolved() -> None:
    statement = {**ALLOW_ALL, "Condition": {"StringEquals": {"aws:ResourceTag/team": "a"}}}
    assert access(policy(statement)) == Unresolved(
        "statement `Api/Policy/Statement/0`: condition `StringEquals` on `aws:ResourceTag/team` is not judged"
    )


def test_unknown_deny_only_matters_when_otherwise_public() -> None:
    unknown_deny = deny({"StringEquals": {"aws:ResourceTag/team": "a"}})
    assert isinstance(access(policy(ALLOW_ALL, unknown_deny)), Unresolved)
    vpce_only = deny({"StringNotEquals": {"aws:SourceVpce": "vpce-1"}})
    assert access(policy(ALLOW_ALL, unknown_deny, vpce_only)) == ApiAccess(
        public=False, restrictions=("only requests from VPC endpoints (`aws:SourceVpce`)",)
    )


def test_a_path_parameter_is_one_segment_and_a_greedy_one_any() -> None:
    campaign = {**ALLOW_ALL, "Resource": "execute-api:/*/GET/campaign"}
    assert access(policy(campaign), path="/office/{id}") == ApiAccess(
        public=False, restrictions=("it allows no anonymous caller",)
    )
    # `/files/a/GET/campaign` is a request of the greedy route that the statement allows.
    assert access(policy(campaign), path="/files/{proxy+}") == ApiAccess(public=True)


def test_an_unknown_allow_matters_only_when_nothing_else_allows() -> None:
    unknown_allow = {**ALLOW_ALL, "Condition": {"StringEquals": {"aws:ResourceTag/team": "a"}}}
    assert access(policy(unknown_allow, ALLOW_ALL)) == ApiAccess(public=True)
    assert access(policy(unknown_allow)) == Unresolved(
        "statement `Api/Policy/Statement/0`: condition `StringEquals` on `aws:ResourceTag/team` is not judged"
    )
    vpce_only = deny({"StringNotEquals": {"aws:SourceVpce": "vpce-1"}})
    assert access(policy(unknown_allow, vpce_only)) == ApiAccess(
        public=False, restrictions=("only requests from VPC endpoints (`aws:SourceVpce`)",)
    )
