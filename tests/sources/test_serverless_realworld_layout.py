"""serverless.yml layouts of real services: functions in included lists, artifacts, unknown service names."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lambdasec.findings import Diagnostic
from lambdasec.model import CodeLocation, Inventory, SourceKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless


def _load(tmp_path: Path, text: str) -> tuple[Inventory, tuple[Diagnostic, ...]]:
    path = tmp_path / "svc" / "serverless.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    item = InputFile(path=path, display="svc/serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ={}, options={})
    assert inventory is not None
    return inventory, diagnostics


def test_functions_given_as_a_list_of_included_files_are_merged(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "orders.yml").write_text(
        "create:\n  handler: orders.create\nlist:\n  handler: orders.list\n", encoding="utf-8"
    )
    inventory, diagnostics = _load(
        tmp_path,
        """\
        service: shop
        provider:
          name: aws
        functions:
          - ${file(./orders.yml)}
          - health:
              handler: health.check
          - ${file(./absent.yml)}
        """,
    )

    assert sorted((f.name, f.handler, f.origin.line) for f in inventory.functions) == [
        ("shop-dev-create", "orders.create", 5),
        ("shop-dev-health", "health.check", 6),
        ("shop-dev-list", "orders.list", 5),
    ]
    assert {(d.line, d.message) for d in diagnostics} == {
        (8, "a `functions` entry that cannot be read is not scanned")
    }


def test_package_artifacts_locate_the_code(tmp_path: Path) -> None:
    """A function's artifact wins over the service's; S3 artifacts name the object, URLs stay unknown."""
    inventory, _ = _load(
        tmp_path,
        """\
        service: built
        provider:
          name: aws
        package:
          artifact: dist/service.zip
        functions:
          shared:
            handler: bootstrap
          own:
            handler: bootstrap
            package:
              artifact: bin/own.zip
          remote:
            handler: bootstrap
            package:
              artifact: s3://artifacts-bucket/builds/remote.zip
          url:
            handler: bootstrap
            package:
              artifact: https://example.com/url.zip
        """,
    )

    assert {f.name: f.code for f in inventory.functions} == {
        "built-dev-shared": CodeLocation(local_path="svc/dist/service.zip"),
        "built-dev-own": CodeLocation(local_path="svc/bin/own.zip"),
        "built-dev-remote": CodeLocation(s3_bucket="artifacts-bucket", s3_key="builds/remote.zip"),
        "built-dev-url": CodeLocation(),  # downloaded at deploy time: no code to read
    }


def test_names_built_from_an_unknown_service_name_are_unknown(tmp_path: Path) -> None:
    """`service: ${env:SERVICE_NAME}` unset: no `service-dev-fn` guess; explicit names stay known."""
    inventory, _ = _load(
        tmp_path,
        """\
        service: ${env:SERVICE_NAME}
        provider:
          name: aws
        functions:
          fn:
            handler: h.handler
          named:
            name: fixed-name
            handler: h.handler
            events:
              - http: GET /
        """,
    )

    assert {f.key.split("#")[1]: f.name for f in inventory.functions} == {
        "FnLambdaFunction": Unresolved("${env:SERVICE_NAME}-dev-fn"),
        "NamedLambdaFunction": "fixed-name",
    }
    assert [r.name for r in inventory.roles] == [Unresolved("${env:SERVICE_NAME}-dev-us-east-1-lambdaRole")]
    assert [a.name for a in inventory.apis] == [Unresolved("dev-${env:SERVICE_NAME}")]
    assert {g.name for g in inventory.log_groups} == {"/aws/lambda/fixed-name"}


def test_resources_and_extensions_merge_over_generated_resources(tmp_path: Path) -> None:
    """The framework merges same-id `resources` and `extensions` over what it generates, key by key."""
    inventory, diagnostics = _load(
        tmp_path,
        """\
        service: merged
        provider:
          name: aws
        functions:
          create:
            handler: h.create
          list:
            handler: h.list
        resources:
          Resources:
            IamRoleLambdaExecution:
              Properties:
                PermissionsBoundary: arn:aws:iam::111122223333:policy/boundary
            ListLogGroup:
              Type: AWS::Logs::LogGroup
              Properties:
                RetentionInDays: 14
          extensions:
            CreateLogGroup:
              Properties:
                RetentionInDays: 30
            NotGenerated:
              Properties:
                Anything: true
        """,
    )

    (role,) = inventory.roles
    assert (role.name, role.permissions_boundary) == (
        "merged-dev-us-east-1-lambdaRole",
        "arn:aws:iam::111122223333:policy/boundary",
    )
    assert sorted((g.name, g.retention_days, g.origin.line) for g in inventory.log_groups) == [
        ("/aws/lambda/merged-dev-create", 30, 5),
        ("/aws/lambda/merged-dev-list", 14, 7),
    ]
    assert {(d.line, d.message) for d in diagnostics} == {
        (22, "`resources.extensions.NotGenerated` extends no generated resource")
    }


def test_an_included_part_named_serverless_yml_is_not_a_service(tmp_path: Path) -> None:
    """Parts of a service (`functions: - ${file(./demo/serverless.yml)}`) are not read on their own."""
    part = tmp_path / "serverless.yml"
    part.write_text("demo:\n  handler: bootstrap\n", encoding="utf-8")
    broken = tmp_path / "other" / "serverless.yml"
    broken.parent.mkdir()
    broken.write_text("service: half\nfunctions: {}\n", encoding="utf-8")

    def load(path: Path) -> tuple[Inventory | None, tuple[Diagnostic, ...]]:
        item = InputFile(path=path, display=path.relative_to(tmp_path).as_posix(), kind=SourceKind.SERVERLESS)
        return load_serverless(item, environ={}, options={})

    assert load(part) == (None, ())
    inventory, diagnostics = load(broken)
    assert inventory is None
    assert [(d.level, d.message) for d in diagnostics] == [
        ("error", "not a Serverless Framework service: needs top-level `service` and `provider`")
    ]


def test_a_stage_or_region_that_cannot_be_resolved_is_not_guessed(tmp_path: Path) -> None:
    """`stage: ${env:STAGE}` unset: no `dev` guess in names, `${sls:stage}` or the API stage."""
    inventory, _ = _load(
        tmp_path,
        """\
        service: svc
        provider:
          name: aws
          stage: ${env:STAGE}
          region: ${env:REGION}
        functions:
          fn:
            handler: h.handler
            environment:
              STAGE: ${sls:stage}
              REGION: ${aws:region}
              STAGE_FALLBACK: ${sls:stage, 'none'}
            events:
              - http: GET /
        """,
    )

    (function,) = inventory.functions
    assert function.name == Unresolved("svc-${env:STAGE}-fn")
    assert not isinstance(function.environment, Unresolved)
    assert [(v.name, v.value) for v in function.environment] == [
        ("STAGE", Unresolved("${sls:stage}")),
        ("REGION", Unresolved("${aws:region}")),
        ("STAGE_FALLBACK", Unresolved("${sls:stage, 'none'}")),
    ]
    assert [r.name for r in inventory.roles] == [Unresolved("svc-${env:STAGE}-${env:REGION}-lambdaRole")]
    assert [s.name for s in inventory.api_stages] == [Unresolved("${env:STAGE}")]
