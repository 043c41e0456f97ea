"""Audit many files in worker processes; one bad file never stops the batch.

Workers get small chunks of files (fewer messages for small files) and send each result as
soon as it is done, so the parent always knows which file a worker is on. The parent watches
the clock: a worker that exceeds the per-file time limit is killed and replaced, and its
file gets the status ``error`` with a plain message; a worker that dies (crash, out of
memory) is replaced the same way. Files queued behind the bad one go back to the queue.
Identical files (same SHA-256) are audited once; the copies are linked to the first (the
parent keeps a 16-byte digest per distinct file, nothing else per file beyond its path).
Results are yielded as they finish, so a JSONL writer can stream them. A ``Packer`` lets the
workers turn each result into what the caller keeps (e.g. a ready JSON line and a small
summary), so the parent does not receive, unpickle and re-encode whole results.
"""

from __future__ import annotations

import hashlib
import os
import queue
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from auditor.api import AuditOptions, audit_path, failed_result

DEFAULT_TIMEOUT = 120.0
DEFAULT_MEMORY_MB = 3072
MAX_CHUNK = 8  # files per message to a worker
_TICK = 0.2  # seconds between clock checks


@dataclass(slots=True)
class Item:
    index: int
    path: Path
    duplicate_of: int | None = None


@dataclass(slots=True)
class _Worker:
    process: Any
    inbox: Any
    queue: deque[Item] = field(default_factory=deque)  # sent, not yet answered, in order
    started: float = 0.0  # when the worker began the file at the head of ``queue``


class Packer(Protocol):
    """Turns a result into what the caller keeps; runs in the worker (must be picklable)."""

    def __call__(self, result: dict[str, Any]) -> Any: ...

    def link(self, packed: Any, path: Path, original: Path) -> Any:
        """The packed result of a duplicate of ``original`` found at ``path``."""
        ...


class KeepDict:
    """The default packer: the result JSON itself."""

    def __call__(self, result: dict[str, Any]) -> dict[str, Any]:
        return result

    def link(self, packed: dict[str, Any], path: Path, original: Path) -> dict[str, Any]:
        return linked(packed, path, original)


def fingerprint(path: Path) -> bytes | None:
    """The first 16 bytes of the SHA-256 of a file's bytes, or None when it cannot be read."""
    try:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return digest.digest()[:16]
    except OSError:
        return None


def plan(paths: list[Path]) -> list[Item]:
    """Number the inputs and link duplicates (same content) to their first occurrence."""
    items: list[Item] = []
    first: dict[bytes, int] = {}
    for index, path in enumerate(paths):
        sha = fingerprint(path)
        item = Item(index, path)
        if sha is not None:
            if sha in first:
                item.duplicate_of = first[sha]
            else:
                first[sha] = index
        items.append(item)
    return items


def _worker_main(
    inbox: Any, outbox: Any, options: AuditOptions, memory_mb: int, pack: Packer
) -> None:
    limit_memory(memory_mb)
    while True:
        chunk = inbox.get()
        if chunk is None:
            return
        for index, path in chunk:
            try:
                result = audit_path(Path(path), options)
            except MemoryError:
                result = failed_result(Path(path), "内存不足，文件过大或结构异常，已跳过")
            outbox.put((index, pack(result.to_json())))


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
    pack: Packer | None = None,
) -> Iterator[tuple[int, Any]]:
    """Audit ``paths``; yield ``(input index, pack(result JSON))`` as each file finishes."""
    pack = pack or KeepDict()
    items = plan(paths)
    unique = [it for it in items if it.duplicate_of is None]
    copies: dict[int, list[Item]] = {}
    for it in items:
        if it.duplicate_of is not None:
            copies.setdefault(it.duplicate_of, []).append(it)
    done = 0

    def emit(index: int, result: Any) -> Iterator[tuple[int, Any]]:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(items), items[index].path)
        yield index, result
        for copy in copies.get(index, []):
            done += 1
            if progress:
                progress(done, len(items), copy.path)
            yield copy.index, pack.link(result, copy.path, items[index].path)

    jobs = max(1, jobs or os.cpu_count() or 1)
    if jobs == 1 or len(unique) <= 1:
        for it in unique:
            try:
                result = audit_path(it.path, options).to_json()
            except Exception as exc:
                result = failed_result(it.path, f"审查时出错：{exc}").to_json()
            yield from emit(it.index, pack(result))
        return
    yield from _run_pool(unique, options, min(jobs, len(unique)), timeout, memory_mb, pack, emit)


