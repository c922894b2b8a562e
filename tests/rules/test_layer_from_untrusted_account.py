"""Model-level tests of LS603 layer-from-untrusted-account."""

from __future__ import annotations

import dataclasses

from factories import make_function, make_inventory, make_origin, run
from lambdasec.model import LambdaFunction, LayerVersion, Unresolved
from lambdasec.rules.supply_chain.layer_from_untrusted_account import layer_from_untrusted_account as rule

UNKNOWN = "arn:aws:lambda:us-east-1:999988887777:layer:fast-json:3"
POWERTOOLS = Unresolved(
    "!Sub arn:${AWS::Partition}:lambda:${AWS::Region}:017000801446:layer:AWSLambdaPowertoolsPythonV3:7"
)
OWN = Unresolved("!Sub arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:layer:tools:1")
GOV = "arn:aws-us-gov:lambda:us-gov-west-1:002406178527:layer:Datadog-Python313:100"


def with_layers(name: str, *layers: str | Unresolved) -> LambdaFunction:
    fields = {f"layers.{i}": 10 + i for i in range(len(layers))}
    return dataclasses.replace(make_function(name, fields=fields), layers=layers)


LAYER = LayerVersion(key="template.yaml#Shared", name="shared", origin=make_origin("Shared"))


def test_layers_of_unknown_accounts_are_reported_at_their_line() -> None:
    inv = make_inventory(
        functions=[with_layers("api", "template.yaml#Shared", POWERTOOLS, OWN, GOV, UNKNOWN)],
        layers=[LAYER],
    )
    result = run(rule, inv)
    assert result.lines == {("LS603", 14)}
    (finding,) = result.findings
    assert finding.message == (
        f"`api` loads layer `{UNKNOWN}` from account `999988887777`, which is not trusted "
        "(`trusted-accounts`), so code that account publishes runs inside the function with its role"
    )
    assert dict(finding.properties) == {"account": "999988887777"}


def test_trusted_accounts_and_known_publishers_options() -> None:
    inv = make_inventory(functions=[with_layers("api", POWERTOOLS, UNKNOWN)])
    assert run(rule, inv, **{"trusted-accounts": ["999988887777"]}).findings == []
    strict = run(rule, inv, **{"trust-known-publishers": False})
    assert [dict(f.properties)["account"] for f in strict.findings] == ["017000801446", "999988887777"]


def test_layers_that_are_not_arns_are_not_evaluated() -> None:
    inv = make_inventory(
        functions=[
            with_layers("param", Unresolved("!Ref LayerArn")),
            dataclasses.replace(make_function("all-param"), layers=Unresolved("!Ref Layers")),
        ]
    )
    result = run(rule, inv)
    assert result.findings == []
    assert result.coverage.unevaluated == (
        ("param", "layer account unknown: !Ref LayerArn"),
        ("all-param", "layers unknown: !Ref Layers"),
    )
