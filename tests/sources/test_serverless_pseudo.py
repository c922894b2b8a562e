"""A Serverless service's stack is known to be in its set region and named after the service and stage."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lambdasec.model import SourceKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless

SERVICE = """\
service: shop
provider:
  name: aws
  runtime: python3.12
{provider}
functions:
  api:
    handler: app.handler
    environment:
      REGION: !Sub "${{AWS::Region}}"
      STACK: !Ref AWS::StackName
      ACCOUNT: !Ref AWS::AccountId
"""


def _environment(tmp_path: Path, provider: str, **options: str) -> dict[str, object]:
    path = tmp_path / "serverless.yml"
    path.write_text(SERVICE.format(provider=textwrap.indent(provider, "  ")), encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, _ = load_serverless(item, environ={}, options=options)
    assert inventory is not None
    (function,) = inventory.functions
    assert isinstance(function.environment, tuple)
    return {variable.name: variable.value for variable in function.environment}


def test_a_set_region_and_the_default_stack_name_are_known(tmp_path: Path) -> None:
    assert _environment(tmp_path, "region: eu-west-1\nstage: prod") == {
        "REGION": "eu-west-1",
        "STACK": "shop-prod",
        "ACCOUNT": Unresolved("!Ref AWS::AccountId"),
    }


def test_the_command_line_region_and_an_explicit_stack_name_win(tmp_path: Path) -> None:
    assert _environment(tmp_path, "region: eu-west-1\nstackName: orders", region="ap-south-1") == {
        "REGION": "ap-south-1",
        "STACK": "orders",
        "ACCOUNT": Unresolved("!Ref AWS::AccountId"),
    }


def test_the_default_region_is_not_assumed(tmp_path: Path) -> None:
    # Without `provider.region` or `--region` the region is whatever the deploy command is given.
    assert _environment(tmp_path, "stage: dev") == {
        "REGION": Unresolved("!Sub ${AWS::Region}"),
        "STACK": "shop-dev",
        "ACCOUNT": Unresolved("!Ref AWS::AccountId"),
    }
