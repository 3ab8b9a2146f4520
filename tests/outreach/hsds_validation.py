"""Validation of the /open-data/hsds/ API against the official HSDS 3.0
JSON schemas shipped in ``hsds_schema/`` (see its README and LICENSE)."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).parent / "hsds_schema"
PAGE_FIELDS = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page",
               "empty", "contents"]
# Each endpoint and the schema its answers (or the items of its pages) follow:
# the compiled schemas the HSDS 3.0 API reference (openapi.json) names, and
# location.json for locations (which that reference has no endpoint for).
ITEM_SCHEMAS = {
    "services": "compiled/service_list.json", "service": "compiled/service.json",
    "organizations": "compiled/organization_list.json",
    "organization": "compiled/organization.json",
    "locations": "location.json", "location": "location.json",
}


@cache
def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


@cache
def _registry() -> Registry:
    resources = [(path.name, Resource.from_contents(json.loads(path.read_text()),
                                                    default_specification=DRAFT202012))
                 for path in SCHEMAS.glob("*.json")]
    return Registry().with_resources(resources)


@cache
def validator(kind: str) -> Draft202012Validator:
    """The validator of one record of ``kind`` (see ITEM_SCHEMAS)."""
    return Draft202012Validator(_schema(ITEM_SCHEMAS[kind]), registry=_registry(),
                                format_checker=FormatChecker())


@cache
def page_validator(kind: str) -> Draft202012Validator:
    """A page of ``kind`` records: the openapi's Page with every field required."""
    page = _schema("openapi.json")["components"]["schemas"]["Page"]
    schema = {"allOf": [page], "required": PAGE_FIELDS, "type": "object",
              "properties": {"contents": {"type": "array", "items": _schema(
                  ITEM_SCHEMAS[kind])}}}
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def errors(validator_: Draft202012Validator, data) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator_.iter_errors(data)]
