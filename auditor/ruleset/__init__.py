"""Rule sets: strict loading of rule packs, facts, profiles and waivers.

The public names are imported lazily, so that the submodules the engine needs
(``patterns``, ``schema``) load without the loader. Loading a rule set parses and validates
YAML with pydantic (:mod:`auditor.ruleset.build`) only when the per-user cache
(:mod:`auditor.ruleset.cache`) has no valid copy.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RuleError", "RuleSet", "RuleSetError", "load_ruleset", "validate"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from auditor.ruleset import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'auditor.ruleset' has no attribute {name!r}")
