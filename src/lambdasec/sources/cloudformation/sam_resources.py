"""`AWS::Serverless::LayerVersion` and `SimpleTable` -> their CloudFormation resources."""

from __future__ import annotations

from typing import Any

from lambdasec.sources.cloudformation.sam_context import Expander
from lambdasec.sources.cloudformation.sam_function import code_location
from lambdasec.sources.cloudformation.sam_marks import keep, key_line, node, put
from lambdasec.sources.cloudformation.sam_policies import tag_list

__all__ = ["expand_layer", "expand_simple_table"]

_LAYER_KEYS = ("LayerName", "Description", "CompatibleRuntimes", "CompatibleArchitectures", "LicenseInfo")
_ATTRIBUTE_TYPES = {"String": "S", "Number": "N", "Binary": "B"}


def expand_layer(ex: Expander, logical_id: str, props: Any, *, line: int) -> None:
    """A layer version keeps its logical id (SAM appends a hash; references stay valid this way)."""
    layer = node(getattr(props, "line", 0) or line)
    content = props.get("ContentUri", ".")
    at = key_line(props, "ContentUri", line) if "ContentUri" in props else line
    location = code_location(content, at)
    if location is None:
        ex.warn(
            f"`ContentUri` of `{logical_id}` is not a path, an S3 URI or a Bucket/Key mapping; "
            "content location unknown",
            at,
        )
    else:
        put(layer, "Content", location, at)
    for key in _LAYER_KEYS:
        keep(layer, props, key)
    ex.replace_resource(logical_id, "AWS::Lambda::LayerVersion", layer)


def expand_simple_table(ex: Expander, logical_id: str, props: Any, *, line: int) -> None:
    """A DynamoDB table keyed by `PrimaryKey` (default `id`, String), on demand unless throughput is set."""
    table = node(getattr(props, "line", 0) or line)
    key = props.get("PrimaryKey") if isinstance(props.get("PrimaryKey"), dict) else {}
    at = key_line(props, "PrimaryKey", line) if "PrimaryKey" in props else line
    name = key.get("Name", "id")
    kind = _ATTRIBUTE_TYPES.get(key.get("Type", "String"), key.get("Type"))
    put(table, "AttributeDefinitions", [{"AttributeName": name, "AttributeType": kind}], at)
    put(table, "KeySchema", [{"AttributeName": name, "KeyType": "HASH"}], at)
    if not keep(table, props, "ProvisionedThroughput"):
        put(table, "BillingMode", "PAY_PER_REQUEST", line)
    for prop in ("TableName", "SSESpecification", "PointInTimeRecoverySpecification"):
        keep(table, props, prop)
    if "Tags" in props:
        put(table, "Tags", tag_list(props["Tags"], line=line, sam_tag=False), key_line(props, "Tags", line))
    ex.replace_resource(logical_id, "AWS::DynamoDB::Table", table)
