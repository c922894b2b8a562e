"""A resolved serverless.yml as the SAM template equivalent to the stack the framework deploys."""

from __future__ import annotations

from typing import Any, Final

from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.intrinsics import UNRESOLVED_KEY
from lambdasec.sources.cloudformation.sam import SAM_TRANSFORM
from lambdasec.sources.cloudformation.sam_marks import (
    get_att,
    is_intrinsic,
    keep,
    key_line,
    new_dict,
    node,
    put,
    seq,
    single,
)
from lambdasec.sources.serverless.cloudfront import prepare_edge_function
from lambdasec.sources.serverless.edge_plugin import EdgePlugin
from lambdasec.sources.serverless.events import HTTP_API_ID, REST_API_ID, EventCompiler
from lambdasec.sources.serverless.layers import compile_layers
from lambdasec.sources.serverless.lift import lift_queues
from lambdasec.sources.serverless.naming import (
    ROLE_ID,
    alphanumeric,
    function_id,
    function_name,
    log_group_id,
    per_function_role_id,
)
from lambdasec.sources.serverless.overrides import Override, apply_overrides
from lambdasec.sources.serverless.pseudo import PSEUDO_PARAMETERS_PLUGIN, with_pseudo_parameters
from lambdasec.sources.serverless.roles import (
    VPC_ACCESS_POLICY,
    execution_role,
    logs_statements,
    statements_of,
)
from lambdasec.sources.serverless.step_functions import compile_state_machines
from lambdasec.sources.serverless.variables import is_unresolved, unresolved
from lambdasec.sources.serverless.websockets import compile_websockets
from lambdasec.sources.yaml_loader import MarkedDict

__all__ = ["DEFAULT_MEMORY", "DEFAULT_TIMEOUT", "compile_service"]

DEFAULT_MEMORY: Final = 1024
DEFAULT_TIMEOUT: Final = 6
_PER_FUNCTION_PLUGIN: Final = "serverless-iam-roles-per-function"
# Top-level sections whose resources are not modelled: v4's Bedrock AgentCore resources (agents, and the
# gateways that invoke functions as tools).
_NOT_MODELLED: Final = {
    "ai": "Bedrock AgentCore agents, tools and gateways",
}
# Provider and function settings copied to the SAM function under the SAM name.
_COPIED: Final = {
    "handler": "Handler",
    "runtime": "Runtime",
    "kmsKeyArn": "KmsKeyArn",
    "reservedConcurrency": "ReservedConcurrentExecutions",
    "description": "Description",
    "codeSigningConfigArn": "CodeSigningConfigArn",
}


def compile_service(
    document: MarkedDict,
    *,
    stage: str,
    region: str,
    diagnostics: Diagnostics,
    unknown: frozenset[str] = frozenset(),
) -> MarkedDict:
    """The SAM template of a service; problems become diagnostics and the offending part is skipped.

    `unknown` names what `stage` and `region` hold only as an expression (`${env:STAGE}` unset):
    the names built from them are Unresolved.
    """
    if PSEUDO_PARAMETERS_PLUGIN in _plugins(document):
        document = with_pseudo_parameters(document, region=region)
    service = _Service(document, stage=stage, region=region, diagnostics=diagnostics, unknown=unknown)
    return service.template()


