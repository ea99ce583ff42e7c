"""The mkdocs-macros-plugin side of the build benchmark: entries by id, as a macros user would add them.

`include_yaml` gives the templates the raw data; references between entries are ids, so this module
indexes each kind of entry once per build for the templates to look up (`by_id.standard[...]`).
"""

from typing import Any


def define_env(env: Any) -> None:
    data = env.variables
    kinds = {
        "offering": data["organisation"].get("offerings", []),
        "provider": data.get("hosting", {}).get("providers", []),
        "standard": data.get("standards", []),
        "body": data.get("bodies", []),
        "claim": data.get("claims", []),
        "area": (data.get("controls") or {}).get("areas", []),
    }
    data["by_id"] = {kind: {entry["id"]: entry for entry in items} for kind, items in kinds.items()}
