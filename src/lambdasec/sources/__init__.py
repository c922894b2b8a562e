"""Sources: readers that turn each kind of input into the Inventory, and the table that picks them."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from lambdasec.model import SourceKind
from lambdasec.sources.interface import InputFile, Source, SourceOutput

__all__ = ["InputFile", "Source", "SourceOutput", "source_for"]


def source_for(
    kind: SourceKind,
    *,
    terraform_var_files: tuple[Path, ...] = (),
    terraform_vars: Mapping[str, Any] | None = None,
    serverless_stage: str | None = None,
    serverless_params: Mapping[str, str] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Source:
    """The loader for files discovery classified as `kind` (`terraform_var_files`: `--var-file`s,
    `terraform_vars`: `--var` values, `serverless_stage`: `--stage`, `serverless_params`: `--param`s).

    `meanwhile` is work of the scan's own that the Serverless source runs while forked copies of the
    scan start on its files; the other sources leave it to the scan.
    """
    match kind:
        case SourceKind.CLOUDFORMATION | SourceKind.SAM:
            from lambdasec.sources.cloudformation import CloudFormationSource

            return CloudFormationSource()
        case SourceKind.TERRAFORM:
            from lambdasec.sources.terraform import TerraformSource

            return TerraformSource(var_files=terraform_var_files, variables=terraform_vars)
        case SourceKind.TERRAFORM_PLAN:
            from lambdasec.sources.terraform_plan import TerraformPlanSource

            return TerraformPlanSource()
        case SourceKind.CDK:
            from lambdasec.sources.cdk import CdkSource

            return CdkSource()
        case SourceKind.SERVERLESS:
            from lambdasec.sources.serverless import ServerlessSource

            options = {"stage": serverless_stage} if serverless_stage is not None else {}
            return ServerlessSource(
                environ=dict(os.environ), options=options, params=serverless_params, meanwhile=meanwhile
            )
        case _:
            raise NotImplementedError(f"no source reads {kind} inputs yet")
