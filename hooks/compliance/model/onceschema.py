"""A `PlainValidator` whose core schema pydantic makes once per value type, not once per field."""

from __future__ import annotations

from typing import Any, cast

from pydantic import GetCoreSchemaHandler, PlainValidator
from pydantic_core import CoreSchema

from ..load.yamlload import copy_containers


class OnceValidator(PlainValidator):
    """The validator of a value type used by many fields: `Text` alone is the type of a hundred, and
    pydantic made the same core schema for each (inspecting the function's signature every time), a
    fifth of building the document's validator, which every build does once.

    For a type whose schema holds no reference to another definition (text: `str` and its subclasses)
    and depends only on the function and the type, as for every model built on `Entry`'s configuration.
    """

    __slots__ = ()

    def __get_pydantic_core_schema__(self, source_type: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        key = (self.func, source_type)
        made = _MADE.get(key)
        if made is None:
            made = _MADE[key] = PlainValidator.__get_pydantic_core_schema__(self, source_type, handler)
        # Its mappings and lists anew, as pydantic changes what it is given (each field's JSON Schema
        # functions are added to it); `copy.deepcopy` cost 2 ms more per build.
        return cast(CoreSchema, copy_containers(made))


_MADE: dict[tuple[Any, Any], CoreSchema] = {}
