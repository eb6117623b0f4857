"""One long-lived process per gradebook thread (``--jobs``), started on first need.

``grader.batch.Runners`` (the CPython runners) and ``grader.page_verdict.PageVerdicts``
(the site's Python in Node) both keep one of their processes per thread and end them all
together; this is that bookkeeping, once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

__all__ = ["PerThread"]


class _Closable(Protocol):
    def close(self) -> None: ...


T = TypeVar("T", bound=_Closable)


class PerThread(Generic[T]):
    """``get()`` is this thread's ``make()``, made the first time it asks; ``close()`` ends
    every one made so far."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._local = threading.local()
        self._all: list[T] = []
        self._lock = threading.Lock()

    def __enter__(self) -> PerThread[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def get(self) -> T:
        """This thread's one; whatever ``make`` raises goes through, and nothing is kept."""
        made = getattr(self._local, "made", None)
        if made is None:
            made = self._make()
            self._local.made = made
            with self._lock:
                self._all.append(made)
        return made

    def close(self) -> None:
        with self._lock:
            made, self._all = self._all, []
        for one in made:
            one.close()
