"""Who may invoke a function: resource-policy grants and function URLs."""

from __future__ import annotations

from enum import StrEnum

from lambdasec.model.iam import Condition
from lambdasec.model.origin import Origin
from lambdasec.model.values import Unresolved
from lambdasec.records import record

MaybeStr = str | Unresolved


class AuthType(StrEnum):
    """Function URL authentication type."""

    NONE = "NONE"
    AWS_IAM = "AWS_IAM"


@record
class Permission:
    """One statement of a function's resource-based policy (AWS::Lambda::Permission, aws_lambda_permission).

    `function` is the inventory key or ARN of the target function. `principal` is `*`, an account id,
    an ARN or a service principal such as `s3.amazonaws.com`. `conditions` holds the conditions
    of a statement read from a live policy; source-declared restrictions are in the named fields.
    """

    key: str
    function: MaybeStr
    qualifier: MaybeStr | None = None
    action: MaybeStr
    principal: MaybeStr
    source_arn: MaybeStr | None = None
    source_account: MaybeStr | None = None
    principal_org_id: MaybeStr | None = None
    function_url_auth_type: AuthType | Unresolved | None = None
    event_source_token: MaybeStr | None = None
    conditions: tuple[Condition, ...] = ()
    implicit: bool = False
    origin: Origin

    @property
    def is_restricted(self) -> bool:
        """True when a condition narrows who can use the grant.

        A declared SourceArn, SourceAccount, PrincipalOrgID or EventSourceToken restricts the caller even
        when its value is not known statically (typically `!GetAtt Bucket.Arn`); only a literal `*` does not.
        """
        if self.function_url_auth_type is AuthType.AWS_IAM or self.conditions:
            return True
        narrowing = (self.source_arn, self.source_account, self.principal_org_id, self.event_source_token)
        return any(v is not None and v != "*" for v in narrowing)


@record
class Cors:
    """CORS settings of a function URL or HTTP API."""

    allow_origins: tuple[MaybeStr, ...] | Unresolved = ()
    allow_credentials: bool | Unresolved = False
    allow_methods: tuple[MaybeStr, ...] | Unresolved = ()
    allow_headers: tuple[MaybeStr, ...] | Unresolved = ()


@record
class FunctionUrl:
    """A function URL."""

    key: str
    function: MaybeStr
    qualifier: MaybeStr | None = None
    auth_type: AuthType | Unresolved
    cors: Cors | Unresolved | None = None
    invoke_mode: MaybeStr = "BUFFERED"
    origin: Origin