class _Service:
    def __init__(
        self,
        document: MarkedDict,
        *,
        stage: str,
        region: str,
        diagnostics: Diagnostics,
        unknown: frozenset[str],
    ) -> None:
        self.doc = document
        self.stage = stage
        self.region = region
        self.diagnostics = diagnostics
        service = document.get("service")
        if isinstance(service, dict) and not is_unresolved(service):
            service = service.get("name")
        # An unknown service name leaves the names built from it unknown (`${env:SERVICE}-dev-fn`).
        self.unknown = unknown if isinstance(service, str) else unknown | {"service"}
        if isinstance(service, dict) and is_unresolved(service):
            service = service[UNRESOLVED_KEY]
        elif not isinstance(service, str):
            diagnostics.error("`service` must be a name", key_line(document, "service", 0) or None)
            service = "service"
        self.service = str(service)
        provider = document.get("provider")
        self.provider: MarkedDict = provider if isinstance(provider, MarkedDict) else MarkedDict(0)
        self.provider_role = self._provider_role()  # read for every function
        if self.provider.get("name", "aws") != "aws":
            diagnostics.warn("only `provider.name: aws` is read", key_line(self.provider, "name", 0))
        self.out = node(1, [("AWSTemplateFormatVersion", "2010-09-09"), ("Transform", SAM_TRANSFORM)])
        self.resources = MarkedDict(key_line(document, "resources", 1))
        self.events = EventCompiler(diagnostics=diagnostics, resources=self.resources)
        api_gateway = self.provider.get("apiGateway")
        if isinstance(api_gateway, dict):
            self.events.rest_timeout = api_gateway.get("timeoutInMillis")
        self.shared_role_users = 0
        self.overrides: list[Override] = []
        self.function_names: list[str] = []
        self.any_vpc = False
        # The plugin and its forks (`@serverlessops/serverless-iam-roles-per-function`, `...-v4`).
        self.per_function_roles = any(
            isinstance(name, str) and _PER_FUNCTION_PLUGIN in name for name in _plugins(document)
        )
        self.edge_plugin = EdgePlugin.of(_plugins(document), diagnostics=diagnostics)

    def template(self) -> MarkedDict:
        for section, what in _NOT_MODELLED.items():
            if section in self.doc:
                self.diagnostics.warn(f"`{section}` ({what}) is not modelled", key_line(self.doc, section, 0))
        self._user_resources()
        functions = self._lift_queues(self._functions())
        if isinstance(functions, dict):
            for key, spec in functions.items():
                line = key_line(functions, key, 0)
                if not isinstance(spec, MarkedDict):
                    self.diagnostics.error(f"function `{key}` must be a mapping", line)
                    continue
                self._function(str(key), spec, line=line)
        elif functions is not None:
            self.diagnostics.error("`functions` must be a mapping", key_line(self.doc, "functions", 0))
        compile_layers(self.doc, self.resources, diagnostics=self.diagnostics)
        names = list(functions) if isinstance(functions, dict) else []
        compile_state_machines(self.doc, self.resources, functions=names, diagnostics=self.diagnostics)
        if self.shared_role_users:
            self._shared_role()
        if self.events.uses_rest_api:
            self._rest_api()
        if self.events.uses_http_api:
            self._http_api()
        if self.events.websocket_routes:
            compile_websockets(
                self.events.websocket_routes,
                provider=self.provider,
                service=self.service,
                stage=self.stage,
                resources=self.resources,
                aliased=self.events.aliased,
            )
        self._deployment_bucket()
        apply_overrides(self.resources, self.overrides, diagnostics=self.diagnostics)
        if self.edge_plugin is not None:
            self.edge_plugin.apply(self.resources)
        put(self.out, "Resources", self.resources, self.resources.line)
        return self.out

    def _functions(self) -> Any:
        """`functions:`; a list of mappings (`- ${file(fns.yml)}`) merged into one, as the framework does."""
        functions = self.doc.get("functions")
        if not isinstance(functions, list):
            return functions
        merged = MarkedDict(key_line(self.doc, "functions", 0))
        for index, part in enumerate(functions):
            line = key_line(functions, index, merged.line)
            if not isinstance(part, dict) or is_unresolved(part):
                self.diagnostics.warn("a `functions` entry that cannot be read is not scanned", line)
                continue
            for key, spec in part.items():
                merged[key] = spec
                merged.key_lines[key] = key_line(part, key, line)
        return merged

    def _lift_queues(self, functions: Any) -> Any:
        """`functions` with the workers of serverless-lift queue constructs; their queues as resources."""
        stack = self.provider.get("stackName")
        lift = lift_queues(
            self.doc,
            functions,
            stack_name=stack if isinstance(stack, str) else f"{self.service}-{self.stage}",
            diagnostics=self.diagnostics,
        )
        for logical_id, resource in lift.resources.items():
            if logical_id not in self.resources:
                put(self.resources, logical_id, resource, resource.line)
        self.events.role_statements.extend(lift.statements)
        return lift.functions

    # -- resources: ---------------------------------------------------------------------------

    def _user_resources(self) -> None:
        section = self.doc.get("resources")
        parts = section if isinstance(section, list) else [section] if section is not None else []
        for index, part in enumerate(parts):
            line = key_line(section, index, key_line(self.doc, "resources", 0))
            if not isinstance(part, dict) or "Fn::lambdasec:Unresolved" in part:
                self.diagnostics.warn("a `resources` entry that cannot be read is not scanned", line)
                continue
            for top in ("Conditions", "Outputs", "Parameters", "Mappings"):
                if isinstance(part.get(top), dict):
                    put(self.out, top, part[top], key_line(part, top, line))
            resources = part.get("Resources")
            if isinstance(resources, dict):
                for logical_id, body in resources.items():
                    at = key_line(resources, logical_id, line)
                    self.resources[logical_id] = body
                    self.resources.key_lines[logical_id] = at
                    self.overrides.append((str(logical_id), body, at, False))
            extensions = part.get("extensions")
            if isinstance(extensions, dict):
                for logical_id, body in extensions.items():
                    at = key_line(extensions, logical_id, line)
                    self.overrides.append((str(logical_id), body, at, True))

    # -- functions ----------------------------------------------------------------------------

    def _setting(self, spec: MarkedDict, key: str) -> tuple[Any, int] | None:
        """A function setting, else the provider's; with the line that sets it."""
        # `key_line` inlined: each function reads about 14 settings.
        if key in spec:
            return spec[key], spec.key_lines.get(key, 0) or spec.line
        provider = self.provider
        if key in provider:
            return provider[key], provider.key_lines.get(key, 0) or provider.line
        return None

    def _function(self, key: str, spec: MarkedDict, *, line: int) -> None:
        logical_id = function_id(key)
        properties = new_dict(line)
        name = spec["name"] if "name" in spec else self._default_name(key, line)
        put(properties, "FunctionName", name, key_line(spec, "name", line))
        if "image" in spec:
            put(properties, "PackageType", "Image", key_line(spec, "image", line))
            put(
                properties,
                "ImageUri",
                self._image(spec["image"], key_line(spec, "image", line)),
                key_line(spec, "image", line),
            )
        else:
            put(properties, "CodeUri", *self._artifact(spec, line))
        provider = self.provider
        for source, target in _COPIED.items():  # `_setting` inlined: most are absent from both
            if source in spec:
                put(properties, target, spec[source], spec.key_lines.get(source, 0) or spec.line)
            elif source in provider:
                put(properties, target, provider[source], provider.key_lines.get(source, 0) or provider.line)
        if "image" not in spec and "Runtime" not in properties:
            put(properties, "Runtime", "nodejs20.x", line)  # framework v3/v4 default runtime
        memory = self._setting(spec, "memorySize")
        put(properties, "MemorySize", *(memory or (DEFAULT_MEMORY, line)))
        timeout = self._setting(spec, "timeout")
        put(properties, "Timeout", *(timeout or (DEFAULT_TIMEOUT, line)))
        storage = self._setting(spec, "ephemeralStorageSize")
        if storage is not None:
            put(properties, "EphemeralStorage", node(storage[1], [("Size", storage[0])]), storage[1])
        architecture = self._setting(spec, "architecture")
        if architecture is not None:
            put(properties, "Architectures", seq(architecture[1], [architecture[0]]), architecture[1])
        self._environment(spec, properties, line=line)
        self._tracing(spec, properties)
        self._vpc(spec, properties)
        layers = self._setting(spec, "layers")
        if layers is not None:
            put(properties, "Layers", layers[0], layers[1])
        self._tags(spec, properties, line=line)
        self._url(spec, properties)
        self._destinations(spec, properties)
        self._dead_letter(spec, properties)
        # The framework creates the `provisioned` alias for a non-zero value only.
        if spec.get("provisionedConcurrency", 0) != 0:
            pc_line = key_line(spec, "provisionedConcurrency", line)
            put(properties, "AutoPublishAlias", "provisioned", pc_line)
            self.events.aliased.add(key)
            config = node(pc_line, [("ProvisionedConcurrentExecutions", spec["provisionedConcurrency"])])
            put(properties, "ProvisionedConcurrencyConfig", config, pc_line)
        # Events first: a per-function role carries the statements its events need.
        events = self.events.compile(spec.get("events"), function=key)
        if self.events.edge is not None and key in self.events.edge.functions:
            prepare_edge_function(properties, spec, line=key_line(spec, "events", line))
        if self.edge_plugin is not None:
            self.edge_plugin.read(spec, properties, function=key, line=line)
        put(properties, "Role", self._role(key, spec, line=line), self._role_line(spec, line))
        put(properties, "Events", events, key_line(spec, "events", line))
        if isinstance(name, str):
            self.function_names.append(name)
        if spec.get("disableLogs") is not True and isinstance(name, str):
            self._log_group(key, spec, name, line=line)
        _override(properties, self.resources.get(logical_id))
        resource = single(line, "Type", "AWS::Serverless::Function")
        put(resource, "Properties", properties, line)
        put(self.resources, logical_id, resource, line)

    def _image(self, image: Any, line: int) -> Any:
        """An image URI; an image the framework builds (`provider.ecr.images.<name>`) has none known yet."""
        if isinstance(image, dict) and not is_unresolved(image):
            image = image.get("uri", image.get("name"))
        ecr = self.provider.get("ecr")
        images = ecr.get("images") if isinstance(ecr, dict) else None
        if isinstance(image, str) and isinstance(images, dict) and image in images:
            declared = images[image]
            if isinstance(declared, dict) and "uri" in declared:
                return declared["uri"]  # an existing image, named in `provider.ecr.images`
            return unresolved(f"image `{image}` built from provider.ecr.images", line)
        return image

    def _artifact(self, spec: MarkedDict, line: int) -> tuple[Any, int]:
        """Where the code is: `package.artifact` of the function, else of the service, else its folder.

        A local artifact is a path from the service's folder; an S3 one (`s3://bucket/key`) names its object.
        """
        for owner in (spec, self.doc):
            package = owner.get("package")
            if isinstance(package, dict) and not is_unresolved(package) and "artifact" in package:
                at = key_line(package, "artifact", line)
                artifact = package["artifact"]
                if isinstance(artifact, str) and artifact.startswith(("http://", "https://")):
                    return unresolved(artifact, at), at
                return artifact, at
        return ".", line

    def _deployment_bucket(self) -> None:
        """`ServerlessDeploymentBucket`, encrypted, unless `provider.deploymentBucket` names one."""
        bucket = self.provider.get("deploymentBucket")
        if isinstance(bucket, str) or (isinstance(bucket, dict) and "name" in bucket):
            return
        if "ServerlessDeploymentBucket" in self.resources:
            return
        line = self._provider_line("deploymentBucket")
        default = node(line, [("SSEAlgorithm", "AES256")])
        rule = node(line, [("ServerSideEncryptionByDefault", default)])
        encryption = node(line, [("ServerSideEncryptionConfiguration", seq(line, [rule]))])
        bucket_resource = node(line, [("Type", "AWS::S3::Bucket")])
        put(bucket_resource, "Properties", node(line, [("BucketEncryption", encryption)]), line)
        put(self.resources, "ServerlessDeploymentBucket", bucket_resource, line)

    def _default_name(self, key: str, line: int) -> Any:
        """`<service>-<stage>-<key>`, the name of a function without a `name`."""
        return self._named(function_name(service=self.service, stage=self.stage, key=key), line)

    def _named(self, name: str, line: int, *, parts: tuple[str, ...] = ("service", "stage")) -> Any:
        """A name built from the service name and stage: Unresolved (its expression) when one is unknown."""
        return unresolved(name, line) if self.unknown & set(parts) else name

    def _environment(self, spec: MarkedDict, properties: MarkedDict, *, line: int) -> None:
        variables = new_dict(line)
        environment_line = line  # the function's `environment:` line, else the provider's
        for source in (self.provider, spec):
            environment = source.get("environment")
            if environment is None:
                continue
            environment_line = key_line(source, "environment", line)
            if not isinstance(environment, dict) or is_intrinsic(environment):
                self.diagnostics.error(
                    "`environment` must be a mapping", key_line(source, "environment", line)
                )
                continue
            if type(environment) is MarkedDict:  # `key_line` inlined: this runs for every variable
                marks, fallback = environment.key_lines, environment.line or line
                variables.update(environment)
                for name in environment:
                    variables.key_lines[name] = marks.get(name, 0) or fallback
                continue
            for name, value in environment.items():
                variables[name] = value
                variables.key_lines[name] = key_line(environment, name, line)
        if variables:
            environment_node = single(environment_line, "Variables", variables)
            put(properties, "Environment", environment_node, environment_line)

    def _tracing(self, spec: MarkedDict, properties: MarkedDict) -> None:
        if "tracing" in spec:
            value, line = spec["tracing"], key_line(spec, "tracing", spec.line)
        else:
            tracing = self.provider.get("tracing")
            if not isinstance(tracing, dict) or "lambda" not in tracing:
                return
            value, line = tracing["lambda"], key_line(tracing, "lambda", 0)
        if value is True:
            value = "Active"
        elif value is False:
            value = "PassThrough"
        put(properties, "Tracing", value, line)

    def _vpc(self, spec: MarkedDict, properties: MarkedDict) -> None:
        found = self._setting(spec, "vpc")
        if found is None or not isinstance(found[0], dict):
            return
        vpc, line = found
        if is_intrinsic(vpc):  # an unresolved variable (`${ssm:...}`) stays unknown
            put(properties, "VpcConfig", vpc, line)
            self.any_vpc = True
            return
        config = MarkedDict(line)
        for source, target in (("securityGroupIds", "SecurityGroupIds"), ("subnetIds", "SubnetIds")):
            if source in vpc:
                put(config, target, vpc[source], key_line(vpc, source, line))
        put(properties, "VpcConfig", config, line)
        self.any_vpc = True

    def _tags(self, spec: MarkedDict, properties: MarkedDict, *, line: int) -> None:
        """The tags of `provider.stackTags` (on every stack resource), `provider.tags`, then the function."""
        tags = new_dict(line)
        for source, key in ((self.provider, "stackTags"), (self.provider, "tags"), (spec, "tags")):
            values = source.get(key)
            if isinstance(values, dict) and not is_unresolved(values):
                for name, value in values.items():
                    tags[name] = value
                    tags.key_lines[name] = key_line(values, name, line)
        if tags:
            put(properties, "Tags", tags, line)

    def _url(self, spec: MarkedDict, properties: MarkedDict) -> None:
        if "url" not in spec:
            return
        url, line = spec["url"], key_line(spec, "url", spec.line)
        if url is False:
            return
        config = MarkedDict(line)
        if url is True:
            put(config, "AuthType", "NONE", line)
        elif isinstance(url, dict) and not is_intrinsic(url):
            authorizer = url.get("authorizer")
            auth_line = key_line(url, "authorizer", line)
            if authorizer is None:
                put(config, "AuthType", "NONE", line)
            elif isinstance(authorizer, str) and authorizer.lower() == "aws_iam":
                put(config, "AuthType", "AWS_IAM", auth_line)
            else:
                put(config, "AuthType", authorizer, auth_line)
            if "cors" in url:
                put(
                    config,
                    "Cors",
                    _url_cors(url["cors"], key_line(url, "cors", line)),
                    key_line(url, "cors", line),
                )
        else:
            put(config, "AuthType", url, line)  # an unresolved value stays one
        put(properties, "FunctionUrlConfig", config, line)

    def _destinations(self, spec: MarkedDict, properties: MarkedDict) -> None:
        if not ("destinations" in spec or "maximumRetryAttempts" in spec or "maximumEventAge" in spec):
            return  # most functions
        config = MarkedDict(spec.line)
        destinations = spec.get("destinations")
        if isinstance(destinations, dict):
            line = key_line(spec, "destinations", spec.line)
            targets = MarkedDict(line)
            for source, target in (("onSuccess", "OnSuccess"), ("onFailure", "OnFailure")):
                if source in destinations:
                    value_line = key_line(destinations, source, line)
                    put(targets, target, _destination(destinations[source], value_line), value_line)
            put(config, "DestinationConfig", targets, line)
        for source, target in (
            ("maximumRetryAttempts", "MaximumRetryAttempts"),
            ("maximumEventAge", "MaximumEventAgeInSeconds"),
        ):
            if source in spec:
                put(config, target, spec[source], key_line(spec, source, spec.line))
        if config:
            put(properties, "EventInvokeConfig", config, config.line)

    def _dead_letter(self, spec: MarkedDict, properties: MarkedDict) -> None:
        """`onError`, else the serverless-plugin-lambda-dead-letter plugin's `deadLetter`."""
        if "onError" in spec:
            arn, line = spec["onError"], key_line(spec, "onError", spec.line)
            kind = "SQS" if isinstance(arn, str) and ":sqs:" in arn else "SNS"
        elif isinstance(spec.get("deadLetter"), dict):
            found = self._plugin_dead_letter(spec["deadLetter"], key_line(spec, "deadLetter", spec.line))
            if found is None:
                return
            (kind, arn), line = found, key_line(spec, "deadLetter", spec.line)
        else:
            return
        put(properties, "DeadLetterQueue", node(line, [("Type", kind), ("TargetArn", arn)]), line)

    def _plugin_dead_letter(self, spec: Any, line: int) -> tuple[str, Any] | None:
        """(type, target) of `deadLetter: {targetArn | sqs | sns}`; a queue or topic it creates is unknown."""
        target = spec.get("targetArn")
        if isinstance(target, dict) and isinstance(target.get("GetResourceArn"), str):
            logical_id = target["GetResourceArn"]
            resource = self.resources.get(logical_id)
            if isinstance(resource, dict) and resource.get("Type") == "AWS::SNS::Topic":
                return "SNS", node(line, [("Ref", logical_id)])
            return "SQS", node(line, [("Fn::GetAtt", [logical_id, "Arn"])])
        if target is not None:
            return ("SQS" if isinstance(target, str) and ":sqs:" in target else "SNS"), target
        for key, kind in (("sqs", "SQS"), ("sns", "SNS")):
            if spec.get(key) is not None:
                return kind, unresolved(f"the {kind} dead-letter target the plugin creates", line)
        return None

    def _log_group(self, key: str, spec: MarkedDict, name: str, *, line: int) -> None:
        log_properties = single(line, "LogGroupName", f"/aws/lambda/{name}")
        retention = self._setting(spec, "logRetentionInDays")
        if retention is not None:
            put(log_properties, "RetentionInDays", retention[0], retention[1])
        found = self._setting(spec, "logDataProtectionPolicy")
        if found is not None:
            put(log_properties, "DataProtectionPolicy", found[0], found[1])
        resource = single(line, "Type", "AWS::Logs::LogGroup")
        put(resource, "Properties", log_properties, line)
        put(self.resources, log_group_id(key), resource, line)

    # -- roles --------------------------------------------------------------------------------

    def _provider_role(self) -> tuple[Any, int] | None:
        """`provider.iam.role` (or legacy `provider.role`) when it names an existing role."""
        iam = self.provider.get("iam")
        if isinstance(iam, dict) and "role" in iam:
            role = iam["role"]
            if isinstance(role, str) or is_intrinsic(role):
                return role, key_line(iam, "role", 0)
        if "role" in self.provider:
            return self.provider["role"], key_line(self.provider, "role", 0)
        return None

    def _role_line(self, spec: MarkedDict, line: int) -> int:
        if "role" in spec:
            return key_line(spec, "role", line)
        provider_role = self.provider_role
        return provider_role[1] if provider_role is not None else line

    def _role(self, key: str, spec: MarkedDict, *, line: int) -> Any:
        role = spec.get("role")
        role_line = key_line(spec, "role", line)
        if role is None:
            provider_role = self.provider_role
            if provider_role is not None:
                role, role_line = provider_role
        if role is not None:
            return _role_reference(role, role_line)
        if "iamRoleStatements" in spec:
            statements_line = key_line(spec, "iamRoleStatements", line)
            if self.per_function_roles:
                return self._per_function_role(key, spec, line=statements_line)
            self.diagnostics.warn(
                f"`iamRoleStatements` of function `{key}` need the {_PER_FUNCTION_PLUGIN} plugin; ignored",
                statements_line,
            )
        self.shared_role_users += 1
        return get_att(line, ROLE_ID)

    def _provider_statements(self) -> tuple[list[tuple[Any, int]], list[tuple[Any, int]]]:
        """The provider's statements and managed policy ARNs (v3 `iam.role` and the legacy keys)."""
        statements: list[tuple[Any, int]] = []
        managed: list[tuple[Any, int]] = []
        iam = self.provider.get("iam")
        role = iam.get("role") if isinstance(iam, dict) else None
        if isinstance(role, dict) and not is_intrinsic(role):
            statements += statements_of(role.get("statements"))
            managed += statements_of(role.get("managedPolicies"))
        statements += statements_of(self.provider.get("iamRoleStatements"))
        managed += statements_of(self.provider.get("iamManagedPolicies"))
        return statements, managed

    def _shared_role(self) -> None:
        line = key_line(self.provider, "iam", self.provider.line or 1)
        statements, managed = self._provider_statements()
        # Like the framework: one prefix for `<service>-<stage>-*` names, each other name on its own.
        canonical = f"{self.service}-{self.stage}"
        groups: list[Any] = [
            f"/aws/lambda/{name}" for name in self.function_names if not name.startswith(canonical)
        ]
        if len(groups) < len(self.function_names) or not groups:
            groups.append(self._named(f"/aws/lambda/{canonical}*", line))
        logs = [(s, line) for s in logs_statements(groups, line)]
        if self.any_vpc:
            managed.append((VPC_ACCESS_POLICY, line))
        extra: dict[str, Any] = {}
        iam = self.provider.get("iam")
        role = iam.get("role") if isinstance(iam, dict) else None
        if isinstance(role, dict):
            for source, target in (("permissionsBoundary", "PermissionsBoundary"), ("name", "RoleName")):
                if source in role:
                    extra[target] = role[source]
        role_name = (
            None
            if "RoleName" in extra
            else self._named(
                f"{self.service}-{self.stage}-{self.region}-lambdaRole",
                line,
                parts=("service", "stage", "region"),
            )
        )
        body = execution_role(
            line=line,
            role_name=role_name,
            policy_name=f"{self.service}-{self.stage}-lambda",
            statements=logs + statements + self.events.role_statements,
            managed=managed,
            extra=extra,
        )
        put(self.resources, ROLE_ID, body, line)

    def _per_function_role(self, key: str, spec: MarkedDict, *, line: int) -> Any:
        statements = statements_of(spec.get("iamRoleStatements"))
        inherit = spec.get("iamRoleStatementsInherit")
        custom = self.doc.get("custom")
        settings = custom.get(_PER_FUNCTION_PLUGIN) if isinstance(custom, dict) else None
        if inherit is None and isinstance(settings, dict):
            inherit = settings.get("defaultInherit")
        managed: list[tuple[Any, int]] = []
        if inherit is True:
            provider_statements, managed = self._provider_statements()
            statements = provider_statements + statements
        name = spec["name"] if "name" in spec else self._default_name(key, line)
        group = f"/aws/lambda/{name}" if isinstance(name, str) else unresolved(f"/aws/lambda/{key}", line)
        logs = [(s, line) for s in logs_statements([group], line)]
        if "vpc" in spec or "vpc" in self.provider:
            managed.append((VPC_ACCESS_POLICY, line))
        boundary = spec.get("iamPermissionsBoundary")
        if boundary is None and isinstance(settings, dict):
            boundary = settings.get("iamGlobalPermissionsBoundary")
        extra = {} if boundary is None else {"PermissionsBoundary": boundary}
        body = execution_role(
            line=line,
            role_name=spec.get("iamRoleStatementsName"),
            policy_name=f"{self.service}-{self.stage}-{alphanumeric(key)}-lambda",
            statements=logs + statements + self.events.function_statements.get(key, []),
            managed=managed,
            extra=extra,
        )
        role_id = per_function_role_id(key)
        put(self.resources, role_id, body, line)
        return get_att(line, role_id)

    # -- APIs ---------------------------------------------------------------------------------

    def _rest_api(self) -> None:
        settings = self.provider.get("apiGateway")
        line = self._provider_line("apiGateway")
        # An OpenApiVersion keeps SAM from adding its extra `Stage` stage, which the framework never creates.
        entries = [
            ("StageName", self._named(self.stage, line, parts=("stage",))),
            ("Name", self._named(f"{self.stage}-{self.service}", line)),
            ("OpenApiVersion", "3.0.1"),
        ]
        properties = node(line, entries)
        endpoint = self.provider.get("endpointType")
        if endpoint is not None:  # EDGE (the default), REGIONAL or PRIVATE, any case
            at = key_line(self.provider, "endpointType", line)
            kind = endpoint.upper() if isinstance(endpoint, str) else endpoint
            config = node(at, [("Type", kind)])
            # The framework attaches `provider.vpcEndpointIds` to a private API only.
            if kind == "PRIVATE" and "vpcEndpointIds" in self.provider:
                keep(config, self.provider, "vpcEndpointIds", as_key="VPCEndpointIds")
            put(properties, "EndpointConfiguration", config, at)
        tracing = self.provider.get("tracing")
        if isinstance(tracing, dict) and "apiGateway" in tracing:
            put(properties, "TracingEnabled", tracing["apiGateway"], key_line(tracing, "apiGateway", line))
        self._access_logs("restApi", "AccessLogSetting", properties, group="api-gateway")
        auth = node(line, [])
        if self.events.rest_authorizers:
            put(auth, "Authorizers", self.events.rest_authorizers, self.events.rest_authorizers.line or line)
        plan = self._usage_plan(settings, line=line)
        if plan is not None:
            put(auth, "UsagePlan", plan, plan.line)
        # `apiGateway.resourcePolicy` (`provider.resourcePolicy` before v3): the API's policy statements
        for holder in (settings, self.provider):
            if isinstance(holder, dict) and "resourcePolicy" in holder:
                at = key_line(holder, "resourcePolicy", line)
                put(auth, "ResourcePolicy", node(at, [("CustomStatements", holder["resourcePolicy"])]), at)
                break
        if auth:
            put(properties, "Auth", auth, line)
        if isinstance(settings, dict) and "restApiId" in settings:
            self.diagnostics.warn(
                "`provider.apiGateway.restApiId` (an API created elsewhere) is modelled as a new API",
                key_line(settings, "restApiId", line),
            )
        resource = node(line, [("Type", "AWS::Serverless::Api")])
        put(resource, "Properties", properties, line)
        put(self.resources, REST_API_ID, resource, line)

    def _http_api(self) -> None:
        settings = self.provider.get("httpApi")
        line = self._provider_line("httpApi")
        name = settings.get("name") if isinstance(settings, dict) else None
        properties = node(
            line, [("Name", self._named(f"{self.stage}-{self.service}", line) if name is None else name)]
        )
        authorizers = MarkedDict(line)
        configured = settings.get("authorizers") if isinstance(settings, dict) else None
        if isinstance(configured, dict):
            for name, spec in configured.items():
                entry_line = key_line(configured, name, line)
                if isinstance(spec, MarkedDict):
                    put(authorizers, alphanumeric(str(name)), _http_authorizer(spec, entry_line), entry_line)
        auth = node(line, [])
        if authorizers:
            put(auth, "Authorizers", authorizers, line)
        if self.events.uses_iam_http_auth:
            put(auth, "EnableIamAuthorizer", True, line)
        if auth:
            put(properties, "Auth", auth, line)
        self._access_logs("httpApi", "AccessLogSettings", properties, group="http-api")
        if isinstance(settings, dict) and "cors" in settings:
            put(
                properties,
                "CorsConfiguration",
                _http_cors(settings["cors"]),
                key_line(settings, "cors", line),
            )
        resource = node(line, [("Type", "AWS::Serverless::HttpApi")])
        put(resource, "Properties", properties, line)
        put(self.resources, HTTP_API_ID, resource, line)

    def _usage_plan(self, settings: Any, *, line: int) -> MarkedDict | None:
        """The usage plan the framework creates for API keys (`private` routes), with its throttle."""
        plan = settings.get("usagePlan") if isinstance(settings, dict) else None
        keys = isinstance(settings, dict) and "apiKeys" in settings
        if plan is None and not keys and not self.events.uses_api_keys:
            return None
        plan_line = key_line(settings, "usagePlan", line) if plan is not None else line
        if isinstance(plan, list):
            if len(plan) > 1:
                self.diagnostics.warn("only the first of several usage plans is modelled", plan_line)
            first = plan[0] if plan else None
            plan = next(iter(first.values()), None) if isinstance(first, dict) and len(first) == 1 else first
        out = node(plan_line, [("CreateUsagePlan", "PER_API")])
        throttle = plan.get("throttle") if isinstance(plan, dict) else None
        if isinstance(throttle, dict):
            throttle_line = key_line(plan, "throttle", plan_line)
            limits = MarkedDict(throttle_line)
            for source, target in (("rateLimit", "RateLimit"), ("burstLimit", "BurstLimit")):
                if source in throttle:
                    put(limits, target, throttle[source], key_line(throttle, source, throttle_line))
            put(out, "Throttle", limits, throttle_line)
        return out

    def _provider_line(self, key: str) -> int:
        """The line of `provider.<key>`, else of `provider:` itself (where that setting would go)."""
        if key in self.provider:
            return key_line(self.provider, key, 1)
        return key_line(self.doc, "provider", self.provider.line or 1)

    def _access_logs(self, key: str, target: str, properties: MarkedDict, *, group: str) -> None:
        """`provider.logs.restApi` / `.httpApi`: the framework logs access to its own log group."""
        logs = self.provider.get("logs")
        if not isinstance(logs, dict) or key not in logs or logs[key] in (False, None):
            return
        line = key_line(logs, key, 0)
        settings = logs[key] if isinstance(logs[key], dict) else {}
        if settings.get("accessLogging") is False:  # execution logs only
            return
        log_id = "ApiGatewayLogGroup" if key == "restApi" else "HttpApiLogGroup"
        log_properties = node(
            line, [("LogGroupName", self._named(f"/aws/{group}/{self.service}-{self.stage}", line))]
        )
        retention = settings.get("logRetentionInDays", self.provider.get("logRetentionInDays"))
        if retention is not None:
            put(log_properties, "RetentionInDays", retention, line)
        log_group = node(line, [("Type", "AWS::Logs::LogGroup")])
        put(log_group, "Properties", log_properties, line)
        put(self.resources, log_id, log_group, line)
        destination = node(line, [("Fn::GetAtt", [log_id, "Arn"])])
        put(
            properties,
            target,
            node(line, [("DestinationArn", destination), ("Format", "$context.requestId")]),
            line,
        )


