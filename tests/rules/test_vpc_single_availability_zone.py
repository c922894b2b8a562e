"""Model-level tests of LS420 vpc-single-availability-zone."""

from __future__ import annotations

import dataclasses

from factories import make_function, make_inventory, make_origin, run
from lambdasec.model import LambdaFunction, Subnet, Unresolved, VpcConfig
from lambdasec.rules.operations.vpc_single_availability_zone import vpc_single_availability_zone as rule


def subnet(name: str, zone: str | Unresolved | None = None, *, index: int | None = None) -> Subnet:
    return Subnet(key=name, availability_zone=zone, zone_index=index, origin=make_origin(name))


def in_vpc(name: str, *subnets: str | Unresolved) -> LambdaFunction:
    fn = make_function(name, fields={"vpc.subnet_ids": 9})
    return dataclasses.replace(fn, vpc=VpcConfig(subnet_ids=subnets, security_group_ids=("sg-1",)))


SUBNETS = [
    subnet("a1", "us-east-1a"),
    subnet("a2", "us-east-1a"),
    subnet("b1", "us-east-1b"),
    subnet("first", Unresolved('!Select [0, !GetAZs ""]'), index=0),
    subnet("first2", Unresolved("!Select [0, !GetAZs !Ref AWS::Region]"), index=0),
    subnet("second", Unresolved('!Select [1, !GetAZs ""]'), index=1),
    subnet("param1", Unresolved("!Ref Az")),
    subnet("param2", Unresolved("!Ref Az")),
    subnet("other", Unresolved("!Ref OtherAz")),
    subnet("anywhere"),
]


def outcome(*functions: LambdaFunction):
    return run(rule, make_inventory(functions=functions, subnets=SUBNETS))


def test_same_zone_by_name_position_or_expression_is_reported() -> None:
    result = outcome(
        in_vpc("by-name", "a1", "a2"),
        in_vpc("by-position", "first", "first2"),
        in_vpc("by-expression", "param1", "param2"),
    )
    assert [f.function for f in result.findings] == ["by-name", "by-position", "by-expression"]
    assert result.lines == {("LS420", 9)}
    assert [f.message for f in result.findings] == [
        "`by-name` runs in subnets `a1`, `a2`, all in availability zone `us-east-1a`, so that zone "
        "failing or running out of IP addresses stops the function",
        "`by-position` runs in subnets `first`, `first2`, all in availability zone "
        '`!Select [0, !GetAZs ""]`, so that zone failing or running out of IP addresses stops the function',
        "`by-expression` runs in subnets `param1`, `param2`, all in availability zone `!Ref Az`, so that "
        "zone failing or running out of IP addresses stops the function",
    ]


def test_a_single_subnet_is_one_zone_even_when_not_in_scope() -> None:
    result = outcome(in_vpc("one", "subnet-0abc"), in_vpc("one-param", Unresolved("!Ref SubnetId")))
    assert [f.message for f in result.findings] == [
        "`one` runs in the single subnet `subnet-0abc`, so one availability zone failing or running out of "
        "IP addresses stops the function",
        "`one-param` runs in the single subnet `!Ref SubnetId`, so one availability zone failing or running "
        "out of IP addresses stops the function",
    ]


def test_two_known_zones_pass_even_next_to_unknown_subnets() -> None:
    result = outcome(
        in_vpc("names", "a1", "b1"),
        in_vpc("positions", "first", "second", "subnet-0abc"),
        in_vpc("duplicates", "a1", "a1", "b1"),
    )
    assert result.findings == []
    assert result.coverage.unevaluated == ()


def test_zones_that_cannot_be_compared_are_not_evaluated() -> None:
    result = outcome(
        in_vpc("name-and-position", "a1", "first"),
        in_vpc("two-expressions", "param1", "other"),
        in_vpc("ec2-picks", "a1", "anywhere"),
        in_vpc("outside", "a1", "subnet-0abc"),
        dataclasses.replace(
            make_function("from-param"),
            vpc=VpcConfig(subnet_ids=Unresolved("!Ref Subnets"), security_group_ids=()),
        ),
        dataclasses.replace(make_function("vpc-param"), vpc=Unresolved("!If [UseVpc, ...]")),
        make_function("no-vpc"),
    )
    assert result.findings == []
    assert result.coverage.unevaluated == (
        ("name-and-position", "the subnets' availability zones are expressions that cannot be compared"),
        ("two-expressions", "the subnets' availability zones are expressions that cannot be compared"),
        ("ec2-picks", "subnet `anywhere` leaves its availability zone to EC2"),
        ("outside", "subnet `subnet-0abc` is not defined in the scanned sources"),
        ("from-param", "subnets unknown: !Ref Subnets"),
        ("vpc-param", "VPC configuration unknown: !If [UseVpc, ...]"),
    )
    assert result.coverage.evaluated == 1
