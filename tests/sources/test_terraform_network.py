"""Terraform security groups with their rules, subnets and data stores mapped to the model."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import (
    DataStoreKind,
    Inventory,
    SecurityGroupRule,
    SourceKind,
    Unresolved,
    VpcConfig,
)
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource

MAIN = """\
variable "rules" {}

data "aws_availability_zones" "available" {}

resource "aws_security_group" "open" {
  name = "open"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", "192.168.0.0/16"]
  }
  egress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
  egress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.db.id]
    self            = true
  }
}

resource "aws_security_group" "db" {
  name = "db"
}

resource "aws_security_group" "dynamic" {
  dynamic "egress" {
    for_each = var.rules
    content {
      protocol = "tcp"
    }
  }
}

resource "aws_security_group_rule" "db_out" {
  type              = "egress"
  security_group_id = aws_security_group.db.id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_vpc_security_group_ingress_rule" "db_in" {
  security_group_id            = aws_security_group.db.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.open.id
}

resource "aws_subnet" "by_index" {
  availability_zone = data.aws_availability_zones.available.names[2]
}

resource "aws_subnet" "by_element" {
  availability_zone = element(data.aws_availability_zones.available.names, 1)
}

resource "aws_subnet" "by_id" {
  availability_zone_id = "use1-az4"
}

resource "aws_subnet" "any" {
  cidr_block = "10.0.9.0/24"
}

resource "aws_db_instance" "orders" {
  identifier = "orders"
}

resource "aws_rds_cluster" "aurora" {
  cluster_identifier = "aurora"
}

resource "aws_elasticache_replication_group" "sessions" {
  description = "no id: generated"
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::111122223333:role/api"
  environment {
    variables = {
      DB_HOST = aws_db_instance.orders.address
      CACHE   = "rediss://${aws_elasticache_replication_group.sessions.primary_endpoint_address}:6379"
      STAGE   = "prod"
    }
  }
  vpc_config {
    subnet_ids         = [aws_subnet.by_index.id, aws_subnet.by_id.id]
    security_group_ids = [aws_security_group.open.id, "sg-0123"]
  }
}

resource "aws_lambda_function" "detached" {
  function_name = "detached"
  role          = "arn:aws:iam::111122223333:role/api"
  vpc_config {
    subnet_ids         = []
    security_group_ids = []
  }
}
"""
KEY = "main.tf#"
DB = KEY + "aws_security_group.db"
OPEN = KEY + "aws_security_group.open"


def _inventory(tmp_path: Path) -> Inventory:
    path = tmp_path / "main.tf"
    path.write_text(MAIN, encoding="utf-8")
    output = TerraformSource().load(
        (InputFile(path=path, display="main.tf", kind=SourceKind.TERRAFORM),), root=tmp_path
    )
    assert output.diagnostics == ()
    return output.inventory


def _line(marker: str, occurrence: int = 0) -> int:
    found = [n for n, text in enumerate(MAIN.splitlines(), start=1) if marker in text]
    return found[occurrence]


def test_group_blocks_give_one_rule_per_destination(tmp_path: Path) -> None:
    groups = {g.origin.resource: g for g in _inventory(tmp_path).security_groups}
    open_group = groups["aws_security_group.open"]
    assert open_group.name == "open"
    assert open_group.ingress == (
        SecurityGroupRule(protocol="tcp", from_port=443, to_port=443, cidr_ipv4="10.0.0.0/8"),
        SecurityGroupRule(protocol="tcp", from_port=443, to_port=443, cidr_ipv4="192.168.0.0/16"),
    )
    assert open_group.egress == (
        SecurityGroupRule(protocol="-1", cidr_ipv4="0.0.0.0/0"),
        SecurityGroupRule(protocol="-1", cidr_ipv6="::/0"),
        SecurityGroupRule(
            protocol="tcp", from_port=5432, to_port=5432, peer_group=KEY + "aws_security_group.db"
        ),
        SecurityGroupRule(
            protocol="tcp", from_port=5432, to_port=5432, peer_group=KEY + "aws_security_group.open"
        ),
    )
    first_egress = _line("  egress {")
    second_egress = _line("  egress {", 1)
    assert [open_group.origin.line_of(f"egress.{i}") for i in range(4)] == [
        first_egress,
        first_egress,
        second_egress,
        second_egress,
    ]


def test_separate_rules_join_their_group_with_their_own_line(tmp_path: Path) -> None:
    db = next(g for g in _inventory(tmp_path).security_groups if g.origin.resource == "aws_security_group.db")
    # No egress block: Terraform removed the default rule, so only the separate rule is there.
    assert db.egress == (
        SecurityGroupRule(protocol="tcp", from_port=443, to_port=443, cidr_ipv4="0.0.0.0/0"),
    )
    assert db.origin.line_of("egress.0") == _line('resource "aws_security_group_rule" "db_out"')
    assert db.ingress == (
        SecurityGroupRule(
            protocol="tcp", from_port=5432, to_port=5432, peer_group=KEY + "aws_security_group.open"
        ),
    )


def test_dynamic_blocks_are_unresolved(tmp_path: Path) -> None:
    groups = {g.origin.resource: g for g in _inventory(tmp_path).security_groups}
    dynamic = groups["aws_security_group.dynamic"]
    assert dynamic.egress == Unresolved("dynamic `egress` blocks of aws_security_group.dynamic")
    assert dynamic.ingress == ()
    assert dynamic.origin.line_of("egress") == _line('dynamic "egress"')


def test_subnet_zones_by_position_name_and_id(tmp_path: Path) -> None:
    subnets = {s.origin.resource: s for s in _inventory(tmp_path).subnets}
    by_index = subnets["aws_subnet.by_index"]
    assert (by_index.zone_index, by_index.availability_zone) == (
        2,
        Unresolved("data.aws_availability_zones.available.names[2]"),
    )
    assert subnets["aws_subnet.by_element"].zone_index == 1
    assert (subnets["aws_subnet.by_id"].availability_zone, subnets["aws_subnet.by_id"].zone_index) == (
        "use1-az4",
        None,
    )
    assert (subnets["aws_subnet.any"].availability_zone, subnets["aws_subnet.any"].zone_index) == (None, None)


def test_data_stores_and_the_environment_references_to_them(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path)
    assert [(s.key, s.kind, s.name) for s in inventory.data_stores] == [
        (KEY + "aws_db_instance.orders", DataStoreKind.RDS_INSTANCE, "orders"),
        (KEY + "aws_rds_cluster.aurora", DataStoreKind.RDS_CLUSTER, "aurora"),
        (
            KEY + "aws_elasticache_replication_group.sessions",
            DataStoreKind.ELASTICACHE,
            Unresolved("generated by Terraform"),
        ),
    ]
    api = next(f for f in inventory.functions if f.name == "api")
    assert not isinstance(api.environment, Unresolved)
    references = {var.name: [(r.key, r.attribute) for r in var.references] for var in api.environment}
    assert references == {
        "DB_HOST": [(KEY + "aws_db_instance.orders", "address")],
        "CACHE": [(KEY + "aws_elasticache_replication_group.sessions", "primary_endpoint_address")],
        "STAGE": [],
    }
    assert api.vpc == VpcConfig(
        subnet_ids=(KEY + "aws_subnet.by_index", KEY + "aws_subnet.by_id"),
        security_group_ids=(KEY + "aws_security_group.open", "sg-0123"),
    )


def test_empty_vpc_config_lists_detach_the_function(tmp_path: Path) -> None:
    detached = next(f for f in _inventory(tmp_path).functions if f.name == "detached")
    assert detached.vpc is None
