"""Audit many files in worker processes; one bad file never stops the batch.

Each worker audits one file at a time. The parent watches the clock: a worker that exceeds
the per-file time limit is killed and replaced, and its file gets the status ``error`` with
a plain message; a worker that dies (crash, out of memory) is replaced the same way.
Identical files (same SHA-256) are audited once; the copies are linked to the first.
Results are yielded as they finish, so a JSONL writer can stream them.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import queue
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.api import AuditOptions, audit_path, failed_result

DEFAULT_TIMEOUT = 120.0
DEFAULT_MEMORY_MB = 3072


@dataclass(slots=True)
class Item:
    index: int
    path: Path
    sha256: str | None = None
    duplicate_of: int | None = None


@dataclass(slots=True)
class _Worker:
    process: Any
    inbox: Any
    task: Item | None = None
    started: float = 0.0
    busy: bool = field(default=False)


def fingerprint(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read."""
    try:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def plan(paths: list[Path]) -> list[Item]:
    """Number the inputs and link duplicates (same content) to their first occurrence."""
    items: list[Item] = []
    first: dict[str, int] = {}
    for index, path in enumerate(paths):
        sha = fingerprint(path)
        item = Item(index, path, sha)
        if sha is not None:
            if sha in first:
                item.duplicate_of = first[sha]
            else:
                first[sha] = index
        items.append(item)
    return items


def _worker_main(inbox: Any, outbox: Any, options: AuditOptions, memory_mb: int) -> None:
    limit_memory(memory_mb)
    while True:
        task = inbox.get()
        if task is None:
            return
        index, path = task
        try:
            result = audit_path(Path(path), options)
        except MemoryError:
            result = failed_result(Path(path), "内存不足，文件过大或结构异常，已跳过")
        outbox.put((index, result.model_dump(mode="json")))


def limit_memory(memory_mb: int) -> None:
    """Cap this process's address space (a worker that exceeds it gets MemoryError)."""
    if memory_mb <= 0:
        return
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


def run(
    paths: list[Path],
    options: AuditOptions,
    *,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
    progress: Callable[[int, int, Path], None] | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Audit ``paths``; yield ``(input index, result JSON)`` as each file finishes."""
    items = plan(paths)
    unique = [it for it in items if it.duplicate_of is None]
    copies: dict[int, list[Item]] = {}
    for it in items:
        if it.duplicate_of is not None:
            copies.setdefault(it.duplicate_of, []).append(it)
    done = 0

    def emit(index: int, result: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(items), items[index].path)
        yield index, result
        for copy in copies.get(index, []):
            done += 1
            if progress:
                progress(done, len(items), copy.path)
            yield copy.index, _linked(result, copy.path, items[index].path)

    jobs = max(1, jobs or os.cpu_count() or 1)
    if jobs == 1 or len(unique) <= 1:
        for it in unique:
            try:
                result = audit_path(it.path, options).model_dump(mode="json")
            except Exception as exc:
                result = failed_result(it.path, f"审查时出错：{exc}").model_dump(mode="json")
            yield from emit(it.index, result)
        return
    yield from _run_pool(unique, options, min(jobs, len(unique)), timeout, memory_mb, emit)


def _run_pool(
    unique: list[Item],
    options: AuditOptions,
    jobs: int,
    timeout: float,
    memory_mb: int,
    emit: Callable[[int, dict[str, Any]], Iterator[tuple[int, dict[str, Any]]]],
) -> Iterator[tuple[int, dict[str, Any]]]:
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    outbox = ctx.Queue()
    pending = list(reversed(unique))
    by_index = {it.index: it for it in unique}
    workers: list[_Worker] = []

    def spawn() -> _Worker:
        inbox = ctx.Queue()
        proc = ctx.Process(
            target=_worker_main, args=(inbox, outbox, options, memory_mb), daemon=True
        )
        proc.start()
        return _Worker(proc, inbox)

    def assign(worker: _Worker) -> None:
        if pending:
            worker.task = pending.pop()
            worker.started = time.monotonic()
            worker.busy = True
            worker.inbox.put((worker.task.index, str(worker.task.path)))
        else:
            worker.task, worker.busy = None, False

    workers = [spawn() for _ in range(jobs)]
    for w in workers:
        assign(w)
    remaining = len(unique)
    try:
        while remaining:
            try:
                index, result = outbox.get(timeout=0.2)
            except queue.Empty:
                index = None
            if index is not None:
                remaining -= 1
                for w in workers:
                    if w.task is not None and w.task.index == index:
                        assign(w)
                yield from emit(index, result)
                continue
            now = time.monotonic()
            for k, w in enumerate(workers):
                if not w.busy or w.task is None:
                    continue
                overtime = now - w.started > timeout
                if overtime or not w.process.is_alive():
                    item = by_index[w.task.index]
                    w.process.kill()
                    w.process.join(1)
                    message = (
                        f"审查超时（超过 {timeout:.0f} 秒），已跳过"
                        if overtime
                        else "审查进程意外退出（可能内存不足或文件损坏），已跳过"
                    )
                    remaining -= 1
                    workers[k] = spawn()
                    assign(workers[k])
                    yield from emit(
                        item.index, failed_result(item.path, message).model_dump(mode="json")
                    )
    finally:
        for w in workers:
            if w.process.is_alive():
                w.inbox.put(None)
        for w in workers:
            w.process.join(2)
            if w.process.is_alive():
                w.process.kill()


def _linked(result: dict[str, Any], path: Path, original: Path) -> dict[str, Any]:
    """A duplicate's result: the original's audit, under the duplicate's own name."""
    copy = dict(result)
    copy["document"] = {**result.get("document", {}), "source": str(path)}
    copy["duplicate_of"] = str(original)
    return copy
