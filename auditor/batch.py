"""Audit many files in worker processes; one bad file never stops the batch.

Workers get small chunks of files (fewer messages for small files) and send each result as
soon as it is done, so the parent always knows which file a worker is on. The parent watches
the clock: a worker that exceeds the per-file time limit is killed and replaced, and its
file gets the status ``error`` with a plain message; a worker that dies (crash, out of
memory) is replaced the same way. Files queued behind the bad one go back to the queue.

Memory stays flat in the batch size. The inputs arrive as an iterable (a lazy folder walk)
and a first pass (:func:`plan`, in a child process when there are workers) numbers them,
fingerprints each file and writes the ones to audit to a spool file on disk; the digests live
in a packed table (20 bytes a slot) only during that pass. What the run then keeps is the
copies of duplicates (identical bytes): each is linked to its first occurrence and emitted
right after it, so that is all that stays per file. The workers are forked after the first
pass from a parent that has allocated nothing per file; each has pipes of its own.
Results are yielded as they finish, so a JSONL writer can stream them. A ``Packer`` lets the
workers turn each result into what the caller keeps (e.g. a ready JSON line and a small
summary), so the parent does not receive, unpickle and re-encode whole results.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any, Protocol

from auditor.api import AuditOptions, audit_path, failed_result
from auditor.results import DocumentResult

DEFAULT_TIMEOUT = 120.0
DEFAULT_MEMORY_MB = 3072
MAX_CHUNK = 8  # files per message to a worker
_TICK = 0.2  # seconds between clock checks


@dataclass(slots=True)
class Item:
    index: int
    path: Path


@dataclass(slots=True)
class _Worker:
    process: Any
    inbox: Any  # pipe end the parent sends chunks of files on
    results: Any  # pipe end the parent receives (index, packed result) on
    queue: deque[Item] = field(default_factory=deque)  # sent, not yet answered, in order
    started: float = 0.0  # when the worker began the file at the head of ``queue``


class Packer(Protocol):
    """Turns a result into what the caller keeps; runs in the worker (must be picklable)."""

    def __call__(self, result: DocumentResult) -> Any: ...

    def link(self, packed: Any, path: Path, original: Path) -> Any:
        """The packed result of a duplicate of ``original`` found at ``path``."""
        ...


class KeepDict:
    """The default packer: the result JSON itself."""

    def __call__(self, result: DocumentResult) -> dict[str, Any]:
        return result.to_json()

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


class DigestTable:
    """16-byte digest → index of the first file with it, packed in one bytearray.

    Open addressing, at most 2/3 full: a slot is the digest and the index + 1 (4 bytes; 0
    marks a free slot), so a distinct file costs 30–60 bytes where a dict of bytes takes ~150.
    """

    _SLOT = 20

    def __init__(self, slots: int = 1024) -> None:
        self.slots = slots  # a power of two
        self.used = 0
        self._table = bytearray(self._SLOT * slots)

    def setdefault(self, digest: bytes, index: int) -> int:
        """The index stored for ``digest``; ``index``, stored now, when there is none."""
        at = self._find(digest)
        stored = int.from_bytes(self._table[at + 16 : at + 20], "little")
        if stored:
            return stored - 1
        self._table[at : at + 20] = digest + (index + 1).to_bytes(4, "little")
        self.used += 1
        if 3 * self.used > 2 * self.slots:
            self._grow()
        return index

    def _find(self, digest: bytes) -> int:
        """Offset of the slot holding ``digest``, or of the free slot where it belongs."""
        mask = self.slots - 1
        pos = int.from_bytes(digest[:8], "little") & mask
        table = self._table
        while True:
            at = pos * self._SLOT
            if not any(table[at + 16 : at + 20]) or table[at : at + 16] == digest:
                return at
            pos = (pos + 1) & mask

    def _grow(self) -> None:
        old = self._table
        self.slots *= 2
        self._table = bytearray(self._SLOT * self.slots)
        for at in range(0, len(old), self._SLOT):
            if any(old[at + 16 : at + 20]):
                new = self._find(bytes(old[at : at + 16]))
                self._table[new : new + self._SLOT] = old[at : at + self._SLOT]


@dataclass(slots=True)
class Plan:
    """What the first pass found: the files to audit (spooled) and the copies of duplicates."""

    total: int  # inputs
    unique: int  # files to audit
    spool: IO[bytes]  # pickled (index, path) of each file to audit, in input order
    copies: dict[int, list[tuple[int, str]]]  # first occurrence → its copies (index, path)

    def todo(self) -> Iterator[Item]:
        """The files to audit, read back from the spool."""
        self.spool.seek(0)
        for _ in range(self.unique):
            index, path = pickle.load(self.spool)
            yield Item(index, Path(path))


def plan(paths: Iterable[Path], spool: IO[bytes]) -> Plan:
    """Number the inputs, spool the files to audit, link duplicates to their first occurrence.

    Reads each file once (its SHA-256); holds the digests only until it returns.
    """
    seen = DigestTable()
    copies: dict[int, list[tuple[int, str]]] = {}
    total = unique = 0
    for index, path in enumerate(paths):
        total += 1
        sha = fingerprint(path)
        first = index if sha is None else seen.setdefault(sha, index)
        if first == index:
            unique += 1
            pickle.dump((index, str(path)), spool)
        else:
            copies.setdefault(first, []).append((index, str(path)))
    return Plan(total, unique, spool, copies)


def plan_apart(paths: Iterable[Path], spool: IO[bytes]) -> Plan:
    """:func:`plan` in a child process, so that the parent, which the workers are forked
    from, never holds the memory the first pass churns through (a large folder's names,
    the digest table): the allocator would keep some of it, and the workers would share it.
    """
    if not hasattr(os, "fork"):
        return plan(paths, spool)
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_plan_main, args=(paths, spool, writer), daemon=True)
    proc.start()
    writer.close()
    try:
        total, unique, copies = reader.recv()
    except EOFError:  # the child failed: plan here, where an error reaches the caller
        proc.join()
        spool.seek(0)
        spool.truncate()
        return plan(paths, spool)
    finally:
        reader.close()
    proc.join()
    return Plan(total, unique, spool, copies)


def _plan_main(paths: Iterable[Path], spool: IO[bytes], results: Any) -> None:
    work = plan(paths, spool)
    spool.flush()
    results.send((work.total, work.unique, work.copies))


def _worker_main(
    inbox: Any, results: Any, options: AuditOptions, memory_mb: int, pack: Packer
) -> None:
    """Audit the chunks that arrive on ``inbox``; send each result as soon as it is done.

    Each worker has pipes of its own, written synchronously (no feeder thread, no lock shared
    with other workers): a worker that dies can neither lose a result it has sent nor leave
    a lock held that would block the others.
    """
    limit_memory(memory_mb)
    while True:
        chunk = inbox.recv()
        if chunk is None:
            return
        for index, path in chunk:
            try:
                result = audit_path(Path(path), options)
            except MemoryError:
                result = failed_result(Path(path), "内存不足，文件过大或结构异常，已跳过")
            results.send((index, pack(result)))


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
    paths: Iterable[Path],
    options: AuditOptions,
    *,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
    progress: Callable[[int, int, Path], None] | None = None,
    pack: Packer | None = None,
) -> Iterator[tuple[int, Any]]:
    """Audit ``paths``; yield ``(input index, pack(result JSON))`` as each file finishes.

    ``paths`` is read once, in the first pass; ``progress`` gets ``(done, total, path)``.
    """
    pack = pack or KeepDict()
    jobs = max(1, jobs or os.cpu_count() or 1)
    with tempfile.TemporaryFile(prefix="auditor-inputs-") as spool:
        work = plan_apart(paths, spool) if jobs > 1 else plan(paths, spool)
        yield from _run(work, options, jobs, timeout, memory_mb, progress, pack)


def _run(
    work: Plan,
    options: AuditOptions,
    jobs: int,
    timeout: float,
    memory_mb: int,
    progress: Callable[[int, int, Path], None] | None,
    pack: Packer,
) -> Iterator[tuple[int, Any]]:
    """Audit what ``work`` lists, in worker processes unless one is enough."""
    done = 0

    def emit(item: Item, result: Any) -> Iterator[tuple[int, Any]]:
        """The result of ``item``, then the linked results of its copies."""
        nonlocal done
        done += 1
        if progress:
            progress(done, work.total, item.path)
        yield item.index, result
        for index, path in work.copies.pop(item.index, ()):
            done += 1
            if progress:
                progress(done, work.total, Path(path))
            yield index, pack.link(result, Path(path), item.path)

    jobs = min(jobs, work.unique)
    if jobs > 1:
        yield from _run_pool(work, options, jobs, timeout, memory_mb, pack, emit)
        return
    for it in work.todo():
        try:
            result = audit_path(it.path, options)
        except Exception as exc:
            result = failed_result(it.path, f"审查时出错：{exc}")
        yield from emit(it, pack(result))


def _run_pool(
    work: Plan,
    options: AuditOptions,
    jobs: int,
    timeout: float,
    memory_mb: int,
    pack: Packer,
    emit: Callable[[Item, Any], Iterator[tuple[int, Any]]],
) -> Iterator[tuple[int, Any]]:
    import gc
    import multiprocessing as mp
    from multiprocessing.connection import wait

    # What exists at the fork (modules, the rule set) goes to the permanent generation: a
    # worker's collector then never writes to it, so its pages stay shared with the parent.
    gc.freeze()
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    todo = work.todo()
    requeued: deque[Item] = deque()  # files of a replaced worker, to send again first
    unsent = work.unique  # files not (or no longer) with a worker

    def spawn() -> _Worker:
        tasks, inbox = ctx.Pipe(duplex=False)
        results, sender = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=_worker_main, args=(tasks, sender, options, memory_mb, pack), daemon=True
        )
        proc.start()
        tasks.close()  # the worker's ends: a worker that dies then reads as EOF
        sender.close()
        return _Worker(proc, inbox, results)

    def feed(worker: _Worker) -> None:
        """Keep a worker's queue at two chunks' worth so it never waits for the parent."""
        nonlocal unsent
        size = max(1, min(MAX_CHUNK, unsent // (4 * jobs)))
        if len(worker.queue) > size or not unsent:
            return
        chunk = [requeued.popleft() for _ in range(min(size, len(requeued)))]
        chunk += islice(todo, size - len(chunk))
        unsent -= len(chunk)
        if not worker.queue:
            worker.started = time.monotonic()
        worker.queue.extend(chunk)
        # a worker that has died fails its file, or sends it back, when that is seen
        with contextlib.suppress(OSError):
            worker.inbox.send([(it.index, str(it.path)) for it in chunk])

    def replace(k: int, message: str) -> Iterator[tuple[int, Any]]:
        """Kill worker ``k``: its current file fails, the files queued behind it go back."""
        nonlocal unsent, remaining
        w = workers[k]
        w.process.kill()
        w.process.join(1)
        w.inbox.close()
        w.results.close()
        item = w.queue.popleft()
        requeued.extendleft(reversed(w.queue))
        unsent += len(w.queue)
        remaining -= 1
        workers[k] = spawn()
        feed(workers[k])
        yield from emit(item, pack(failed_result(item.path, message)))

    def settle(w: _Worker, message: tuple[int, Any]) -> Iterator[tuple[int, Any]]:
        """A worker's answer for the file at the head of its queue."""
        nonlocal remaining
        item = w.queue.popleft()  # a worker answers its files in order
        w.started = time.monotonic()
        feed(w)
        remaining -= 1
        yield from emit(item, message[1])  # message: (index, packed result)

    def drain(w: _Worker) -> Iterator[tuple[int, Any]]:
        """The answers ``w`` has sent and the parent has not read yet."""
        nonlocal next_check
        try:
            while w.queue and w.results.poll():
                message = w.results.recv()
                yield from settle(w, message)
        except (EOFError, OSError):  # it has died: replace it now
            next_check = 0.0

    workers = [spawn() for _ in range(jobs)]
    for w in workers:
        feed(w)
    remaining = work.unique
    next_check = time.monotonic() + _TICK
    try:
        while remaining:
            busy = {w.results: w for w in workers if w.queue}
            ready = wait(list(busy), timeout=_TICK)
            for conn in ready:
                yield from drain(busy[conn])
            now = time.monotonic()
            if ready and now < next_check:
                continue
            next_check = now + _TICK
            for k, w in enumerate(workers):
                if not w.queue:
                    continue
                yield from drain(w)  # what it finished just now is not lost
                if w.queue and now - w.started > timeout:
                    yield from replace(k, f"审查超时（超过 {timeout:.0f} 秒），已跳过")
                elif w.queue and not w.process.is_alive():
                    yield from drain(w)  # answers it sent before dying
                    if w.queue:
                        yield from replace(k, "审查进程意外退出（可能内存不足或文件损坏），已跳过")
    finally:
        gc.unfreeze()
        for w in workers:
            with contextlib.suppress(OSError):
                w.inbox.send(None)
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