def _plugins(document: MarkedDict) -> list[Any]:
    """The plugin names: `plugins: [...]` or `plugins: {modules: [...]}`."""
    plugins = document.get("plugins")
    names = plugins.get("modules", []) if isinstance(plugins, dict) else plugins
    return names if isinstance(names, list) else []


def _role_reference(role: Any, line: int) -> Any:
    """A role given by ARN, by intrinsic, or by the logical id of a role in `resources:`."""
    if isinstance(role, str) and not role.startswith("arn:"):
        return node(line, [("Fn::GetAtt", [role, "Arn"])])
    return role


def _destination(value: Any, line: int) -> MarkedDict:
    if isinstance(value, dict) and not is_intrinsic(value):
        kind = str(value.get("type", "")).lower()
        arn = value.get("arn")
        mapping = {"sqs": "SQS", "sns": "SNS", "function": "Lambda", "eventbus": "EventBridge"}
        return node(line, [("Type", mapping.get(kind, "Lambda")), ("Destination", arn)])
    if isinstance(value, str) and not value.startswith("arn:"):
        arn = node(line, [("Fn::GetAtt", [function_id(value), "Arn"])])
        return node(line, [("Type", "Lambda"), ("Destination", arn)])
    kind = "Lambda"
    if isinstance(value, str):
        service = value.split(":")[2] if value.count(":") >= 2 else ""
        kind = {"sqs": "SQS", "sns": "SNS", "events": "EventBridge"}.get(service, "Lambda")
    return node(line, [("Type", kind), ("Destination", value)])


