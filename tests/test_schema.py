"""The OpenAPI schema describes every status an operation can answer, so a client (and the
fuzzer, `make fuzz`) meets no undocumented one: the refusals the stack gives on any route
are added once (common/schema.py), each in the API's error shape."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
ERROR = "#/components/schemas/ErrorOut"


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


def error_ref(response: dict) -> str:
    return response["content"]["application/json"]["schema"]["$ref"]


def test_every_operation_documents_the_refusals_of_the_stack(schema):
    ops = list(operations(schema))
    assert len(ops) >= 60
    for path, method, operation in ops:
        responses = operation["responses"]
        expected = {"400", "401", "404"}
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            expected |= {"403", "413", "415"}
        missing = expected - set(responses)
        assert not missing, (method, path, missing)
        for code in expected:
            assert error_ref(responses[code]) == ERROR, (method, path, code)


def test_a_treasurer_report_documents_its_403_and_a_public_list_does_not(schema):
    assert "403" in schema["paths"]["/api/v1/ledger/trial-balance/"]["get"]["responses"]
    assert "403" not in schema["paths"]["/api/v1/campaigns/"]["get"]["responses"]


def test_paginated_lists_are_described_as_pages(schema):
    for path in ("/api/v1/donations/", "/api/v1/exchange-rates/"):
        body = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        name = body["schema"]["$ref"].rsplit("/", 1)[1]
        assert set(schema["components"]["schemas"][name]["properties"]) >= {
            "count", "next", "previous", "results"}  # fmt: skip


def test_an_error_may_carry_nested_field_messages(schema):
    fields = schema["components"]["schemas"]["ErrorOut"]["properties"]["fields"]
    assert fields["type"] == "object" and fields["additionalProperties"] != {
        "type": "array", "items": {"type": "string"}}  # fmt: skip


def test_row_ids_in_addresses_are_bounded_integers(schema):
    params = schema["paths"]["/api/v1/ledger/disbursements/{id}/"]["get"]["parameters"]
    row_id = next(p for p in params if p["name"] == "id")["schema"]
    assert row_id["type"] == "integer" and row_id["maximum"] == 10**18 - 1
