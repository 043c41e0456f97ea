"""Waivers: approved exceptions for a rule on given documents (sha256 or file-name glob).

A waived rule still runs; its finding shows status ``waived`` with the real outcome kept,
and it is not scored. Expired waivers do not apply.
"""

from __future__ import annotations

import datetime as dt
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from auditor.document.model import Document
from auditor.ruleset.loader import RuleError, RuleSetError, _display
from auditor.ruleset.schema import Waiver


def load_waivers(path: str | Path) -> list[Waiver]:
    """Read a waivers file; raises :class:`RuleSetError` with file:line errors."""
    from pydantic import ValidationError

    from auditor.ruleset import yamlnodes
    from auditor.ruleset.models import WaiverFile, freeze

    name = _display(Path(path))
    try:
        data, node = yamlnodes.load(Path(path).read_text("utf-8"))
    except yamlnodes.YamlError as exc:
        raise RuleSetError([RuleError(name, exc.line, str(exc), kind="file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleSetError([RuleError(name, 1, f"cannot read: {exc}", kind="file")]) from None
    try:
        return freeze(WaiverFile.model_validate(data).waivers)
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            key = next((str(p) for p in reversed(loc) if isinstance(p, str)), None)
            message = "unknown key" if err["type"] == "extra_forbidden" else str(err["msg"])
            errors.append(
                RuleError(name, yamlnodes.locate(node, loc), message, key=key, kind="file")
            )
        raise RuleSetError(errors) from None


def find(
    waivers: list[Waiver], rule: Any, doc: Document, today: dt.date | None = None
) -> Waiver | None:
    """The first waiver covering this rule (id or alias) and document, if any."""
    today = today or dt.date.today()
    names = {rule.id, *rule.aliases}
    file_name = Path(doc.source).name
    for waiver in waivers:
        if waiver.rule not in names or (waiver.expires and waiver.expires < today):
            continue
        pattern = waiver.document
        if (
            pattern.lower() == (doc.sha256 or "").lower()
            or fnmatch(file_name, pattern)
            or fnmatch(doc.source, pattern)
        ):
            return waiver
    return None
