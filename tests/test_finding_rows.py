"""Findings flattened to rows and back, as forked rule processes send them."""

from __future__ import annotations

import dataclasses
import pickle

from lambdasec.finding_rows import FINDING_FIELDS, finding_from_row, finding_row
from lambdasec.findings import (
    Category,
    Confidence,
    Finding,
    Location,
    ResourceRef,
    Severity,
    Standards,
    Suppression,
    TraceStep,
)

FULL = Finding(
    rule="LS501",
    name="event-injection",
    category=Category.CODE,
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=("CWE-78",),
    message="`event.body` reaches `os.system`",
    function="orders-api",
    resource=ResourceRef(type="function", id="OrdersApi", construct_path="Stack/OrdersApi/Resource"),
    location=Location(source="sam", file="src/app.py", line=12),
    field="handler",
    trace=(TraceStep(file="src/app.py", line=10, note="event.body"),),
    remediation="Use instead: subprocess.run([...])",
    fingerprint="sha256:00",
    suppressed=Suppression(kind="inline", reason="reviewed", expires="2027-01-01"),
    properties=(("sink", "os.system"),),
    standards=Standards(owasp_serverless=("SAS-1",), security_hub=(), practice="input validation"),
)


def test_every_field_of_a_finding_is_in_its_row() -> None:
    nested = {"resource": ResourceRef, "location": Location}
    expected = [
        f"{field.name}.{inner.name}" if field.name in nested else field.name
        for field in dataclasses.fields(Finding)
        for inner in (dataclasses.fields(nested[field.name]) if field.name in nested else (field,))
    ]
    assert sorted(FINDING_FIELDS) == sorted(expected)


def test_a_finding_survives_the_round_trip_through_a_pickled_row() -> None:
    row = pickle.loads(pickle.dumps(finding_row(FULL), pickle.HIGHEST_PROTOCOL))

    assert finding_from_row(row) == FULL
    minimal = dataclasses.replace(
        FULL, trace=(), suppressed=None, properties=(), standards=None, field=None, function=None
    )
    assert finding_from_row(finding_row(minimal)) == minimal
