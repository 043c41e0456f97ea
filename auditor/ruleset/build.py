"""Parsing and strict validation of rule files into a :class:`RuleSet`, with file:line errors.

YAML is parsed keeping node marks; rule files, facts, rules and profiles are validated by
the pydantic models of :mod:`auditor.ruleset.models` and :mod:`auditor.checks.options`, then
cross-checked (fact references, placeholders, ids, profile targets) and frozen into the
plain objects of :mod:`auditor.ruleset.schema`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, get_args

import regex
from pydantic import ValidationError

from auditor.checks import MODULES
from auditor.checks.options import RULE_MODELS
from auditor.document.model import Document
from auditor.facts import known_ids
from auditor.ruleset import patterns, yamlnodes
from auditor.ruleset.loader import RuleError, RuleSet, Source
from auditor.ruleset.models import FactDef, FactRef, Profile, RuleFile, freeze
from auditor.ruleset.schema import Category

BUILTIN_DEFAULTS = {"severity": "major", "weight": 1}
_ALWAYS = {"id", "title"}
_PLACEHOLDER = regex.compile(r"\{([^{}]*)\}")
_META_KEYS = {f.name for f in fields(Document)} - {
    "text",
    "original",
    "offsets",
    "sections",
    "tables",
}


def _text(source: Source) -> str:
    """The file as text, newlines translated as in text mode (OSError if it was unreadable)."""
    if source.error is not None:
        raise source.error
    return source.data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


@dataclass(slots=True)
class _File:
    path: Path
    name: str
    data: Any
    node: Any


class _Loader:
    def __init__(self) -> None:
        self.errors: list[RuleError] = []
        self.ruleset = RuleSet()
        self.macros: dict[str, str] = dict(patterns.BUILTIN_MACROS)
        self._macro_owner: dict[str, str] = {}
        self.profile_files: list[tuple[Profile, _File]] = []
        self.fact_files: dict[str, tuple[_File, tuple[str | int, ...]]] = {}

    def error(self, f: _File, path: tuple[str | int, ...], message: str, **kw: Any) -> None:
        line = yamlnodes.locate(f.node, path)
        self.errors.append(RuleError(f.name, line, message, **kw))

    def pydantic_errors(
        self, f: _File, base: tuple[str | int, ...], exc: ValidationError, **kw: Any
    ) -> None:
        for err in exc.errors():
            loc = tuple(err["loc"])
            key = next((str(p) for p in reversed(loc) if isinstance(p, str)), None)
            key = "from" if key == "source" else key
            self.error(f, base + loc, _message(err), key=key, **kw)


def _message(err: Any) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "missing required key"
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")


def load(sources: list[Source]) -> tuple[RuleSet, list[RuleError]]:
    """The rule set built from the files read, and every error found in them."""
    ld = _Loader()
    digest = hashlib.sha256()
    rule_files: list[tuple[_File, RuleFile]] = []
    profile_files: list[_File] = []
    defaults: dict[Path, dict[str, Any]] = {}
    versions: list[str] = []
    for source in sources:
        path, name = source.path, source.name
        try:
            text = _text(source)
        except (OSError, UnicodeDecodeError) as exc:
            ld.errors.append(RuleError(name, 1, f"cannot read: {exc}", kind="file"))
            continue
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
        ld.ruleset.files.append(name)
        try:
            data, node = yamlnodes.load(text)
        except yamlnodes.YamlError as exc:
            ld.errors.append(RuleError(name, exc.line, str(exc), kind="file"))
            continue
        f = _File(path, name, data, node)
        if data is None:
            continue
        if not isinstance(data, dict):
            ld.error(f, (), "a rule file must be a mapping (rules:, facts:, profile: …)")
            continue
        if "profile" in data:
            profile_files.append(f)
            continue
        try:
            top = RuleFile.model_validate(data)
        except ValidationError as exc:
            ld.pydantic_errors(f, (), exc)
            continue
        rule_files.append((f, top))
        if top.pack is not None:
            defaults[path.parent] = top.defaults.model_dump(exclude_none=True)
            versions.append(f"{top.pack}@{top.version or '0'}")
        for macro, value in top.macros.items():
            owner = ld._macro_owner.get(macro)
            if owner and ld.macros[macro] != value:
                ld.error(f, ("macros", macro), f"macro redefined (first defined in {owner})")
            ld.macros[macro], ld._macro_owner[macro] = value, name
    ld.ruleset.macros = ld.macros
    for f, top in rule_files:
        _facts(ld, f, top)
    _fact_refs(ld)
    for f, top in rule_files:
        pack_defaults = defaults.get(f.path.parent, {})
        for i, raw in enumerate(top.rules):
            _rule(ld, f, i, raw, pack_defaults)
    for f in profile_files:
        _profile(ld, f)
    _check_profiles(ld)
    ld.ruleset.hash = digest.hexdigest()
    ld.ruleset.version = "+".join(sorted(versions)) or "0"
    rs = ld.ruleset
    rs.rules, rs.facts, rs.profiles = freeze(rs.rules), freeze(rs.facts), freeze(rs.profiles)
    return rs, ld.errors


def _context(ld: _Loader) -> dict[str, Any]:
    return {"macros": ld.macros}


def _facts(ld: _Loader, f: _File, top: RuleFile) -> None:
    for i, raw in enumerate(top.facts):
        fid = raw.get("id") if isinstance(raw, dict) else None
        try:
            fact = FactDef.model_validate(raw, context=_context(ld))
        except (ValidationError, ValueError) as exc:
            _report(ld, f, ("facts", i), exc, rule=fid, kind="fact")
            continue
        if fact.id in ld.ruleset.facts:
            ld.error(
                f, ("facts", i, "id"), "duplicate fact id", rule=fact.id, key="id", kind="fact"
            )
            continue
        ld.ruleset.facts[fact.id] = fact
        ld.fact_files[fact.id] = (f, ("facts", i))


def _fact_refs(ld: _Loader) -> None:
    """``from: fact`` must name a known fact, without cycles."""
    known = known_ids(ld.ruleset.facts)
    refs = {
        fid: [s.fact for s in fact.sources if isinstance(s, FactRef)]
        for fid, fact in ld.ruleset.facts.items()
    }
    for fid, targets in refs.items():
        f, path = ld.fact_files[fid]
        for target in targets:
            if target not in known:
                ld.error(f, path, f"unknown fact id '{target}'", rule=fid, key="fact", kind="fact")
        seen, todo = set(), list(targets)
        while todo:
            current = todo.pop()
            if current == fid:
                ld.error(
                    f, path, "fact refers to itself (cycle)", rule=fid, key="fact", kind="fact"
                )
                break
            if current not in seen:
                seen.add(current)
                todo.extend(refs.get(current, []))


def _report(ld: _Loader, f: _File, base: tuple[str | int, ...], exc: Exception, **kw: Any) -> None:
    if isinstance(exc, ValidationError):
        ld.pydantic_errors(f, base, exc, **kw)
    else:
        ld.error(f, base, str(exc), **kw)


def _rule(ld: _Loader, f: _File, i: int, raw: dict[str, Any], defaults: dict[str, Any]) -> None:
    base: tuple[str | int, ...] = ("rules", i)
    rid = raw.get("id") if isinstance(raw, dict) else None
    kind = raw.get("kind")
    if kind is None:
        ld.error(f, base, "missing required key", rule=rid, key="kind")
        return
    if kind not in RULE_MODELS:
        known = ", ".join(sorted(RULE_MODELS))
        ld.error(
            f,
            (*base, "kind"),
            f"unknown check kind '{kind}' (known: {known})",
            rule=rid,
            key="kind",
        )
        return
    data = {**BUILTIN_DEFAULTS, **{k: v for k, v in defaults.items() if k != "groups"}, **raw}
    if defaults.get("groups"):
        data["groups"] = list(dict.fromkeys([*defaults["groups"], *raw.get("groups", [])]))
    try:
        rule = RULE_MODELS[kind].model_validate(data, context=_context(ld))
    except (ValidationError, ValueError) as exc:
        _report(ld, f, base, exc, rule=rid)
        return
    before = len(ld.errors)
    _semantics(ld, f, base, rule)
    if len(ld.errors) > before:
        return
    ld.ruleset.rules.append(rule)
    ld.ruleset.sources[rule.id] = f"{f.name}:{yamlnodes.locate(f.node, base)}"


def _semantics(ld: _Loader, f: _File, base: tuple[str | int, ...], rule: Any) -> None:
    known = known_ids(ld.ruleset.facts)
    module = MODULES[rule.kind]

    def err(path: tuple[str | int, ...], msg: str, key: str) -> None:
        ld.error(f, (*base, *path), msg, rule=rule.id, key=key)

    for ident in [rule.id, *rule.aliases]:
        other = ld.ruleset.get(ident)
        if other is not None:
            err(("id",), f"id or alias '{ident}' already used by rule {other.id}", "id")
    for fid in sorted(module.fact_refs(rule) - known):
        err((), f"unknown fact id '{fid}'", _fact_key(rule))
    allowed = module.placeholders(rule) | _ALWAYS | known
    text = rule.message.replace("{{", "").replace("}}", "")
    for name in _PLACEHOLDER.findall(text):
        if name not in allowed:
            err(("message",), f"placeholder {{{name}}} cannot be filled", "message")
    for label in ("pass", "fail"):
        for j, example in enumerate(getattr(rule.examples, "pass_" if label == "pass" else "fail")):
            for fid in sorted(set(example.facts or {}) - known):
                err(("examples", label, j, "facts", fid), f"unknown fact id '{fid}'", "facts")
            for key in sorted(set(example.meta) - _META_KEYS):
                err(("examples", label, j, "meta", key), "unknown document attribute", key)


def _fact_key(rule: Any) -> str:
    for key in ("expr", "fact", "text", "table", "date", "declared", "when"):
        if key in type(rule).model_fields:
            return key
    return "kind"


def _profile(ld: _Loader, f: _File) -> None:
    pid = f.data.get("profile")
    try:
        profile = Profile.model_validate(f.data)
    except ValidationError as exc:
        ld.pydantic_errors(f, (), exc, rule=pid, kind="profile")
        return
    if profile.profile in ld.ruleset.profiles:
        ld.error(f, ("profile",), "duplicate profile name", rule=pid, key="profile", kind="profile")
        return
    ld.ruleset.profiles[profile.profile] = profile
    ld.profile_files.append((profile, f))


def _check_profiles(ld: _Loader) -> None:
    for profile, f in ld.profile_files:
        for path, message, key in _profile_problems(ld.ruleset, profile):
            ld.error(f, path, message, rule=profile.profile, key=key, kind="profile")


def _profile_problems(rs: RuleSet, profile: Profile) -> list[tuple[tuple[str, ...], str, str]]:
    """(path, message, key) for each reference in a profile that resolves to nothing."""
    out: list[tuple[tuple[str, ...], str, str]] = []
    groups = rs.groups
    for parent in profile.extends:
        if parent not in rs.profiles:
            out.append((("extends",), f"unknown profile '{parent}'", "extends"))
    for where, sel in (("select", profile.select), ("exclude", profile.exclude)):
        if sel is None:
            continue
        out += [
            ((where, "ids"), f"unknown rule id '{r}'", "ids") for r in sel.ids if rs.get(r) is None
        ]
        out += [
            ((where, "groups"), f"unknown group '{g}'", "groups")
            for g in sel.groups
            if g not in groups
        ]
    for key in profile.overrides:
        kind, _, name = key.partition(":")
        ok = (
            (name and kind == "group" and name in groups)
            or (name and kind == "category" and name in get_args(Category))
            or (not name and rs.get(key) is not None)
        )
        if not ok:
            out.append(
                (
                    ("overrides", key),
                    f"override target '{key}' matches no rule, group or category",
                    key,
                )
            )
    return out
