"""Time the IAM engine on generated roles: catalog load, then the queries identity rules make per role."""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from lambdasec.iam import RiskTag, load_catalog, load_managed_policies, load_overrides, parse_document
from lambdasec.iam.roles import RoleAnalyzer
from lambdasec.model import Inventory, Origin, Policy, PolicyKind, Role, SourceKind

_MANAGED = (
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
)
_ACTIONS = (
    "s3:GetObject",
    "s3:PutObject",
    "s3:Get*",
    "dynamodb:*Item",
    "dynamodb:Query",
    "sqs:SendMessage",
    "sqs:*",
    "sns:Publish",
    "logs:*",
    "kms:Decrypt",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter*",
    "lambda:InvokeFunction",
    "iam:PassRole",
    "events:PutEvents",
    "xray:Put*",
)


def _role(index: int, *, policies: int, rng: random.Random) -> Role:
    origin = Origin(source=SourceKind.CLOUDFORMATION, file="t.yaml", line=index, resource=f"Role{index}")
    inline: list[Policy] = []
    for n in range(policies - 2):
        statements = [
            {
                "Effect": "Allow",
                "Action": rng.sample(_ACTIONS, 3),
                "Resource": rng.choice(["*", f"arn:aws:s3:::bucket-{n}/*", f"arn:aws:sqs:eu-west-1:1:q{n}"]),
            },
            {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"} if n % 5 == 0 else None,
        ]
        raw = {"Statement": [s for s in statements if s is not None]}
        document = parse_document(raw, origin=origin)
        inline.append(Policy(name=f"p{n}", kind=PolicyKind.INLINE, document=document, origin=origin))
    return Role(
        key=f"Role{index}",
        name=f"role-{index}",
        trust_policy=None,
        policies=tuple(inline),
        managed_policy_arns=tuple(rng.sample(_MANAGED, 2)),
        origin=origin,
    )


def _timed(label: str, work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed:.3f} s")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    """Print timings; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--roles", type=int, default=1000)
    parser.add_argument("--policies", type=int, default=20)
    args = parser.parse_args(argv)
    rng = random.Random(4)
    _timed("catalog load", load_catalog)
    _timed("managed policies load", load_managed_policies)
    _timed("overrides load", load_overrides)
    inventory = Inventory(roles=tuple(_role(i, policies=args.policies, rng=rng) for i in range(args.roles)))

    def analyse() -> None:
        analyzer = RoleAnalyzer(inventory)
        for role in inventory.roles:
            perms = analyzer.permissions(role)
            perms.is_admin()
            for tag in RiskTag:
                perms.actions_with_tag(tag)
            perms.escalation_paths()
            perms.unknown_actions()

    _timed(f"{args.roles} roles x {args.policies} policies, all queries", analyse)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
