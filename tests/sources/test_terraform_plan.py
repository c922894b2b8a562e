"""Terraform plan JSON: planned values mapped like HCL, unknowns, joins, modules, lines and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import (
    Architecture,
    EnvVar,
    Inventory,
    Origin,
    SourceKind,
    TracingMode,
    TriggerKind,
    Unresolved,
)
from lambdasec.sources.discover import discover
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform_plan import TerraformPlanSource, map_plan, parse_plan

CREATE = Path(__file__).resolve().parent / "terraform_plan" / "create" / "plan.json"
FN_A = 'plan.json#module.api.aws_lambda_function.fn["a"]'
FN_B = 'plan.json#module.api.aws_lambda_function.fn["b"]'
USER_ARN = "arn:aws:iam::111122223333:user/${aws:username}"


def _load(path: Path, display: str = "plan.json") -> tuple[Inventory, tuple[Diagnostic, ...]]:
    item = InputFile(path=path, display=display, kind=SourceKind.TERRAFORM_PLAN)
    output = TerraformPlanSource().load((item,), root=path.parent)
    return output.inventory, output.diagnostics


def _line(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [n for n, line in enumerate(lines, start=1) if text in line]
    return found[0]


def test_module_instances_are_functions_with_their_addresses_and_lines() -> None:
    inv, diagnostics = _load(CREATE)

    assert diagnostics == ()
    assert [fn.key for fn in inv.functions] == [FN_A, FN_B]
    fn = inv.functions[0]
    assert fn.name == "svc-a"
    assert fn.origin == Origin(
        source=SourceKind.TERRAFORM_PLAN,
        file="plan.json",
        line=_line(CREATE, '"address": "module.api.aws_lambda_function.fn[\\"a\\"]"'),
        resource='module.api.aws_lambda_function.fn["a"]',
    )


def test_unknown_role_joins_through_the_module_input_to_the_root_role() -> None:
    inv, _ = _load(CREATE)

    assert {fn.role for fn in inv.functions} == {"plan.json#aws_iam_role.lambda"}
    role = inv.role_of(inv.functions[0])
    assert role is not None and not isinstance(role, Unresolved)
    assert role.name == "svc-lambda"


def test_values_unknown_until_apply_are_unresolved_with_the_address() -> None:
    inv, _ = _load(CREATE)

    assert inv.functions[0].environment == (
        EnvVar(name="STAGE", value="prod"),
        EnvVar(
            name="QUEUE_ARN",
            value=Unresolved('module.api.aws_lambda_function.fn["a"].environment[0].variables.QUEUE_ARN'),
        ),
    )
    (policy,) = inv.roles[0].policies
    assert policy.name == "jobs"
    assert policy.document == Unresolved("aws_iam_role_policy.lambda.policy")


def test_unknown_values_the_configuration_does_not_set_take_the_aws_defaults() -> None:
    inv, _ = _load(CREATE)

    fn = inv.functions[1]
    assert fn.architectures == (Architecture.X86_64,)
    assert fn.tracing is TracingMode.PASS_THROUGH
    assert fn.ephemeral_storage_mb == 512
    assert fn.log_group_name is None
    assert fn.reserved_concurrency is None


def test_event_source_of_unknown_arn_is_told_by_the_resource_it_refers_to() -> None:
    inv, _ = _load(CREATE)

    (esm,) = inv.event_source_mappings
    assert esm.kind is TriggerKind.SQS
    assert esm.function == FN_A  # the known name `svc-a` names the module's function
    assert esm.batch_size == 5
    assert inv.queue(esm.event_source_arn) is inv.queues[0]


def test_literal_function_name_joins_by_name() -> None:
    inv, _ = _load(CREATE)

    (grant,) = inv.permissions
    assert grant.function == FN_B
    assert grant.principal == "*"
    assert grant.origin.line == _line(CREATE, '"address": "aws_lambda_permission.partner"')


def test_literal_interpolation_syntax_in_a_value_stays_literal() -> None:
    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_iam_role.r",
                        "mode": "managed",
                        "type": "aws_iam_role",
                        "name": "r",
                        "values": {
                            "name": "r",
                            "assume_role_policy": json.dumps(
                                {
                                    "Statement": [
                                        {
                                            "Effect": "Allow",
                                            "Action": "sts:AssumeRole",
                                            "Principal": {"AWS": USER_ARN},
                                        }
                                    ]
                                }
                            ),
                        },
                    }
                ]
            }
        },
    }
    parsed = parse_plan(json.dumps(plan), display="p.json")
    assert not isinstance(parsed, Diagnostic)
    (role,) = map_plan(parsed).roles
    assert role.trust_policy is not None and not isinstance(role.trust_policy, Unresolved)
    (statement,) = role.trust_policy.statements
    assert statement.principals is not None and not isinstance(statement.principals, Unresolved)
    assert statement.principals[0].values == (USER_ARN,)


def test_bad_plans_are_errors_with_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format_version": "1.2",\n "planned_values": {,}}\n', encoding="utf-8")
    future = tmp_path / "future.json"
    future.write_text('{"format_version": "2.0", "planned_values": {"root_module": {}}}', encoding="utf-8")
    empty = tmp_path / "empty.json"
    empty.write_text('{"format_version": "1.0", "planned_values": {}}', encoding="utf-8")

    results = [_load(path, display=path.name)[1] for path in (broken, future, empty)]

    assert results == [
        (
            Diagnostic(
                level=DiagnosticLevel.ERROR,
                source="terraform-plan",
                message="cannot parse plan JSON: Expecting property name enclosed in double quotes",
                file="broken.json",
                line=2,
            ),
        ),
        (
            Diagnostic(
                level=DiagnosticLevel.ERROR,
                source="terraform-plan",
                message="unsupported plan format_version '2.0' (0.x and 1.x are read)",
                file="future.json",
            ),
        ),
        (
            Diagnostic(
                level=DiagnosticLevel.ERROR,
                source="terraform-plan",
                message="plan has no planned_values.root_module",
                file="empty.json",
            ),
        ),
    ]


def test_an_incomplete_plan_is_a_warning(tmp_path: Path) -> None:
    partial = tmp_path / "partial.json"
    partial.write_text(
        '{"format_version": "1.2", "planned_values": {"root_module": {}}, "errored": true}', encoding="utf-8"
    )

    assert _load(partial, display="partial.json")[1] == (
        Diagnostic(
            level=DiagnosticLevel.WARNING,
            source="terraform-plan",
            message="the plan is incomplete (planning errored or deferred changes): resources may be missing",
            file="partial.json",
        ),
    )


def test_discovery_tells_plan_json_by_its_content(tmp_path: Path) -> None:
    (tmp_path / "tfplan.json").write_text(CREATE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "state.json").write_text('{"format_version": "1.0", "values": {}}', encoding="utf-8")

    found = discover([tmp_path])

    assert [(f.display, f.kind) for f in found.files] == [("tfplan.json", SourceKind.TERRAFORM_PLAN)]
