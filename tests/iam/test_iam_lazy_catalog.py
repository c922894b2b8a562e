"""Questions on a role read only the catalog services they name, also when a statement grants `*`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from factories import make_origin
from lambdasec.iam import Access, ActionCatalog, RiskOverrides, RiskTag, parse_document
from lambdasec.iam.effective import EffectivePermissions, grants_of
from lambdasec.iam.grants import PolicySource
from lambdasec.model import PolicyKind


def _action(name: str, level: str = "Read") -> dict[str, Any]:
    return {"name": name, "accessLevel": level, "resourceTypes": [{"name": "thing", "required": True}]}


_SERVICES: dict[str, dict[str, dict[str, Any]]] = {
    "s3": {"getobject": _action("GetObject"), "putbucketpolicy": _action("PutBucketPolicy", "Write")},
    "sqs": {"sendmessage": _action("SendMessage", "Write")},
    "iam": {"passrole": _action("PassRole", "Write"), "createuser": _action("CreateUser", "Write")},
    "ec2": {"runinstances": _action("RunInstances", "Write")},
}


class _Recording(Mapping[str, Mapping[str, Mapping[str, Any]]]):
    """Service -> actions, remembering which services had their actions read."""

    def __init__(self) -> None:
        self.read: set[str] = set()

    def __getitem__(self, service: str) -> Mapping[str, Mapping[str, Any]]:
        found = _SERVICES[service]
        self.read.add(service)
        return found

    def __contains__(self, service: object) -> bool:
        return service in _SERVICES

    def __iter__(self) -> Iterator[str]:
        return iter(_SERVICES)

    def __len__(self) -> int:
        return len(_SERVICES)


_RAW_OVERRIDES: dict[str, Any] = {
    "sources": {"ref": {"title": "Reference", "url": "https://example.com"}},
    "tags": {tag.value: tag.value for tag in RiskTag},
    "actions": {
        "s3:GetObject": {"tags": ["data-exfiltration"], "reason": "Reads.", "source": "ref"},
        "s3:Put*Policy": {"tags": ["resource-exposure"], "reason": "Shares.", "source": "ref"},
        "iam:PassRole": {"tags": ["privilege-escalation"], "reason": "Passes.", "source": "ref"},
    },
    "escalation_methods": [
        {
            "id": "passrole-ec2",
            "title": "PassRole to EC2",
            "requires": ["iam:PassRole", "ec2:RunInstances"],
            "description": "Runs an instance with a role.",
            "source": "ref",
        }
    ],
}


def _permissions(*statements: dict[str, Any]) -> tuple[EffectivePermissions, _Recording]:
    details = _Recording()
    catalog = ActionCatalog(details)
    document = parse_document(
        {"Version": "2012-10-17", "Statement": list(statements)}, origin=make_origin("R")
    )
    source = PolicySource(name="p", kind=PolicyKind.INLINE, arn=None, origin=make_origin("R"))
    overrides = RiskOverrides(_RAW_OVERRIDES, catalog=catalog)
    return EffectivePermissions(
        grants_of(document, policy=source), catalog=catalog, overrides=overrides
    ), details


def test_star_grant_answers_without_reading_every_service() -> None:
    perms, details = _permissions(
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::orders/*"},
    )
    assert perms.allows("sqs:SendMessage").access is Access.ALLOWED
    assert [g.actions for g in perms.allows("sqs:SendMessage").allowed_by] == [("*",)]
    somewhere = perms.allows_somewhere("s3:GetObject")
    assert [g.actions for g in somewhere.allowed_by] == [("*",), ("s3:GetObject",)]
    assert perms.allows("sqs:NoSuchAction").access is Access.ALLOWED  # not in the catalog: read as a pattern
    assert details.read == {"s3", "sqs"}


def test_star_grant_candidates_are_the_catalog_actions_asked_about() -> None:
    perms, details = _permissions({"Effect": "Allow", "Action": "*:*", "Resource": "*"})
    assert [p.method.id for p in perms.escalation_paths()] == ["passrole-ec2"]
    assert details.read == {"iam", "ec2"}
    assert [d.action for d in perms.actions_with_tag(RiskTag.DATA_EXFILTRATION)] == ["s3:GetObject"]
    assert [d.action for d in perms.actions_with_tag(RiskTag.RESOURCE_EXPOSURE)] == ["s3:PutBucketPolicy"]
    assert details.read == {"iam", "ec2", "s3"}


def test_named_actions_ask_the_risk_table_about_their_own_services_only() -> None:
    perms, details = _permissions(
        {"Effect": "Allow", "Action": ["sqs:SendMessage", "iam:PassRole"], "Resource": "*"}
    )
    assert [d.action for d in perms.actions_with_tag(RiskTag.PRIVILEGE_ESCALATION)] == ["iam:PassRole"]
    assert perms.actions_with_tag(RiskTag.DATA_EXFILTRATION) == ()
    assert perms.escalation_paths() == ()  # ec2:RunInstances is not named
    assert details.read == {"sqs", "iam"}


def test_risk_table_resolves_one_service_at_a_time() -> None:
    details = _Recording()
    overrides = RiskOverrides(_RAW_OVERRIDES, catalog=ActionCatalog(details))
    assert overrides.tags_of("S3:getobject") == {RiskTag.DATA_EXFILTRATION}
    assert overrides.tags_of("s3:PutBucketPolicy") == {RiskTag.RESOURCE_EXPOSURE}
    assert overrides.tags_of("sqs:SendMessage") == frozenset()
    assert details.read == {"s3"}  # the table has no sqs entry
    keys = {"s3:getobject", "s3:putbucketpolicy", "iam:passrole"}
    assert overrides.tagged_among(RiskTag.DATA_EXFILTRATION, keys) == {"s3:getobject"}
    assert overrides.actions_tagged(RiskTag.PRIVILEGE_ESCALATION) == {"iam:passrole"}


def test_catalog_membership_without_expansion() -> None:
    details = _Recording()
    catalog = ActionCatalog(details)
    assert catalog.names_every_action(["s3:GetObject", " *:* "])
    assert catalog.names_every_action(["*"])
    assert not catalog.names_every_action(["s3:*", "*:GetObject"])
    assert catalog.known({"s3:getobject", "s3:nosuch", "nosuch:getobject", "s3"}) == {"s3:getobject"}
    assert details.read == {"s3"}
    assert catalog.expand("*") == catalog.all_actions
