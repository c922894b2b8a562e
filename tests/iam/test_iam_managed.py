"""AWS managed policies offline: the data file, lookups by ARN in any partition, documents."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from lambdasec.iam import aws_managed_key, load_managed_policies
from lambdasec.model import Effect, Origin, SourceKind, Unresolved

REQUIRED = [
    "/AdministratorAccess",
    "/PowerUserAccess",
    "/ReadOnlyAccess",
    "/service-role/AWSLambdaBasicExecutionRole",
    "/service-role/AWSLambdaVPCAccessExecutionRole",
    "/AWSLambda_FullAccess",
    "/service-role/AWSLambdaRole",
    "/service-role/AWSLambdaDynamoDBExecutionRole",
    "/service-role/AWSLambdaKinesisExecutionRole",
    "/service-role/AWSLambdaSQSQueueExecutionRole",
    "/AWSXRayDaemonWriteAccess",
    "/AWSXrayWriteOnlyAccess",
    "/AmazonS3FullAccess",
    "/AmazonS3ReadOnlyAccess",
    "/AmazonDynamoDBFullAccess",
    "/AmazonDynamoDBReadOnlyAccess",
    "/AmazonSQSFullAccess",
    "/AmazonSNSFullAccess",
    "/SecretsManagerReadWrite",
    "/IAMFullAccess",
    "/CloudWatchLogsFullAccess",
    "/AmazonKinesisFullAccess",
]


def test_data_file_records_its_source_and_date() -> None:
    raw = json.loads(resources.files("lambdasec.data").joinpath("aws_managed_policies.json").read_text())
    assert raw["_source"]["package"] == "moto"
    assert raw["_source"]["file"] == "moto/iam/aws_managed_policies.py"
    assert raw["_generated"] == "2026-11-22"
    catalog = load_managed_policies()
    assert len(catalog) > 1500
    assert catalog.source["version"] == raw["_source"]["version"]


@pytest.mark.parametrize("key", REQUIRED)
def test_commonly_attached_policies_are_present(key: str) -> None:
    policy = load_managed_policies().get(f"arn:aws:iam::aws:policy{key}")
    assert policy is not None
    assert policy.key == key
    assert policy.document["Statement"]


def test_exact_documents_of_small_policies() -> None:
    catalog = load_managed_policies()
    basic = catalog.get("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    assert basic is not None
    assert basic.document == {
        "Statement": [
            {
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "Effect": "Allow",
                "Resource": "*",
            }
        ],
        "Version": "2012-10-17",
    }
    admin = catalog.get("AdministratorAccess")
    assert admin is not None
    assert admin.document == {
        "Statement": [{"Action": "*", "Effect": "Allow", "Resource": "*"}],
        "Version": "2012-10-17",
    }


@pytest.mark.parametrize(
    ("ref", "key"),
    [
        ("arn:aws:iam::aws:policy/AdministratorAccess", "/AdministratorAccess"),
        ("arn:aws-cn:iam::aws:policy/ReadOnlyAccess", "/ReadOnlyAccess"),
        ("arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaRole", "/service-role/AWSLambdaRole"),
        (
            Unresolved(
                "!Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
            ),
            "/service-role/AWSLambdaVPCAccessExecutionRole",
        ),
        ("arn:aws:iam::123456789012:policy/AdministratorAccess", None),
        (Unresolved("!Ref PolicyArn"), None),
        ("AdministratorAccess", None),
    ],
)
def test_aws_managed_key(ref: str | Unresolved, key: str | None) -> None:
    assert aws_managed_key(ref) == key


def test_lookup_by_name_and_path_and_misses() -> None:
    catalog = load_managed_policies()
    by_name = catalog.get("AWSLambdaBasicExecutionRole")
    assert by_name is not None
    assert by_name.arn("aws-cn") == "arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    assert catalog.get("/service-role/AWSLambdaBasicExecutionRole") == by_name
    assert catalog.get("arn:aws:iam::aws:policy/NoSuchPolicy") is None
    assert catalog.get("arn:aws:iam::123456789012:policy/AdministratorAccess") is None


def test_policy_document_becomes_model_statements() -> None:
    policy = load_managed_policies().get("PowerUserAccess")
    assert policy is not None
    origin = Origin(source=SourceKind.SAM, file="template.yaml", line=7, resource=policy.arn())
    document = policy.policy_document(origin=origin)
    first = document.statements[0]
    assert first.effect is Effect.ALLOW
    assert first.not_actions == ("iam:*", "organizations:*", "account:*")
    assert first.resources == ("*",)
    assert first.origin.line == 7
    assert first.origin.resource == "arn:aws:iam::aws:policy/PowerUserAccess/Statement/0"


def test_policies_sam_knows_by_path_are_in_the_catalog() -> None:
    """SAM resolves bare names to pathed ARNs (data/sam_policy_templates.json); all are known offline
    except four that moto's snapshot of the account's list no longer has (discontinued services)."""
    raw = json.loads(resources.files("lambdasec.data").joinpath("sam_policy_templates.json").read_text())
    catalog = load_managed_policies()
    missing = {name for name, arn in raw["ManagedPolicyArns"].items() if catalog.get(arn) is None}
    assert missing == {
        "AWSIotRoboRunnerServiceRolePolicy",
        "AWSOpsWorksCMServiceRole",
        "AmazonCloudWatchEvidentlyServiceRolePolicy",
        "ServerMigration_ServiceRole",
    }
