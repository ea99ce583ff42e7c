"""The sandbox our page templates run in: Jinja's, with its verdicts on attributes kept.

Templates reach only the model's fields and the labels; the sandbox keeps them from Python's internals.
"""

from __future__ import annotations

import types
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

_METHODS = (types.MethodType, types.BuiltinMethodType)  # what the sandbox's wrap_str_format looks at


class TemplateSandbox(SandboxedEnvironment):
    """The sandbox, remembering which attributes of which types it allows.

    Its verdict depends only on the object's type and the attribute's name, and the templates ask
    it the same few questions for every claim (a third of the render time at 400 claims).
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def getattr(self, obj: Any, attribute: str) -> Any:
        # A field the sandbox already allowed for this type (nearly every lookup: a claim's fields, the
        # labels) is taken at once; a method (which the sandbox may wrap), a missing attribute or a
        # first lookup goes through the sandbox's own checks.
        if self._verdicts.get((type(obj), attribute)):
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                return super().getattr(obj, attribute)
            if not isinstance(value, _METHODS):
                return value
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict
