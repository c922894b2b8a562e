"""LS405 cloudtrail-lambda-data-events-off: trails in scope that record no invocations of the functions."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import DataEventSelector, Inventory, LambdaFunction, SourceKind, Trail, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._labels import resource_label

LAMBDA_FUNCTION = "AWS::Lambda::Function"

Coverage = bool | Unresolved


@inventory_rule(
    id="LS405",
    name="cloudtrail-lambda-data-events-off",
    severity=Severity.LOW,
    category=Category.OPERATIONS,
    cwe=("CWE-778",),
    scope=Scope.TRAILS,
    sources=frozenset(
        {
            SourceKind.SAM,
            SourceKind.CLOUDFORMATION,
            SourceKind.TERRAFORM,
            SourceKind.SERVERLESS,
            SourceKind.CDK,
            SourceKind.TERRAFORM_PLAN,
        }
    ),
    standards=Standards(owasp_serverless=("SAS-10",), practice="logging and monitoring"),
)
def cloudtrail_lambda_data_events_off(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    When the scanned templates declare CloudTrail trails, flags them if no trail that is logging
    records Lambda data events (`AWS::Lambda::Function` in basic `EventSelectors.DataResources` or in
    `AdvancedEventSelectors`) for some functions in scope. The finding lists those functions. Nothing is
    reported when no trail is in scope: the organisation's trail is usually managed elsewhere.

    ## Why is this bad?
    CloudTrail records management events (who changed a function) by default, but not data events:
    who invoked it. Without them there is no record of the `Invoke` calls an attacker with stolen
    credentials, or a too-broad resource policy, made against a function, and an investigation cannot
    tell which principal triggered which run.

    ## Example
    ### SAM
    ```yaml
    AuditTrail:
      Type: AWS::CloudTrail::Trail
      Properties:
        IsLogging: true
        S3BucketName: !Ref AuditBucket
    ```

    Use instead:

    ```yaml
    AuditTrail:
      Type: AWS::CloudTrail::Trail
      Properties:
        IsLogging: true
        S3BucketName: !Ref AuditBucket
        AdvancedEventSelectors:
          - Name: Lambda invocations
            FieldSelectors:
              - Field: eventCategory
                Equals: [Data]
              - Field: resources.type
                Equals: [AWS::Lambda::Function]
    ```

    ### CloudFormation
    ```yaml
    AuditTrail:
      Type: AWS::CloudTrail::Trail
      Properties:
        IsLogging: true
        S3BucketName: !Ref AuditBucket
        EventSelectors:
          - DataResources:
              - Type: AWS::S3::Object
                Values: [arn:aws:s3]
    ```

    Use instead:

    ```yaml
    AuditTrail:
      Type: AWS::CloudTrail::Trail
      Properties:
        IsLogging: true
        S3BucketName: !Ref AuditBucket
        EventSelectors:
          - DataResources:
              - Type: AWS::S3::Object
                Values: [arn:aws:s3]
              - Type: AWS::Lambda::Function
                Values: [arn:aws:lambda]
    ```

    Data events are charged per event; select the functions that matter with
    `resources.ARN` (`StartsWith`) if all of them is too much.

    ### Terraform
    ```hcl
    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.audit.id
      event_selector {
        data_resource {
          type   = "AWS::S3::Object"
          values = ["arn:aws:s3"]
        }
      }
    }
    ```

    Use instead:

    ```hcl
    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.audit.id
      event_selector {
        data_resource {
          type   = "AWS::S3::Object"
          values = ["arn:aws:s3"]
        }
        data_resource {
          type   = "AWS::Lambda::Function"
          values = ["arn:aws:lambda"]
        }
      }
    }
    ```

    ### Serverless
    ```yaml
    resources:
      Resources:
        AuditTrail:
          Type: AWS::CloudTrail::Trail
          Properties:
            IsLogging: true
            S3BucketName: !Ref AuditBucket
    ```

    Use instead:

    ```yaml
    resources:
      Resources:
        AuditTrail:
          Type: AWS::CloudTrail::Trail
          Properties:
            IsLogging: true
            S3BucketName: !Ref AuditBucket
            AdvancedEventSelectors:
              - FieldSelectors:
                  - Field: eventCategory
                    Equals: [Data]
                  - Field: resources.type
                    Equals: [AWS::Lambda::Function]
    ```

    ### CDK
    ```ts
    const audit = new cloudtrail.Trail(this, "Audit");
    audit.addS3EventSelector([{ bucket: uploads }]);
    ```

    Use instead:

    ```ts
    const audit = new cloudtrail.Trail(this, "Audit");
    audit.addS3EventSelector([{ bucket: uploads }]);
    audit.logAllLambdaDataEvents();
    ```

    ## Known problems
    Trails outside the scanned templates (an organisation trail, a CloudTrail Lake event data store)
    are not seen. A selector that excludes functions by ARN (`NotStartsWith`, `NotEquals`, ...) or a
    `ReadWriteType` is not evaluated precisely: exclusions make the trail not evaluated and the
    read/write type is ignored. An ARN prefix without a function name (`arn:aws:lambda`, or one naming
    a region and account) counts as every function. Each trail gets its own finding when several are
    in scope.

    ## References
    - AWS CloudTrail User Guide: Logging data events,
      https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
    - AWS Lambda Developer Guide: Logging AWS Lambda API calls using AWS CloudTrail,
      https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html
    - CWE-778: Insufficient Logging, https://cwe.mitre.org/data/definitions/778.html
    """
    if not inv.trails:
        return
    coverage = {fn.key: [_covers(inv, trail, fn) for trail in inv.trails] for fn in inv.functions}
    covered = {key for key, results in coverage.items() if True in results}
    missing = [fn for fn in inv.functions if all(result is False for result in coverage[fn.key])]
    for index, trail in enumerate(inv.trails):
        if missing:
            listed = ", ".join(f"`{fn.display_name}`" for fn in missing)
            name = trail.name if isinstance(trail.name, str) else resource_label(trail.origin)
            yield ctx.finding(
                trail,
                field="data_events",
                function=missing[0].display_name if len(missing) == 1 else None,
                message=(
                    f"Trail `{name}` records no Lambda data events for {listed}, "
                    "so their invocations leave no audit record"
                ),
            )
            continue
        for fn in inv.functions:
            result = coverage[fn.key][index]
            if isinstance(result, Unresolved) and fn.key not in covered:
                ctx.unevaluated(
                    trail, reason=f"Lambda data events for `{fn.display_name}` unknown: {result.reason}"
                )
                break


