"""Terraform IAM: trust and inline policies, role policies, managed policies, attachments, data documents."""

from __future__ import annotations

from pathlib import Path

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import (
    Effect,
    PolicyDocument,
    PolicyKind,
    Principal,
    PrincipalKind,
    SourceKind,
    Unresolved,
)
from lambdasec.sources.interface import InputFile, SourceOutput
from lambdasec.sources.terraform import TerraformSource

MODULE = Path(__file__).resolve().parent / "terraform" / "iam"
KEY = "iam/main.tf#"


def _load() -> SourceOutput:
    item = InputFile(path=MODULE / "main.tf", display="iam/main.tf", kind=SourceKind.TERRAFORM)
    return TerraformSource().load((item,), root=MODULE.parent)


def _line(marker: str) -> int:
    lines = (MODULE / "main.tf").read_text(encoding="utf-8").splitlines()
    found = [n for n, text in enumerate(lines, start=1) if marker in text]
    assert len(found) == 1, found
    return found[0]


def _document(value: PolicyDocument | Unresolved | None) -> PolicyDocument:
    assert isinstance(value, PolicyDocument)
    return value


def test_role_collects_inline_role_policies_and_attachments() -> None:
    (role,) = _load().inventory.roles
    assert role.key == KEY + "aws_iam_role.app"
    assert [(p.name, p.kind, p.arn) for p in role.policies] == [
        ("heredoc", PolicyKind.INLINE, None),
        ("extra", PolicyKind.INLINE, None),
        ("shared", PolicyKind.CUSTOMER_MANAGED, KEY + "aws_iam_policy.shared"),
        (
            "AmazonS3ReadOnlyAccess",
            PolicyKind.AWS_MANAGED,
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        ),
    ]
    # the AWS managed policy attached by its own block points at that block's `policy_arn` line
    attached = role.policies[3]
    assert (attached.origin.resource, attached.origin.line) == (
        "aws_iam_role_policy_attachment.managed",
        _line('policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"'),
    )
    assert attached.document == Unresolved(
        "managed policy `arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess` is not in the module"
    )
    assert role.managed_policy_arns == (
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        KEY + "aws_iam_policy.shared",
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    )


def test_heredoc_trust_and_inline_policies_keep_known_parts_of_interpolated_json() -> None:
    (role,) = _load().inventory.roles
    (trust,) = _document(role.trust_policy).statements
    assert trust.principals == (Principal(kind=PrincipalKind.SERVICE, values=("lambda.amazonaws.com",)),)
    assert trust.actions == ("sts:AssumeRole",)
    (statement,) = _document(role.policies[0].document).statements
    assert statement.sid == "Bucket"
    assert statement.actions == ("s3:GetObject",)
    # one unknown value may be a string or a list: the whole element is unknown
    assert statement.resources == Unresolved("${aws_s3_bucket.b.arn}/*")
    assert statement.origin.resource == "aws_iam_role.app/inline_policy/heredoc/Statement/Bucket"
    assert statement.origin.line == _line('"Sid": "Bucket"')


def test_policy_document_data_block_with_deny_not_elements_and_an_unknown_source_document() -> None:
    (role,) = _load().inventory.roles
    unmerged, deny = _document(role.policies[1].document).statements
    assert deny.effect is Effect.DENY
    assert (deny.actions, deny.not_actions) == (None, ("iam:*",))
    assert deny.not_resources == ("arn:aws:iam::111122223333:role/app",)
    assert deny.principals == (Principal(kind=PrincipalKind.ANY, values=("*",)),)
    assert unmerged.effect == Unresolved(
        "data.aws_iam_policy_document.extra.source_policy_documents: data.aws_iam_policy_document.other.json"
    )
    assert unmerged.origin.line == _line("source_policy_documents")


def test_managed_policy_with_unknown_actions() -> None:
    (policy,) = _load().inventory.managed_policies
    assert policy.name == "shared"
    (statement,) = _document(policy.document).statements
    assert statement.actions == Unresolved("var.actions")
    assert statement.resources == ("*",)


def test_a_module_without_its_directory_is_reported_as_not_read() -> None:
    assert _load().diagnostics == (
        Diagnostic(
            level=DiagnosticLevel.ERROR,
            source="terraform",
            message="module `network` is not read: no Terraform files in `iam/network`",
            file="iam/main.tf",
            line=_line('module "network"'),
        ),
    )


def test_statements_keep_the_policy_line_when_not_every_statement_has_an_effect_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_policy" "p" {\n'
        "  policy = jsonencode({\n"
        "    Statement = [\n"
        '      { Effect = "Allow", Action = "s3:*", Resource = "*" },\n'
        '      { Action = "sqs:*", Resource = "*" },\n'
        "    ]\n"
        "  })\n"
        '  name = "p"\n'
        "}\n",
        encoding="utf-8",
    )
    item = InputFile(path=tmp_path / "main.tf", display="main.tf", kind=SourceKind.TERRAFORM)
    (policy,) = TerraformSource().load((item,), root=tmp_path).inventory.managed_policies
    assert [s.origin.line for s in _document(policy.document).statements] == [2, 2]
    assert [s.effect for s in _document(policy.document).statements] == [
        Effect.ALLOW,
        Unresolved("Effect `None`"),
    ]