def _run_pool(
    unique: list[Item],
    options: AuditOptions,
    jobs: int,
    timeout: float,
    memory_mb: int,
    pack: Packer,
    emit: Callable[[int, Any], Iterator[tuple[int, Any]]],
) -> Iterator[tuple[int, Any]]:
    import gc
    import multiprocessing as mp

    # Objects that exist before the fork (the file list above all) go to the permanent
    # generation: a worker's collector then never writes to them, so their pages stay
    # shared instead of being copied into every worker (memory flat in batch size).
    gc.freeze()
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    outbox = ctx.Queue()
    pending: deque[Item] = deque(unique)

    def spawn() -> _Worker:
        inbox = ctx.Queue()
        proc = ctx.Process(
            target=_worker_main, args=(inbox, outbox, options, memory_mb, pack), daemon=True
        )
        proc.start()
        return _Worker(proc, inbox)

    def feed(worker: _Worker) -> None:
        """Keep a worker's queue at two chunks' worth so it never waits for the parent."""
        size = max(1, min(MAX_CHUNK, len(pending) // (4 * jobs)))
        if len(worker.queue) > size or not pending:
            return
        chunk = [pending.popleft() for _ in range(min(size, len(pending)))]
        if not worker.queue:
            worker.started = time.monotonic()
        worker.queue.extend(chunk)
        worker.inbox.put([(it.index, str(it.path)) for it in chunk])

    def replace(k: int, message: str) -> Iterator[tuple[int, Any]]:
        """Kill worker ``k``: its current file fails, the files queued behind it go back."""
        w = workers[k]
        w.process.kill()
        w.process.join(1)
        item = w.queue.popleft()
        pending.extendleft(reversed(w.queue))
        workers[k] = spawn()
        feed(workers[k])
        yield from emit(item.index, pack(failed_result(item.path, message).to_json()))

    def settle(index: int, result: Any) -> Iterator[tuple[int, Any]]:
        nonlocal remaining
        owner = next((w for w in workers if w.queue and w.queue[0].index == index), None)
        if owner is None:  # a late answer from a worker that was already replaced
            return
        owner.queue.popleft()
        owner.started = time.monotonic()
        feed(owner)
        remaining -= 1
        yield from emit(index, result)

    workers = [spawn() for _ in range(jobs)]
    for w in workers:
        feed(w)
    remaining = len(unique)
    next_check = time.monotonic() + _TICK
    try:
        while remaining:
            try:
                message = outbox.get(timeout=_TICK)
            except queue.Empty:
                message = None
            if message is not None:
                yield from settle(*message)
            now = time.monotonic()
            if message is not None and now < next_check:
                continue
            next_check = now + _TICK
            for k, w in enumerate(workers):
                if not w.queue:
                    continue
                if now - w.started > timeout:
                    remaining -= 1
                    yield from replace(k, f"审查超时（超过 {timeout:.0f} 秒），已跳过")
                elif not w.process.is_alive():
                    while True:  # answers it sent before dying may still be in the pipe
                        try:
                            message = outbox.get_nowait()
                        except queue.Empty:
                            break
                        yield from settle(*message)
                    if w.queue:
                        remaining -= 1
                        yield from replace(k, "审查进程意外退出（可能内存不足或文件损坏），已跳过")
    finally:
        gc.unfreeze()
        for w in workers:
            if w.process.is_alive():
                w.inbox.put(None)
        for w in workers:
            w.process.join(2)
            if w.process.is_alive():
                w.process.kill()


def linked(result: dict[str, Any], path: Path, original: Path) -> dict[str, Any]:
    """A duplicate's result: the original's audit, under the duplicate's own name."""
    copy = dict(result)
    copy["document"] = {**result.get("document", {}), "source": str(path)}
    copy["duplicate_of"] = str(original)
    return copy
