"""Maps network resources: subnets with their availability zone, and the data stores that live in a VPC."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from lambdasec.model import DataStore, DataStoreKind, Subnet
from lambdasec.sources.cloudformation.intrinsics import intrinsic_name
from lambdasec.sources.cloudformation.properties import Context, Resource
from lambdasec.sources.cloudformation.references import GENERATED

__all__ = ["DATA_STORE_TYPES", "map_data_store", "map_subnet"]

# Resource type -> (kind, property holding the store's name).
_DATA_STORES: Final[Mapping[str, tuple[DataStoreKind, str]]] = {
    "AWS::RDS::DBInstance": (DataStoreKind.RDS_INSTANCE, "DBInstanceIdentifier"),
    "AWS::RDS::DBCluster": (DataStoreKind.RDS_CLUSTER, "DBClusterIdentifier"),
    "AWS::ElastiCache::CacheCluster": (DataStoreKind.ELASTICACHE, "ClusterName"),
    "AWS::ElastiCache::ReplicationGroup": (DataStoreKind.ELASTICACHE, "ReplicationGroupId"),
    "AWS::ElastiCache::ServerlessCache": (DataStoreKind.ELASTICACHE, "ServerlessCacheName"),
    "AWS::OpenSearchService::Domain": (DataStoreKind.OPENSEARCH, "DomainName"),
    "AWS::Elasticsearch::Domain": (DataStoreKind.OPENSEARCH, "DomainName"),
    "AWS::MemoryDB::Cluster": (DataStoreKind.MEMORYDB, "ClusterName"),
    "AWS::Redshift::Cluster": (DataStoreKind.REDSHIFT, "ClusterIdentifier"),
    "AWS::RedshiftServerless::Workgroup": (DataStoreKind.REDSHIFT, "WorkgroupName"),
    "AWS::DocDB::DBCluster": (DataStoreKind.DOCUMENTDB, "DBClusterIdentifier"),
    "AWS::DocDB::DBInstance": (DataStoreKind.DOCUMENTDB, "DBInstanceIdentifier"),
    "AWS::DocDBElastic::Cluster": (DataStoreKind.DOCUMENTDB, "ClusterName"),
}

DATA_STORE_TYPES: Final = tuple(_DATA_STORES)


def map_subnet(resource: Resource, ctx: Context) -> Subnet:
    """An AWS::EC2::Subnet; its zone is `AvailabilityZone`, else `AvailabilityZoneId`."""
    p = resource.properties(ctx)
    zone = p.text("AvailabilityZone", field="availability_zone")
    if zone is None:
        zone = p.text("AvailabilityZoneId", field="availability_zone")
    return Subnet(
        key=ctx.key(resource.logical_id),
        availability_zone=zone,
        zone_index=_zone_index(p.data.get("AvailabilityZone")),
        origin=resource.origin(ctx, p),
    )


def _zone_index(raw: Any) -> int | None:
    """N in `!Select [N, !GetAZs ""]` (or `!GetAZs !Ref AWS::Region`): the Nth zone of the stack's region."""
    if intrinsic_name(raw) != "Fn::Select":
        return None
    args = raw["Fn::Select"]
    if not isinstance(args, list) or len(args) != 2 or intrinsic_name(args[1]) != "Fn::GetAZs":
        return None
    region = args[1]["Fn::GetAZs"]
    if region not in ("", {"Ref": "AWS::Region"}):
        return None
    index = args[0]
    if isinstance(index, str) and index.isdigit():
        return int(index)
    return index if isinstance(index, int) and not isinstance(index, bool) else None


def map_data_store(resource: Resource, ctx: Context) -> DataStore:
    """An RDS, ElastiCache, OpenSearch, MemoryDB, Redshift or DocumentDB resource (DATA_STORE_TYPES)."""
    kind, name_key = _DATA_STORES[resource.type]
    p = resource.properties(ctx)
    return DataStore(
        key=ctx.key(resource.logical_id),
        kind=kind,
        name=p.text(name_key, field="name") or GENERATED,
        origin=resource.origin(ctx, p),
    )
