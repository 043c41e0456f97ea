"""Rule sets: strict loading of rule packs, facts, profiles and waivers.

The public names are imported lazily so that ``auditor.ruleset.schema`` (used by the check
modules) can be imported without loading the loader, which needs the check registry.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RuleError", "RuleSet", "RuleSetError", "load_ruleset", "validate"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from auditor.ruleset import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'auditor.ruleset' has no attribute {name!r}")
