"""Private REST API resource policies read for a caller through a VPC endpoint in any account."""

from __future__ import annotations

from typing import Any

import pytest

from factories import make_origin
from lambdasec.iam.api_access import ApiAccess, anonymous_access
from lambdasec.iam.documents import parse_document
from lambdasec.model import PolicyDocument, Unresolved

ALLOW_ALL: dict[str, Any] = {
    "Effect": "Allow",
    "Principal": "*",
    "Action": "execute-api:Invoke",
    "Resource": "execute-api:/*",
}
VPCE = "only requests from VPC endpoints (`aws:SourceVpce`)"


def _access(*statements: dict[str, Any]) -> ApiAccess | Unresolved:
    document = parse_document({"Statement": list(statements)}, origin=make_origin("Api/Policy", 3))
    assert isinstance(document, PolicyDocument)
    return anonymous_access(
        document, stages=("prod",), method="GET", path="/orders", through_vpc_endpoint=True
    )


def _allow(condition: dict[str, Any]) -> dict[str, Any]:
    return {**ALLOW_ALL, "Condition": condition}


def _deny(condition: dict[str, Any]) -> dict[str, Any]:
    return {**ALLOW_ALL, "Effect": "Deny", "Condition": condition}


def test_allow_everyone_lets_in_any_vpc_endpoint() -> None:
    assert _access(ALLOW_ALL) == ApiAccess(public=True)


@pytest.mark.parametrize(
    "statements",
    [
        [_allow({"StringEquals": {"aws:SourceVpce": "vpce-0a1b2c3d4e5f67890"}})],
        [_allow({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-0a1b2c3d4e5f67890"}})],
        [ALLOW_ALL, _deny({"StringNotEquals": {"aws:SourceVpce": "vpce-0a1b2c3d4e5f67890"}})],
        [ALLOW_ALL, _deny({"Null": {"aws:SourceVpce": "false"}})],
    ],
)
def test_named_vpc_endpoints_keep_other_accounts_out(statements: list[dict[str, Any]]) -> None:
    found = _access(*statements)
    assert isinstance(found, ApiAccess)
    assert (found.public, found.restrictions) == (False, (VPCE,))


def test_named_vpc_keeps_other_accounts_out() -> None:
    found = _access(_allow({"StringEquals": {"aws:SourceVpc": "vpc-0a1b2c3d"}}))
    assert found == ApiAccess(public=False, restrictions=("only requests from VPCs (`aws:SourceVpc`)",))


@pytest.mark.parametrize(
    "statement",
    [
        _allow({"StringLike": {"aws:SourceVpce": "vpce-*"}}),
        _allow({"StringNotEquals": {"aws:SourceVpce": "vpce-0a1b2c3d4e5f67890"}}),
        _allow({"Null": {"aws:SourceVpce": "false"}}),
        _allow({"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}),
    ],
)
def test_conditions_any_vpc_endpoint_meets(statement: dict[str, Any]) -> None:
    assert _access(statement) == ApiAccess(public=True)


def test_a_deny_on_vpc_addresses_binds_no_one() -> None:
    """The caller picks the addresses of their own VPC, so the deny can always be avoided."""
    assert _access(ALLOW_ALL, _deny({"NotIpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}})) == ApiAccess(
        public=True
    )


def test_source_ip_is_absent_through_a_vpc_endpoint() -> None:
    found = _access(_allow({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))
    assert found == ApiAccess(public=False, restrictions=("only source IP ranges it lists (`aws:SourceIp`)",))
    denied = _access(ALLOW_ALL, _deny({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))
    assert denied == ApiAccess(public=False, restrictions=("it denies every anonymous caller",))


def test_the_internet_reading_is_unchanged() -> None:
    """`aws:SourceVpce` negated in an Allow: open to the internet, open to any endpoint."""
    statement = _allow({"StringNotEquals": {"aws:SourceVpce": "vpce-0a1b2c3d4e5f67890"}})
    document = parse_document({"Statement": [statement]}, origin=make_origin("Api/Policy", 3))
    assert isinstance(document, PolicyDocument)
    assert anonymous_access(document, stages=("prod",), method="GET", path="/orders") == ApiAccess(
        public=True
    )