def _url_cors(value: Any, line: int) -> Any:
    """The URL's `cors`: `true` allows every origin; a mapping names them."""
    if value is True:
        return node(line, [("AllowOrigins", seq(line, ["*"]))])
    if isinstance(value, dict):
        out = MarkedDict(line)
        names = {
            "allowedOrigins": "AllowOrigins",
            "allowedHeaders": "AllowHeaders",
            "allowedMethods": "AllowMethods",
            "allowCredentials": "AllowCredentials",
            "exposedResponseHeaders": "ExposeHeaders",
            "maxAge": "MaxAge",
        }
        for source, target in names.items():
            if source in value:
                put(out, target, value[source], key_line(value, source, line))
        if "AllowOrigins" not in out:
            put(out, "AllowOrigins", seq(line, ["*"]), line)
        return out
    return value


def _http_cors(value: Any) -> Any:
    if value is True:
        return True
    if isinstance(value, dict):
        out = MarkedDict(getattr(value, "line", 0))
        for source, target in (
            ("allowedOrigins", "AllowOrigins"),
            ("allowedHeaders", "AllowHeaders"),
            ("allowedMethods", "AllowMethods"),
            ("allowCredentials", "AllowCredentials"),
        ):
            if source in value:
                put(out, target, value[source], key_line(value, source, out.line))
        return out
    return value


