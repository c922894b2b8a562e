"""Maps the provisioned concurrency of an AWS::Lambda::Alias or AWS::Lambda::Version."""

from __future__ import annotations

from lambdasec.model import ProvisionedConcurrency, Unresolved
from lambdasec.sources.cloudformation.properties import Context, Resource
from lambdasec.sources.cloudformation.references import ALIAS, function_target

__all__ = ["map_provisioned_concurrency"]


def map_provisioned_concurrency(resource: Resource, ctx: Context) -> ProvisionedConcurrency | None:
    """The `ProvisionedConcurrencyConfig` of an alias or version, None when it sets none.

    The qualifier is the alias name; a version's number is assigned at deploy time, so it is unknown.
    A missing `FunctionName` or `Name` is reported by the alias and version mappers, not again here.
    """
    p = resource.properties(ctx)
    config = p.node("ProvisionedConcurrencyConfig")
    if config is None:
        return None
    executions: int | Unresolved
    if isinstance(config, Unresolved):
        p.note("executions", "ProvisionedConcurrencyConfig")
        executions = config
    else:
        executions = config.required(
            config.integer("ProvisionedConcurrentExecutions", field="executions"),
            "ProvisionedConcurrentExecutions",
        )
    target = function_target(p, "FunctionName", field="function")
    qualifier: str | Unresolved | None
    if resource.type in ALIAS:
        qualifier = p.text("Name", field="qualifier")
    else:
        qualifier = Unresolved(f"version number of {resource.logical_id} is assigned at deploy time")
    return ProvisionedConcurrency(
        key=ctx.key(resource.logical_id),
        function=target.function if target else Unresolved("FunctionName is missing"),
        qualifier=qualifier if qualifier is not None else Unresolved("Name is missing"),
        executions=executions,
        origin=resource.origin(ctx, p),
    )
