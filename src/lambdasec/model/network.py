"""Network placement and private data stores: subnets and the databases and caches functions reach."""

from __future__ import annotations

from enum import StrEnum

from lambdasec.model.origin import Origin
from lambdasec.model.values import Unresolved
from lambdasec.records import record

MaybeStr = str | Unresolved


@record
class Subnet:
    """A VPC subnet.

    `availability_zone` is the zone name or id; None when the template leaves the choice to EC2,
    Unresolved when it is an expression (two subnets with equal expressions are in the same zone).
    `zone_index` is set when the zone is picked by position in the region's zone list
    (`!Select [1, !GetAZs ""]`): different indexes are different zones.
    """

    key: str
    availability_zone: MaybeStr | None = None
    zone_index: int | None = None
    origin: Origin


class DataStoreKind(StrEnum):
    """Data stores that are only reachable inside a VPC unless made public."""

    RDS_INSTANCE = "rds-instance"
    RDS_CLUSTER = "rds-cluster"
    ELASTICACHE = "elasticache"
    OPENSEARCH = "opensearch"
    MEMORYDB = "memorydb"
    REDSHIFT = "redshift"
    DOCUMENTDB = "documentdb"

    def describe(self) -> str:
        """How messages name the kind: `RDS DB instance`, `ElastiCache cluster`..."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    DataStoreKind.RDS_INSTANCE: "RDS DB instance",
    DataStoreKind.RDS_CLUSTER: "RDS DB cluster",
    DataStoreKind.ELASTICACHE: "ElastiCache cluster",
    DataStoreKind.OPENSEARCH: "OpenSearch domain",
    DataStoreKind.MEMORYDB: "MemoryDB cluster",
    DataStoreKind.REDSHIFT: "Redshift cluster",
    DataStoreKind.DOCUMENTDB: "DocumentDB cluster",
}


@record
class DataStore:
    """A database, cache or search domain that lives in a VPC (RDS, ElastiCache, OpenSearch, ...)."""

    key: str
    kind: DataStoreKind
    name: MaybeStr
    origin: Origin
