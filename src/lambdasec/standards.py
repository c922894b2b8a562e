"""The catalogs rule mappings refer to: OWASP Serverless Top 10 (2017) and the Security Hub controls used."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from lambdasec.findings import Standards

__all__ = ["OWASP_SERVERLESS", "SECURITY_HUB", "standards_problems"]

# OWASP Serverless Top 10, the 2017 interpretation of the OWASP Top 10 for serverless (SAS-1..SAS-10).
OWASP_SERVERLESS: Mapping[str, str] = MappingProxyType(
    {
        "SAS-1": "Injection",
        "SAS-2": "Broken Authentication",
        "SAS-3": "Sensitive Data Exposure",
        "SAS-4": "XML External Entities (XXE)",
        "SAS-5": "Broken Access Control",
        "SAS-6": "Security Misconfiguration",
        "SAS-7": "Cross-Site Scripting (XSS)",
        "SAS-8": "Insecure Deserialization",
        "SAS-9": "Using Components with Known Vulnerabilities",
        "SAS-10": "Insufficient Logging and Monitoring",
    }
)

# AWS Security Hub (CSPM) controls lambdasec rules map to, with their titles as Security Hub words them.
SECURITY_HUB: Mapping[str, str] = MappingProxyType(
    {
        "Lambda.1": "Lambda function policies should prohibit public access",
        "Lambda.2": "Lambda functions should use supported runtimes",
        "Lambda.3": "Lambda functions should be in a VPC",
        "Lambda.5": "VPC Lambda functions should operate in multiple Availability Zones",
        "Lambda.6": "Lambda functions should be tagged",
        "Lambda.7": "Lambda functions should have AWS X-Ray active tracing enabled",
        "IAM.1": 'IAM policies should not allow full "*" administrative privileges',
        "IAM.21": (
            "IAM customer managed policies that you create should not allow wildcard actions for services"
        ),
        "APIGateway.1": "API Gateway REST and WebSocket API execution logging should be enabled",
        "APIGateway.3": "API Gateway REST API stages should have AWS X-Ray tracing enabled",
        "APIGateway.4": "API Gateway should be associated with a WAF Web ACL",
        "APIGateway.5": "API Gateway REST API cache data should be encrypted at rest",
        "APIGateway.8": "API Gateway routes should specify an authorization type",
        "APIGateway.9": "Access logging should be configured for API Gateway V2 Stages",
    }
)


def standards_problems(standards: Standards | None) -> list[str]:
    """What is wrong with a rule's mappings, as sentences (empty when valid)."""
    if standards is None:
        return ["declares no standards mapping (`standards=Standards(...)`)"]
    problems: list[str] = []
    if not standards.owasp_serverless:
        problems.append("standards map to no OWASP Serverless Top 10 category")
    problems.extend(
        f"unknown OWASP Serverless category `{item}`"
        for item in standards.owasp_serverless
        if item not in OWASP_SERVERLESS
    )
    problems.extend(
        f"unknown Security Hub control `{item}`"
        for item in standards.security_hub
        if item not in SECURITY_HUB
    )
    if not standards.practice.strip():
        problems.append("standards name no practice")
    return problems