def _http_authorizer(spec: MarkedDict, line: int) -> MarkedDict:
    out = MarkedDict(line)
    if str(spec.get("type", "jwt")).lower() == "request":
        target = spec.get("functionArn")
        if target is None and isinstance(spec.get("functionName"), str):
            target = node(line, [("Fn::GetAtt", [function_id(spec["functionName"]), "Arn"])])
        put(out, "FunctionArn", target, line)
        put(out, "AuthorizerPayloadFormatVersion", str(spec.get("payloadVersion", "2.0")), line)
        return out
    jwt = MarkedDict(line)
    if "issuerUrl" in spec:
        put(jwt, "issuer", spec["issuerUrl"], key_line(spec, "issuerUrl", line))
    if "audience" in spec:
        audience = spec["audience"]
        put(
            jwt,
            "audience",
            audience if isinstance(audience, list) else [audience],
            key_line(spec, "audience", line),
        )
    put(out, "JwtConfiguration", jwt, line)
    source = spec.get("identitySource", "$request.header.Authorization")
    put(out, "IdentitySource", source, key_line(spec, "identitySource", line))
    return out


def _override(properties: MarkedDict, existing: Any) -> None:
    """Properties a `resources:` entry with the function's logical id sets, as the framework merges them."""
    override = existing.get("Properties") if isinstance(existing, dict) else None
    if not isinstance(override, dict):
        return
    for key, value in override.items():
        properties[key] = value
        properties.key_lines[key] = key_line(override, key, properties.line)
