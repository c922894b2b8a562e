"""Where a model object came from: source kind, file, line, resource identity and per-field lines."""

from __future__ import annotations

from dataclasses import field
from enum import StrEnum

from lambdasec.records import record


class SourceKind(StrEnum):
    """The kinds of input lambdasec reads."""

    CLOUDFORMATION = "cloudformation"
    SAM = "sam"
    TERRAFORM = "terraform"
    TERRAFORM_PLAN = "terraform-plan"
    SERVERLESS = "serverless"
    CDK = "cdk"
    AWS = "aws"
    CODE = "code"
    DEPENDENCIES = "dependencies"


@record
class Origin:
    """The place a model object was declared.

    `file` is relative to the scanned root (POSIX separators) or None for live resources.
    `resource` is the stable identity a user recognises: a CloudFormation logical id, a
    Terraform address, an ARN. `fields` maps a dotted field pointer (for example
    `auth_type` or `environment.DB_PASSWORD`) to the line that sets it.
    `construct_path` is the CDK construct path when the template came from cdk.out.
    """

    source: SourceKind
    file: str | None
    line: int | None
    resource: str
    fields: tuple[tuple[str, int], ...] = field(default=(), compare=False)
    construct_path: str | None = None

    def line_of(self, pointer: str | None) -> int | None:
        """The line that sets `pointer`, falling back to its closest parent, then the resource line."""
        fields = self.fields
        if pointer and fields:
            probe = pointer
            while probe:
                # Scanned from the end (the last entry of a pointer wins): quicker than a dict of them all,
                # for the one lookup a finding makes.
                for name, line in reversed(fields):
                    if name == probe:
                        return line
                probe = probe.rpartition(".")[0]
        return self.line
