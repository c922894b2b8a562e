"""Model-level tests of LS601 code-signing-not-enforced."""

from __future__ import annotations

import dataclasses

from factories import make_function, make_inventory, make_origin, run
from lambdasec.findings import Severity
from lambdasec.model import CodeSigningConfig, PackageType, Unresolved, UntrustedArtifactPolicy
from lambdasec.rules.supply_chain.code_signing_not_enforced import code_signing_not_enforced as rule


def config(
    key: str, policy: UntrustedArtifactPolicy | Unresolved, *, arn: str | None = None
) -> CodeSigningConfig:
    return CodeSigningConfig(
        key=key,
        arn=arn,
        signing_profile_version_arns=("arn:aws:signer:us-east-1:1:/signing-profiles/p/v",),
        untrusted_artifact_on_deployment=policy,
        origin=make_origin(key, 30, fields={"untrusted_artifact_on_deployment": 33}),
    )


CONFIGS = [
    config("warn", UntrustedArtifactPolicy.WARN),
    config(
        "enforce", UntrustedArtifactPolicy.ENFORCE, arn="arn:aws:lambda:us-east-1:1:code-signing-config:csc-1"
    ),
    config("param", Unresolved("!Ref Policy")),
]


def signed(name: str, ref: str | Unresolved | None) -> object:
    return dataclasses.replace(make_function(name, line=5), code_signing_config=ref)


def test_missing_config_is_low_and_warn_is_medium_on_the_policy_line() -> None:
    result = run(
        rule,
        make_inventory(
            functions=[signed("unsigned", None), signed("warned", "warn"), signed("enforced", "enforce")],
            code_signing_configs=CONFIGS,
        ),
    )
    assert [(f.function, f.location.line, f.severity, f.resource.type) for f in result.findings] == [
        ("unsigned", 5, Severity.LOW, "function"),
        ("warned", 33, Severity.MEDIUM, "code_signing_config"),
    ]
    assert [f.message for f in result.findings] == [
        "`unsigned` has no code signing configuration, so Lambda deploys any code package without checking "
        "who signed it",
        "Code signing configuration `warn` of `warned` only warns about untrusted code "
        "(`UntrustedArtifactOnDeployment: Warn`), so unsigned or tampered packages still deploy",
    ]


def test_configs_found_by_arn_images_and_unknowns() -> None:
    functions = [
        signed("by-arn", "arn:aws:lambda:us-east-1:1:code-signing-config:csc-1"),
        dataclasses.replace(signed("image", None), package_type=PackageType.IMAGE),
        signed("external", "arn:aws:lambda:us-east-1:1:code-signing-config:csc-9"),
        signed("from-param", Unresolved("!Ref SigningConfig")),
        signed("policy-param", "param"),
        dataclasses.replace(signed("type-param", None), package_type=Unresolved("!Ref PackageType")),
    ]
    result = run(rule, make_inventory(functions=functions, code_signing_configs=CONFIGS))
    assert result.findings == []
    assert result.coverage.unevaluated == (
        (
            "external",
            "code signing configuration `arn:aws:lambda:us-east-1:1:code-signing-config:csc-9` "
            "is not defined in the scanned sources",
        ),
        ("from-param", "code signing configuration unknown: !Ref SigningConfig"),
        ("policy-param", "code signing policy unknown: !Ref Policy"),
        ("type-param", "package type unknown: !Ref PackageType"),
    )
    assert result.coverage.evaluated == 2
