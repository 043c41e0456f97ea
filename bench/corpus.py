"""The benchmark corpus: the real samples and deterministic variants of them, written to disk.

Text variants change what differs between real reports of different agencies and years:
the agency name, the years (kept inside the same reporting regime), figures in the text
and the flattened tables, the order of neighbouring paragraphs, line endings, full-width
digits and the byte encoding (UTF-8, GBK, Big5 for the Traditional sample). Web pages and
Word files are built from text variants with ``tests/variants.py``; PDFs are the three real
ones plus reportlab renderings (``tests/fixtures_pdf.py``). Every file is distinct (the
batch runner audits identical files once).

The corpus is cached under ``bench/results/corpus/<key>/``; the key changes with this file,
the samples and the sizes asked for.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CACHE = ROOT / "bench" / "results" / "corpus"

KINDS = ("text", "html", "docx", "pdf")

_CITIES = ["青山", "临江", "东湖", "南岭", "西平", "北塘", "长乐", "永安", "清河", "白石"]
_LEVELS = ["市", "县", "区"]
_UNITS = [
    "人民政府",
    "教育局",
    "自然资源局",
    "市场监督管理局",
    "卫生健康委员会",
    "交通运输局",
    "农业农村局",
    "生态环境局",
    "人民政府办公室",
    "住房和城乡建设局",
]
_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_COUNT = regex.compile(r"(?<![\d.])\d{1,3}(?![\d.])")
_TITLE_YEAR = regex.compile(r"((?:19|20)\d\d)\s*年")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True, slots=True)
class Sizes:
    """How many files of each kind to build."""

    text: int
    html: int
    docx: int
    pdf: int  # generated PDFs, on top of the real ones
    big: int = 0  # the large text batch for the memory test

    def key(self) -> str:
        return f"t{self.text}-h{self.html}-d{self.docx}-p{self.pdf}-b{self.big}"


def _regime(year: int) -> int:
    return 0 if year < 2019 else (1 if year < 2021 else 2)


def _agency(rng: random.Random) -> str:
    return rng.choice(_CITIES) + rng.choice(_LEVELS) + rng.choice(_UNITS)


def sample_texts() -> list[tuple[str, str]]:
    """``(name, text)`` for every real crawl-text sample."""
    out = []
    for path in sorted(SAMPLES.glob("*.txt")):
        out.append((path.stem, path.read_text("utf-8", errors="replace")))
    return out


def _known_agency(text: str) -> str | None:
    """The agency as the reader finds it (what a variant renames)."""
    from auditor.document.reader import read_text

    doc = read_text(text)
    return doc.agency if doc.agency and len(doc.agency) >= 4 else None


def vary(text: str, agency: str | None, rng: random.Random) -> str:
    """One variant of a report text."""
    if agency and rng.random() < 0.9:
        text = text.replace(agency, _agency(rng))
    years = [int(m.group(1)) for m in _TITLE_YEAR.finditer(text[:400])]
    if years:
        base = years[0]
        shifts = [
            d for d in range(-3, 4) if _regime(base + d) == _regime(base) and base + d <= 2025
        ]
        delta = rng.choice(shifts)
        if delta:
            text = _YEAR.sub(lambda m: str(int(m.group(0)) + delta), text)
    share = rng.choice([0.0, 0.05, 0.15, 0.3])
    if share:

        def bump(m: regex.Match[str]) -> str:
            if rng.random() >= share:
                return m.group(0)
            return str(max(0, int(m.group(0)) + rng.randint(-3, 9)))

        text = _COUNT.sub(bump, text)
    lines = text.split("\n")
    for _ in range(rng.randint(0, 3)):
        k = rng.randrange(len(lines) - 1) if len(lines) > 2 else 0
        a, b = lines[k], lines[k + 1] if k + 1 < len(lines) else ""
        if len(a) > 40 and len(b) > 40:
            lines[k], lines[k + 1] = b, a
    if rng.random() < 0.1:
        k = rng.randrange(len(lines))
        lines[k] = lines[k].translate(_FULLWIDTH)
    text = "\n".join(lines)
    if rng.random() < 0.2:
        text = text.replace("\n", "\r\n")
    return text


def _encode(text: str, name: str, rng: random.Random) -> bytes:
    from tests.variants import to_encoded_text

    if "003_" in name and rng.random() < 0.3:
        return to_encoded_text(text, "big5")
    if rng.random() < 0.15:
        return to_encoded_text(text, "gbk")
    return text.encode("utf-8")


class _Writer:
    """Writes distinct files into one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.seen: set[str] = set()
        self.count = 0

    def add(self, stem: str, suffix: str, data: bytes) -> bool:
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.seen:
            return False
        self.seen.add(digest)
        (self.folder / f"{self.count:05d}_{stem}{suffix}").write_bytes(data)
        self.count += 1
        return True


