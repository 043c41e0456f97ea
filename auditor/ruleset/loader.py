"""Loading rule packs, fact definitions and profiles: the entry points and the rule set.

Every ``*.yml``/``*.yaml`` under the given roots is read (``schema/`` folders skipped).
Files with a top-level ``profile`` key are profiles; the others are rule files. Errors are
collected, never raised one by one: ``validate()`` returns them, ``load_ruleset()`` raises
:class:`RuleSetError` carrying all of them. Parsing and validation (YAML, pydantic) are in
:mod:`auditor.ruleset.build`, imported only when the per-user cache
(:mod:`auditor.ruleset.cache`) has no valid copy of the rule set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from auditor.resources import rules_dir
from auditor.ruleset import cache
from auditor.ruleset.schema import FactDef, Profile, Rule


@dataclass(frozen=True, slots=True)
class RuleError:
    """One load error: where it is and what is wrong."""

    file: str
    line: int
    message: str
    rule: str | None = None
    key: str | None = None
    kind: str = "rule"  # rule | fact | profile | file

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: "
        who = f"{self.kind} {self.rule}: " if self.rule else ""
        key = f"key '{self.key}': " if self.key else ""
        return where + who + key + self.message


class RuleSetError(Exception):
    """Raised by :func:`load_ruleset` when any file has errors."""

    def __init__(self, errors: list[RuleError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(slots=True)
class RuleSet:
    """Loaded rules, facts and profiles, with a version and a content hash."""

    rules: list[Rule] = field(default_factory=list)
    facts: dict[str, FactDef] = field(default_factory=dict)
    profiles: dict[str, Profile] = field(default_factory=dict)
    macros: dict[str, str] = field(default_factory=dict)
    version: str = "0"
    hash: str = ""
    files: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # rule id → "file:line"

    def get(self, rule_id: str) -> Rule | None:
        """A rule by id or alias."""
        for rule in self.rules:
            if rule.id == rule_id or rule_id in rule.aliases:
                return rule
        return None

    @property
    def groups(self) -> set[str]:
        return {g for r in self.rules for g in r.groups}


def shipped_paths() -> list[Path]:
    """The shipped rule folder (packs and profiles)."""
    return [rules_dir()]


def load_ruleset(extra_paths: Iterable[str | Path] = (), *, shipped: bool = True) -> RuleSet:
    """Load the shipped rules (unless ``shipped=False``) plus extra files or folders.

    A valid rule set is cached per user (:mod:`auditor.ruleset.cache`), keyed by the bytes
    of every file, so later runs skip parsing and validation.
    """
    files = _read(_files(_roots(extra_paths, shipped)))
    readable = all(f.error is None for f in files)  # else the build reports what failed
    cache_key = cache.key((f.name, f.data) for f in files) if readable else None
    cached = cache.get(cache_key) if cache_key else None
    if isinstance(cached, RuleSet):
        return cached
    from auditor.ruleset.build import load

    ruleset, errors = load(files)
    if errors:
        raise RuleSetError(errors)
    if cache_key:
        cache.put(cache_key, ruleset)
    return ruleset


def validate(paths: Iterable[str | Path] = (), *, shipped: bool = True) -> list[RuleError]:
    """Every error in the shipped rules plus ``paths`` (empty list = all valid)."""
    from auditor.ruleset.build import load

    return load(_read(_files(_roots(paths, shipped))))[1]


def _roots(paths: Iterable[str | Path], shipped: bool) -> list[Path]:
    return (shipped_paths() if shipped else []) + [Path(p) for p in paths]


def _files(roots: list[Path]) -> list[Path]:
    out: list[Path] = []
    for root in roots:
        if root.is_dir():
            found = [p for p in root.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file()]
            out.extend(sorted(p for p in found if "schema" not in p.relative_to(root).parts))
        else:
            out.append(root)
    return out


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass(slots=True)
class Source:
    """A rule file as read: its bytes, or why it could not be read."""

    path: Path
    name: str
    data: bytes
    error: OSError | None = None


def _read(paths: list[Path]) -> list[Source]:
    out: list[Source] = []
    for path in paths:
        name = _display(path)
        try:
            out.append(Source(path, name, path.read_bytes()))
        except OSError as exc:
            out.append(Source(path, name, b"", exc))
    return out
