"""Answers the identity rules share per inventory: each role is judged once and by its own statements."""

from __future__ import annotations

from factories import make_function, make_inventory, make_policy, make_role, make_statement
from lambdasec.rules.identity.execution_role_admin_access import AdminGrant, admin_grant


def test_admin_grant_is_judged_once_per_role_object_of_an_inventory() -> None:
    admin = make_role(policies=[make_policy(make_statement(actions=["*"], resources=["*"], line=14))])
    narrow = make_role(policies=[make_policy(make_statement(actions=["s3:GetObject"], resources=["*"]))])
    inventory = make_inventory(functions=[make_function()], roles=[admin])
    first = admin_grant(inventory, admin)
    assert isinstance(first, AdminGrant)
    assert first.origin.line == 14
    assert admin_grant(inventory, admin) is first
    # Another role object under the same key is judged on its own statements.
    assert narrow.key == admin.key
    assert admin_grant(inventory, narrow) is None
    assert admin_grant(make_inventory(functions=[make_function()], roles=[narrow]), admin) == first
