"""Independent readers of the schedule exports: the c3voc XSD (lxml) and JSON schema.

The schemas are kept under ``data/`` (see its README for their source).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache
from pathlib import Path

import jsonschema
from lxml import etree

DATA = Path(__file__).parent / "data"


@cache
def _xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(DATA / "schedule.xml.xsd")))


@cache
def _json_schema() -> dict:
    return json.loads((DATA / "schedule.schema.json").read_text())


def valid_xml(body: bytes) -> etree._Element:
    """``body`` parsed, after checking it against the schedule.xml XSD."""
    document = etree.fromstring(body)
    schema = _xsd()
    assert schema.validate(document), schema.error_log
    return document


def _checker() -> jsonschema.FormatChecker:
    # "date-time" and "uri" need optional packages to be checked: the test reads them
    # itself below, so the check does not depend on what else is installed.
    return jsonschema.FormatChecker(formats=("date", "uuid"))


def valid_json(document: dict) -> dict:
    """``document`` after checking it against the schedule.json schema.

    The schema's ``Day.rooms`` holds its talks' schema under ``items``, which JSON Schema
    ignores for an object: each talk is also checked against ``Event`` here.
    """
    schema = _json_schema()
    jsonschema.Draft6Validator(schema, format_checker=_checker()).validate(document)
    event_schema = {**schema["definitions"]["Event"], "definitions": schema["definitions"]}
    validator = jsonschema.Draft6Validator(event_schema, format_checker=_checker())
    conference = document["schedule"]["conference"]
    date.fromisoformat(conference["start"])
    for day in conference["days"]:
        assert datetime.fromisoformat(day["day_start"]).utcoffset() is not None
        assert datetime.fromisoformat(day["day_end"]).utcoffset() is not None
        for talks in day["rooms"].values():
            for talk in talks:
                validator.validate(talk)
                assert datetime.fromisoformat(talk["date"]).utcoffset() is not None
                assert talk["url"].startswith(("http://", "https://"))
    return document