def _texts(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` distinct ``(stem, text)`` variants, cycling through the samples."""
    rng = random.Random(seed)
    samples = sample_texts()
    agencies = {name: _known_agency(text) for name, text in samples}
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    i = 0
    while len(out) < n:
        name, text = samples[i % len(samples)]
        i += 1
        variant = text if i <= len(samples) else vary(text, agencies[name], rng)
        if variant in seen:
            continue
        seen.add(variant)
        out.append((name, variant))
    return out


def _build_text(folder: Path, n: int, seed: int) -> None:
    rng = random.Random(seed + 1)
    writer = _Writer(folder)
    for name, text in _texts(n * 2, seed):
        if writer.count >= n:
            break
        writer.add(name[:24], ".txt", _encode(text, name, rng))


def _build_html(folder: Path, n: int, seed: int) -> None:
    from tests.variants import to_gbk_html

    writer = _Writer(folder)
    for path in sorted(SAMPLES.glob("*.html")):
        writer.add(path.stem, ".html", path.read_bytes())
    for k, (name, text) in enumerate(_texts(n, seed + 2)):
        if writer.count >= n:
            break
        title = next((line.strip() for line in text.splitlines() if line.strip()), name)
        writer.add(name[:24], ".html", to_gbk_html(text, title[:80], "table" if k % 3 else "div"))


def _build_docx(folder: Path, n: int, seed: int) -> None:
    from tests.variants import to_docx

    writer = _Writer(folder)
    for path in sorted(SAMPLES.glob("*.docx")):
        writer.add(path.stem, ".docx", path.read_bytes())
    for name, text in _texts(n, seed + 3):
        if writer.count >= n:
            break
        writer.add(name[:24], ".docx", to_docx(text))


def _build_pdf(folder: Path, n: int, seed: int) -> None:
    from tests.fixtures_pdf import table_pdf, text_pdf

    writer = _Writer(folder)
    for path in sorted(SAMPLES.glob("*.pdf")):
        writer.add(path.stem, ".pdf", path.read_bytes())
    if n:
        writer.add("table", ".pdf", table_pdf())
    for name, text in _texts(n, seed + 4):
        if writer.count >= n + 4:
            break
        paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
        writer.add(name[:24], ".pdf", text_pdf(paragraphs))


def build(sizes: Sizes, seed: int = 2024, fresh: bool = False) -> dict[str, Path]:
    """Build (or reuse) the corpus; return the folder of each kind (and ``big``)."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(SAMPLES.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    root = CACHE / f"{sizes.key()}-s{seed}-{digest.hexdigest()[:10]}"
    folders = {kind: root / kind for kind in KINDS}
    if sizes.big:
        folders["big"] = root / "big"
    if fresh and root.exists():
        shutil.rmtree(root)
    if (root / "done").exists():
        return folders
    if root.exists():
        shutil.rmtree(root)
    _build_text(folders["text"], sizes.text, seed)
    _build_html(folders["html"], sizes.html, seed)
    _build_docx(folders["docx"], sizes.docx, seed)
    _build_pdf(folders["pdf"], sizes.pdf, seed)
    if sizes.big:
        _build_text(folders["big"], sizes.big, seed + 10)
    (root / "done").write_text("ok\n")
    return folders
