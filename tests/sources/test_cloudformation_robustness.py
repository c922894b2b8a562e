"""Any shape of property values maps without an exception: wrong types become Unresolved and warnings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambdasec.model import SourceKind
from lambdasec.sources.cloudformation import CloudFormationSource
from lambdasec.sources.interface import InputFile

TYPES = [
    "AWS::Lambda::Function",
    "AWS::Lambda::Permission",
    "AWS::Lambda::Url",
    "AWS::Lambda::Version",
    "AWS::Lambda::Alias",
    "AWS::Lambda::EventSourceMapping",
    "AWS::Lambda::EventInvokeConfig",
    "AWS::Lambda::LayerVersion",
    "AWS::Lambda::LayerVersionPermission",
    "AWS::Lambda::CodeSigningConfig",
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::Logs::LogGroup",
    "AWS::Logs::SubscriptionFilter",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::S3::Bucket",
    "AWS::SNS::Topic",
    "AWS::SNS::Subscription",
    "AWS::Events::Rule",
    "AWS::Scheduler::Schedule",
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGateway::Resource",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Authorizer",
    "AWS::ApiGateway::Stage",
    "AWS::ApiGateway::Deployment",
    "AWS::ApiGateway::UsagePlan",
    "AWS::ApiGatewayV2::Api",
    "AWS::ApiGatewayV2::Route",
    "AWS::ApiGatewayV2::Integration",
    "AWS::ApiGatewayV2::Authorizer",
    "AWS::ApiGatewayV2::Stage",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::Cognito::UserPool",
    "AWS::IoT::TopicRule",
]
NAMES = ["R0", "R1", "R2", "R3"]
KEYS = st.sampled_from(
    [
        "FunctionName",
        "Role",
        "Runtime",
        "Code",
        "Environment",
        "Variables",
        "Layers",
        "VpcConfig",
        "Policies",
        "PolicyDocument",
        "Statement",
        "Effect",
        "Action",
        "Resource",
        "Principal",
        "Condition",
        "AssumeRolePolicyDocument",
        "ManagedPolicyArns",
        "Roles",
        "TargetFunctionArn",
        "AuthType",
        "Cors",
        "EventSourceArn",
        "DestinationConfig",
        "OnFailure",
        "Destination",
        "NotificationConfiguration",
        "LambdaConfigurations",
        "Function",
        "Targets",
        "Arn",
        "Endpoint",
        "Protocol",
        "Subscription",
        "Body",
        "paths",
        "x-amazon-apigateway-integration",
        "uri",
        "security",
        "MethodSettings",
        "Integration",
        "Uri",
        "ParentId",
        "PathPart",
        "ResourceId",
        "RestApiId",
        "ApiId",
        "Target",
        "RouteKey",
        "StageName",
        "SecurityGroupEgress",
        "GroupId",
        "Throttle",
        "ApiStages",
        "Tags",
        "Architectures",
        "TracingConfig",
        "Mode",
        "Metadata",
        "LoggingConfig",
        "LogGroup",
        "StageDescription",
        "DefaultRouteSettings",
        "Size",
        "lambdasec",
        "ignore",
        "id",
        "reason",
        "openapi",
        "components",
        "securitySchemes",
        "get",
        "Type",
        "LambdaConfig",
        "PreSignUp",
        "TopicRulePayload",
        "Actions",
        "Lambda",
        "FunctionArn",
        "TargetType",
        "Id",
    ]
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(["*", "", "x", "NONE", "arn:aws:lambda:x"])
)
INTRINSICS = st.one_of(
    st.builds(lambda n: {"Ref": n}, st.sampled_from([*NAMES, "AWS::NoValue", "AWS::Region", "P", "nowhere"])),
    st.builds(lambda n: {"Fn::GetAtt": [n, "Arn"]}, st.sampled_from(NAMES)),
    st.builds(lambda t: {"Fn::Sub": t}, st.sampled_from(["${R0.Arn}", "${P}-x", "${AWS::Partition}", "${"])),
    st.builds(lambda c: {"Fn::If": [c, "a", {"Ref": "AWS::NoValue"}]}, st.sampled_from(["C", "Missing"])),
    st.just({"Fn::Join": 5}),
    st.just({"Fn::Select": [9, []]}),
    st.just({"Fn::Bogus": 1}),
    st.just({"!Weird": "x"}),
)
VALUES = st.recursive(
    st.one_of(SCALARS, INTRINSICS),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(KEYS, children, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(resources=st.lists(st.tuples(st.sampled_from(TYPES), VALUES, VALUES), min_size=1, max_size=4))
def test_arbitrary_property_shapes_never_raise(tmp_path: Path, resources: list[tuple[str, Any, Any]]) -> None:
    body: dict[str, Any] = {
        "Parameters": {"P": {"Type": "String"}},
        "Conditions": {"C": {"Fn::Equals": [{"Ref": "P"}, "x"]}},
        "Resources": {
            NAMES[i]: {"Type": kind, "Properties": props, "Metadata": metadata}
            for i, (kind, props, metadata) in enumerate(resources)
        },
    }
    path = tmp_path / "template.yaml"
    path.write_text(yaml.safe_dump(body))
    output = CloudFormationSource().load(
        (InputFile(path=path, display="template.yaml", kind=SourceKind.CLOUDFORMATION),), root=tmp_path
    )
    assert output.files == ("template.yaml",)
    assert all(d.file == "template.yaml" and d.level in ("warning", "error") for d in output.diagnostics)
