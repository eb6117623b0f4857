"""One long-lived helper per thread (a runner, a Node), made on first need, closed together.

The gradebook grades on several threads (``--jobs``); each thread keeps its own process so
that one learner's file never waits for another's, and the run closes them all at its end.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar


class _Closable(Protocol):
    def close(self) -> None: ...


T = TypeVar("T", bound=_Closable)


class PerThread(Generic[T]):
    """``get()``: this thread's ``T``, made by ``make`` the first time (if ``make`` raises,
    nothing is kept and the next call tries again); ``close()`` closes every one made."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._local = threading.local()
        self._all: list[T] = []
        self._lock = threading.Lock()

    def get(self) -> T:
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
        for each in made:
            each.close()
