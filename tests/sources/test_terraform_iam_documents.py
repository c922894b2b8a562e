"""Terraform IAM: merged policy documents, aws_iam_policy_attachment and role references by name."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import Effect, Inventory, PolicyDocument, PolicyKind, Role, SourceKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource

TRUST = """
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}
"""


def _load(tmp_path: Path, text: str) -> Inventory:
    (tmp_path / "main.tf").write_text(TRUST + text, encoding="utf-8")
    item = InputFile(path=tmp_path / "main.tf", display="main.tf", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=tmp_path)
    assert output.diagnostics == ()
    return output.inventory


def _role(inventory: Inventory, address: str) -> Role:
    (role,) = [r for r in inventory.roles if r.origin.resource == address]
    return role


def _statements(role: Role, index: int = 0) -> list[tuple[str | None, Effect | Unresolved, object]]:
    document = role.policies[index].document
    assert isinstance(document, PolicyDocument)
    return [(s.sid, s.effect, s.actions) for s in document.statements]


def _line(tmp_path: Path, marker: str) -> int:
    lines = (tmp_path / "main.tf").read_text(encoding="utf-8").splitlines()
    (found,) = [n for n, text in enumerate(lines, start=1) if marker in text]
    return found


def test_source_statements_come_first_and_own_and_override_statements_replace_equal_sids(
    tmp_path: Path,
) -> None:
    inventory = _load(
        tmp_path,
        """
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"] # own Read
    resources = ["arn:aws:s3:::orders/*"]
  }
  statement {
    sid       = "Write"
    actions   = ["s3:PutObject"]
    resources = ["*"]
  }
  override_policy_documents = [
    jsonencode({ Statement = [{ Sid = "Write", Effect = "Deny", Action = "s3:PutObject", Resource = "*" }] }),
    jsonencode({ Statement = [{ Effect = "Allow", Action = "sns:Publish", Resource = "*" }] }),
  ]
}

resource "aws_iam_role" "app" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {
    name   = "merged"
    policy = data.aws_iam_policy_document.merged.json
  }
}
""",
    )
    role = _role(inventory, "aws_iam_role.app")
    assert _statements(role) == [
        ("Read", Effect.ALLOW, ("s3:GetObject",)),
        (None, Effect.ALLOW, ("sqs:SendMessage",)),
        ("Write", Effect.DENY, ("s3:PutObject",)),
        (None, Effect.ALLOW, ("sns:Publish",)),
    ]
    document = role.policies[0].document
    assert isinstance(document, PolicyDocument)
    read, send, write, publish = document.statements
    # the own Read statement replaced the source's in place, and keeps its lines
    assert read.resources == ("arn:aws:s3:::orders/*",)
    assert (read.origin.resource, read.origin.line_of("actions")) == (
        "data.aws_iam_policy_document.merged/Statement/Read",
        _line(tmp_path, "# own Read"),
    )
    assert send.origin.resource == "data.aws_iam_policy_document.base/Statement/1"
    assert (
        write.origin.resource
        == "data.aws_iam_policy_document.merged/override_policy_documents/0/Statement/Write"
    )
    assert publish.origin.line == _line(tmp_path, "override_policy_documents")


def test_documents_merge_in_any_declaration_order_and_a_cycle_stays_unknown(tmp_path: Path) -> None:
    inventory = _load(
        tmp_path,
        """
resource "aws_iam_role" "app" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {
    name   = "outer"
    policy = data.aws_iam_policy_document.outer.json
  }
  inline_policy {
    name   = "loop"
    policy = data.aws_iam_policy_document.loop_a.json
  }
}

data "aws_iam_policy_document" "outer" {
  source_json = data.aws_iam_policy_document.middle.json
}

data "aws_iam_policy_document" "middle" {
  source_policy_documents = [data.aws_iam_policy_document.inner.json]
}

data "aws_iam_policy_document" "inner" {
  statement {
    actions   = ["dynamodb:GetItem"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "loop_a" {
  source_policy_documents = [data.aws_iam_policy_document.loop_b.json]
}

data "aws_iam_policy_document" "loop_b" {
  source_policy_documents = [data.aws_iam_policy_document.loop_a.json]
}
""",
    )
    role = _role(inventory, "aws_iam_role.app")
    assert _statements(role, 0) == [(None, Effect.ALLOW, ("dynamodb:GetItem",))]
    # loop_b is built first, without loop_a (not built yet); loop_a takes loop_b's unknown statement
    (unknown,) = _statements(role, 1)
    assert unknown == (
        None,
        Unresolved(
            "data.aws_iam_policy_document.loop_b.source_policy_documents: "
            "data.aws_iam_policy_document.loop_a.json"
        ),
        None,
    )


def test_an_unknown_list_of_source_documents_is_one_unknown_statement(tmp_path: Path) -> None:
    inventory = _load(
        tmp_path,
        """
variable "extra" {
  type = list(string)
}

data "aws_iam_policy_document" "doc" {
  source_policy_documents = var.extra
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "app" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {
    name   = "doc"
    policy = data.aws_iam_policy_document.doc.json
  }
}
""",
    )
    assert _statements(_role(inventory, "aws_iam_role.app")) == [
        (
            None,
            Unresolved("data.aws_iam_policy_document.doc.source_policy_documents = <unresolved: var.extra>"),
            None,
        ),
        (None, Effect.ALLOW, ("s3:GetObject",)),
    ]


def test_policy_attachment_applies_to_each_listed_role_and_role_policies_find_roles_by_name(
    tmp_path: Path,
) -> None:
    inventory = _load(
        tmp_path,
        """
variable "other_roles" {
  type = list(string)
}

resource "aws_iam_role" "a" {
  name               = "role-a"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role" "b" {
  name               = "role-b"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_policy" "shared" {
  name   = "shared"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = "*" }] })
}

resource "aws_iam_policy_attachment" "shared" {
  name       = "shared"
  roles      = [aws_iam_role.a.name, "role-b"]
  users      = ["deployer"]
  policy_arn = aws_iam_policy.shared.arn
}

resource "aws_iam_policy_attachment" "readonly" {
  name       = "readonly"
  roles      = [aws_iam_role.b.name]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess" # readonly
}

resource "aws_iam_policy_attachment" "unknown_roles" {
  name       = "unknown"
  roles      = var.other_roles
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role_policy" "by_name" {
  name   = "by-name"
  role   = "role-a"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}
""",
    )
    shared = "main.tf#aws_iam_policy.shared"
    readonly = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    a = _role(inventory, "aws_iam_role.a")
    b = _role(inventory, "aws_iam_role.b")
    assert [(p.name, p.kind, p.arn) for p in a.policies] == [
        ("by-name", PolicyKind.INLINE, None),
        ("shared", PolicyKind.CUSTOMER_MANAGED, shared),
    ]
    assert a.managed_policy_arns == (shared,)
    assert [(p.name, p.kind, p.arn) for p in b.policies] == [
        ("shared", PolicyKind.CUSTOMER_MANAGED, shared),
        ("ReadOnlyAccess", PolicyKind.AWS_MANAGED, readonly),
    ]
    assert b.managed_policy_arns == (readonly, shared)
    assert (b.policies[1].origin.resource, b.policies[1].origin.line) == (
        "aws_iam_policy_attachment.readonly",
        _line(tmp_path, "# readonly"),
    )
