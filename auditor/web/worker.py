"""Run audits in worker processes, off the event loop, with a time limit per job.

Each worker is a process fed through its own pipe and runs one job at a time. A job that
overruns the time limit gets its worker killed and replaced, so a stuck PDF never keeps a
slot of the pool; a worker that dies (crash, out of memory) is replaced the same way.
Waiting for an answer happens in a small thread pool, so the event loop stays free.
Workers are started in the background: the server accepts connections at once, and a
request that arrives before a worker is ready simply waits for one.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing as mp
import signal
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from auditor.batch import limit_memory

log = logging.getLogger("auditor.web")


class JobError(Exception):
    """A job could not produce an answer; ``str(exc)`` is a plain Chinese message."""


class JobTimeout(JobError):
    pass


class WorkerLost(JobError):
    pass


class PoolBusy(JobError):
    pass


@dataclass(slots=True, eq=False)  # compared and hashed by identity
class _Worker:
    process: Any
    conn: Any


def _context() -> Any:
    methods = mp.get_all_start_methods()
    # forkserver: children never inherit the server's threads or locks, and start fast.
    return mp.get_context("forkserver" if "forkserver" in methods else "spawn")


def _worker_main(
    conn: Any, handler: Callable[[Any], Any], warmup: Callable[[], None] | None, memory_mb: int
) -> None:
    """The loop of one worker process: receive a job, answer ``(ok, value)``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server, which stops us
    limit_memory(memory_mb)
    if warmup is not None:
        try:
            warmup()
        except Exception:  # the job itself will report the problem
            log.warning("worker warm-up failed:\n%s", traceback.format_exc())
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = (True, handler(job))
        except MemoryError:
            answer = (False, "内存不足：文件过大或结构异常，无法审查")
        except Exception as exc:  # one job's failure is reported, not raised
            log.error("audit job failed:\n%s", traceback.format_exc())
            answer = (False, f"审查时出错：{exc}")
        try:
            conn.send(answer)
        except (OSError, ValueError):
            return


class WorkerPool:
    """A fixed number of worker processes running ``handler(job)``; call :meth:`run`."""

    def __init__(
        self,
        handler: Callable[[Any], Any],
        *,
        size: int,
        timeout: float,
        queue_timeout: float,
        warmup: Callable[[], None] | None = None,
        memory_mb: int = 0,
    ) -> None:
        self.handler = handler
        self.size = max(1, size)
        self.timeout = timeout
        self.queue_timeout = queue_timeout
        self.warmup = warmup
        self.memory_mb = memory_mb
        self._ctx = _context()
        self._threads = ThreadPoolExecutor(2 * self.size + 1, thread_name_prefix="audit-pool")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._closed = False

    async def start(self) -> None:
        """Start the workers in the background and return at once."""
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            self._threads.submit(self._add_worker)

    async def run(self, job: Any) -> Any:
        """Run one job; raise :class:`JobError` subclasses with a Chinese message."""
        assert self._loop is not None and self._idle is not None, "start() the pool first"
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_timeout)
        except TimeoutError:
            raise PoolBusy("当前审查任务较多，请稍后再试") from None
        # The thread owns the worker until it answers: if this request is cancelled (the
        # browser went away), the thread still returns the worker to the pool or replaces it.
        ok, value = await self._loop.run_in_executor(self._threads, self._call, worker, job)
        if not ok:
            raise JobError(value)
        return value

    def _call(self, worker: _Worker, job: Any) -> tuple[bool, Any]:
        try:
            worker.conn.send(job)
            if not worker.conn.poll(self.timeout):
                self._replace(worker)
                raise JobTimeout(f"审查超时（超过 {self.timeout:g} 秒），文件可能过大或结构异常")
            answer = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise WorkerLost(
                "审查进程意外退出（可能内存不足或文件损坏），请检查文件后重试"
            ) from exc
        self._release(worker)
        return answer

    def _add_worker(self) -> None:
        if self._closed:
            return
        try:
            parent, child = self._ctx.Pipe()
            process = self._ctx.Process(
                target=_worker_main,
                args=(child, self.handler, self.warmup, self.memory_mb),
                daemon=True,
                name="auditor-web-worker",
            )
            process.start()
            child.close()
        except OSError as exc:  # out of processes or memory: serve with fewer workers
            log.error("cannot start an audit worker: %s", exc)
            return
        worker = _Worker(process, parent)
        self._all.add(worker)
        self._release(worker)

    def _release(self, worker: _Worker) -> None:
        if self._closed or self._loop is None or self._idle is None:
            return
        self._loop.call_soon_threadsafe(self._idle.put_nowait, worker)

    def _replace(self, worker: _Worker) -> None:
        self._stop(worker)
        self._add_worker()

    def _stop(self, worker: _Worker) -> None:
        self._all.discard(worker)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()

    def close(self) -> None:
        """Stop every worker (called when the server shuts down)."""
        self._closed = True
        for worker in list(self._all):
            self._stop(worker)
        self._threads.shutdown(wait=False, cancel_futures=True)
