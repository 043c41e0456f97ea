"""Settings of the self-check web service (``auditor serve``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REGIMES = {
    "ogi-2008": "2008 年条例格式",
    "ogi-2019": "2019 年条例格式",
    "ogi-2021": "2021 年新表格式",
}
ISSUER_TYPES = {"government": "人民政府（本级政府）", "department": "政府部门"}
ACCEPTED_FORMATS = ("docx", "pdf", "html", "text")  # what loaders.sniff may call an upload


@dataclass(frozen=True, slots=True)
class Settings:
    """How the service runs; one instance per app, never changed after start."""

    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_mb: float = 20.0
    timeout: float = 60.0  # seconds one audit may take
    workers: int = 0  # audit worker processes; 0 = min(4, CPU count)
    store: Path | None = None  # keep uploads and results here (off by default)
    templates: Path | None = None  # office branding: templates overriding ours
    memory_mb: int = 3072  # address-space limit of each worker process

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else max(1, min(4, os.cpu_count() or 1))

    @property
    def queue_timeout(self) -> float:
        """How long a request may wait for a free worker before the server says it is busy."""
        return max(self.timeout, 10.0)


def size_label(n_bytes: int | float) -> str:
    """A size in MB for messages (``20 MB``, ``0.5 MB``)."""
    mb = n_bytes / 1024 / 1024
    return f"{mb:.0f} MB" if mb >= 1 and mb == int(mb) else f"{mb:.1f} MB"