def _covers(inv: Inventory, trail: Trail, fn: LambdaFunction) -> Coverage:
    """Whether `trail` records invocations of `fn`."""
    if trail.is_logging is False:
        return False
    if isinstance(trail.data_events, Unresolved):
        return trail.data_events
    found: Coverage = False
    for selector in trail.data_events:
        result = _selects(inv, selector, fn)
        if result is True:
            found = True
            break
        if isinstance(result, Unresolved):
            found = result
    if found is True and isinstance(trail.is_logging, Unresolved):
        return trail.is_logging
    return found


def _selects(inv: Inventory, selector: DataEventSelector, fn: LambdaFunction) -> Coverage:
    if isinstance(selector.resource_type, Unresolved):
        return selector.resource_type
    if selector.resource_type != LAMBDA_FUNCTION:
        return False
    if isinstance(selector.arn_prefixes, Unresolved):
        return selector.arn_prefixes
    if not selector.arn_prefixes:
        return True
    found: Coverage = False
    for prefix in selector.arn_prefixes:
        if isinstance(prefix, Unresolved):
            found = prefix
        elif _matches(inv, prefix, fn):
            return True
    return found


def _matches(inv: Inventory, prefix: str, fn: LambdaFunction) -> bool:
    if inv.function(prefix) is fn:
        return True
    if ":function:" not in prefix:
        return prefix.startswith("arn:") and ":lambda" in prefix
    if isinstance(fn.arn, str) and fn.arn.startswith(prefix):
        return True
    name = prefix.split(":function:", 1)[1]
    return isinstance(fn.name, str) and fn.name.startswith(name)
