"""Building the model's validators once per build: a text type's core schema made once, an empty
scope made without a validator of its own, dates without a dataclass schema, all with the same results."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import PlainValidator, ValidationError
from pydantic._internal._generate_schema import GenerateSchema

from compliance.load.yamlload import copy_containers
from compliance.model import onceschema
from compliance.model.dates import DateValue, PartialDate
from compliance.model.entries import Claim, Scope
from compliance.model.language import Languages
from compliance.model.values import Entry, Text

CLAIM = {"id": "soc2", "kind": "attestation", "title": "SOC 2", "standards": [{"standard": "soc2"}]}


def _text_model() -> type[Entry]:
    """A model built afresh whose three fields are of one text type."""

    class Texts(Entry):
        first: Text
        second: Text | None = None
        more: list[Text]

    Texts.model_rebuild(force=True)
    return Texts


def test_a_text_types_schema_is_made_once_for_all_its_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Any] = []
    make = PlainValidator.__get_pydantic_core_schema__

    def counted(self: PlainValidator, source: Any, handler: Any) -> Any:
        made.append(self.func)
        return make(self, source, handler)

    monkeypatch.setattr(onceschema, "_MADE", {})
    monkeypatch.setattr(PlainValidator, "__get_pydantic_core_schema__", counted)
    model = _text_model()
    assert len(made) == 1
    # Each field still checks its value and says so at its own place.
    with pytest.raises(ValidationError) as failed:
        model.model_validate({"first": " ", "second": "", "more": ["ok", "\t"]})
    assert [(e["loc"], e["ctx"]["message"]) for e in failed.value.errors()] == [
        (("first",), "expected non-blank text, got text ' '"),
        (("second",), "expected non-blank text, got text ''"),
        (("more", 1), "expected non-blank text, got text '\\t'"),
    ]
    properties = model.model_json_schema()["properties"]
    assert properties["first"]["x-expected"] == "non-blank text"
    assert properties["more"]["items"]["x-expected"] == "non-blank text"


def test_each_field_gets_its_own_copy_of_a_kept_schema() -> None:
    _text_model()
    kept = [schema for (func, source), schema in onceschema._MADE.items() if source is str]
    assert kept
    handed = copy_containers(kept[0])  # what OnceValidator hands each field
    assert handed == kept[0]
    handed.setdefault("metadata", {})["changed"] = True  # as pydantic adds a field's JSON Schema functions
    assert "changed" not in kept[0].get("metadata", {})


def test_a_claim_without_a_scope_gets_an_empty_one_of_its_own() -> None:
    first, second = Claim.model_validate(CLAIM), Claim.model_validate(CLAIM)
    assert first.scope == Scope() == Scope.model_validate({})
    assert first.scope.model_fields_set == set()
    assert first.scope.conditions == [] and first.scope.conditions is not second.scope.conditions
    assert first.model_dump()["scope"] == Scope().model_dump()


def test_languages_without_others_get_an_empty_list_of_their_own() -> None:
    first, second = Languages(default="en"), Languages(default="sv")
    assert first.others == [] and first.others is not second.others
    assert "others" not in first.model_fields_set


def test_dates_validate_and_serialize_with_their_own_functions(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Any] = []
    make = GenerateSchema._dataclass_schema

    def counted(self: GenerateSchema, *args: Any, **kwargs: Any) -> Any:
        made.append(args[0])
        return make(self, *args, **kwargs)

    monkeypatch.setattr(GenerateSchema, "_dataclass_schema", counted)

    class Dated(Entry):
        when: DateValue

    Dated.model_rebuild(force=True)
    assert made == []  # no dataclass schema of PartialDate, which DateValue's functions would replace
    assert Dated.model_validate({"when": "2025-02"}).when == PartialDate(2025, 2)
    assert Dated.model_validate({"when": 2024}).model_dump() == {"when": "2024"}
    with pytest.raises(ValidationError, match="expected a real calendar date"):
        Dated.model_validate({"when": "2025-02-30"})
