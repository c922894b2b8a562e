"""Lambda functions and what hangs directly off them: code, environment, VPC, versions, aliases, layers."""

from __future__ import annotations

from dataclasses import field
from enum import StrEnum

from lambdasec.model.origin import Origin
from lambdasec.model.values import Unresolved
from lambdasec.records import record

MaybeStr = str | Unresolved
MaybeInt = int | Unresolved


class PackageType(StrEnum):
    """How the function's code is packaged."""

    ZIP = "Zip"
    IMAGE = "Image"


class TracingMode(StrEnum):
    """X-Ray tracing mode."""

    ACTIVE = "Active"
    PASS_THROUGH = "PassThrough"


class Architecture(StrEnum):
    """Instruction set architecture."""

    X86_64 = "x86_64"
    ARM64 = "arm64"


@record
class CodeLocation:
    """Where the deployment package lives: a local path, an S3 object, an image or inline code.

    `local_path` is relative to the scanned root when the package is in the scanned tree.
    """

    local_path: MaybeStr | None = None
    s3_bucket: MaybeStr | None = None
    s3_key: MaybeStr | None = None
    image_uri: MaybeStr | None = None
    inline: bool = False


@record
class ValueReference:
    """A resource of the same source that a value is built from: its inventory key and attribute."""

    key: str
    attribute: str | None = None


@record
class EnvVar:
    """One environment variable; its line is in the function origin under `environment.<name>`.

    `references` lists the resources of the same source its value is built from
    (`!GetAtt Db.Endpoint.Address`, `${Cache.RedisEndpoint.Address}`), resolved or not; they hold
    source-specific keys, so they take no part in equality.
    """

    name: str
    value: MaybeStr
    references: tuple[ValueReference, ...] = field(default=(), compare=False)


@record
class VpcConfig:
    """VPC attachment of a function."""

    subnet_ids: tuple[MaybeStr, ...] | Unresolved
    security_group_ids: tuple[MaybeStr, ...] | Unresolved
    ipv6_allowed_for_dual_stack: bool | Unresolved = False


@record
class LambdaFunction:
    """A Lambda function with its configuration.

    Absent settings take the value AWS applies (memory 128 MB, timeout 3 s, tracing PassThrough);
    settings a source could not determine are `Unresolved`. References to other objects
    (`role`, `code_signing_config`, targets) hold an inventory key, an ARN or `Unresolved`;
    `Inventory` resolves them.
    """

    key: str
    name: MaybeStr
    arn: MaybeStr | None = None
    runtime: MaybeStr | None
    handler: MaybeStr | None
    package_type: PackageType | Unresolved = PackageType.ZIP
    code: CodeLocation = CodeLocation()
    memory_mb: MaybeInt = 128
    timeout_s: MaybeInt = 3
    ephemeral_storage_mb: MaybeInt = 512
    environment: tuple[EnvVar, ...] | Unresolved = ()
    kms_key_arn: MaybeStr | None = None
    tracing: TracingMode | Unresolved = TracingMode.PASS_THROUGH
    vpc: VpcConfig | Unresolved | None = None
    reserved_concurrency: MaybeInt | None = None
    dead_letter_target: MaybeStr | None = None
    on_failure_destination: MaybeStr | None = None
    on_success_destination: MaybeStr | None = None
    maximum_retry_attempts: MaybeInt | None = None
    layers: tuple[MaybeStr, ...] | Unresolved = ()
    code_signing_config: MaybeStr | None = None
    architectures: tuple[Architecture | Unresolved, ...] = (Architecture.X86_64,)
    role: MaybeStr | None
    log_group_name: MaybeStr | None = None
    tags: tuple[tuple[str, MaybeStr], ...] | Unresolved = ()
    origin: Origin

    @property
    def display_name(self) -> str:
        """The function name when known; else the CDK construct path the function was synthesized from
        (without its last `/Resource`, e.g. `UrlShortener/CreateFn`); else the resource identity."""
        if isinstance(self.name, str):
            return self.name
        construct = self.origin.construct_path
        return construct.removesuffix("/Resource") if construct else self.origin.resource

    @property
    def fingerprint_name(self) -> str:
        """The name a finding's fingerprint hashes: the function name when known, else the resource identity.

        Never the construct path, so fingerprints (and baselines) do not change with how a function is shown.
        """
        return self.name if isinstance(self.name, str) else self.origin.resource


@record
class FunctionVersion:
    """A published version (AWS::Lambda::Version, AutoPublishAlias, publish = true)."""

    key: str
    function: MaybeStr
    origin: Origin


@record
class Alias:
    """An alias pointing at a version of a function."""

    key: str
    function: MaybeStr
    name: MaybeStr
    function_version: MaybeStr
    origin: Origin


@record
class ProvisionedConcurrency:
    """Execution environments Lambda keeps initialized for one alias or version of a function.

    `qualifier` names the alias or version the setting applies to (it never applies to `$LATEST`);
    `executions` is the number of environments kept ready, each billed whether or not it runs.
    """

    key: str
    function: MaybeStr
    qualifier: MaybeStr
    executions: MaybeInt
    origin: Origin


@record
class LayerVersion:
    """A layer version declared in a source."""

    key: str
    name: MaybeStr
    arn: MaybeStr | None = None
    compatible_runtimes: tuple[MaybeStr, ...] | Unresolved = ()
    origin: Origin


@record
class LayerPermission:
    """A grant on a layer version (AWS::Lambda::LayerVersionPermission)."""

    key: str
    layer: MaybeStr
    principal: MaybeStr
    organization_id: MaybeStr | None = None
    origin: Origin


class UntrustedArtifactPolicy(StrEnum):
    """What Lambda does with code whose signature check fails."""

    ENFORCE = "Enforce"
    WARN = "Warn"


@record
class CodeSigningConfig:
    """A code signing configuration."""

    key: str
    arn: MaybeStr | None = None
    signing_profile_version_arns: tuple[MaybeStr, ...] | Unresolved
    untrusted_artifact_on_deployment: UntrustedArtifactPolicy | Unresolved = UntrustedArtifactPolicy.WARN
    origin: Origin
