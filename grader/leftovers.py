"""What a submission leaves behind in its process, cancelled or reported before its verdict.

The browser grades every submission in a fresh interpreter, but ``grade()`` in a
long-lived CPython process (the tests, any batch use) runs one submission after another
in the same one. There a timer, a signal handler, a ``gc`` callback, an audit hook or a
thread left by one submission would fire during a later one, or kill the host, and be
blamed on the wrong code. ``Leftovers()`` notes the process's state before learner code
runs; ``cancel()`` runs the submission's pending finalizers while it is still
accountable, puts back what can be put back, and names what it found.

A submission that forked is stopped in the child at once, so the caller returns once.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from typing import Any

from .execution import FILENAME

__all__ = ["Leftovers", "stop_if_forked"]

# A host's timer the submission re-armed is told from one that kept running by more than
# the process may wait for the CPU between reading the timer and the clock.
_TIMER_SLACK_S = 1.0


class _AuditState:
    """Slots, not a dict: it changes while the guard compares the grader's namespaces."""

    __slots__ = ("hooked", "open", "refused")

    def __init__(self) -> None:
        self.open = self.refused = 0
        self.hooked = False


_audit_state = _AuditState()


def _audit(event: str, args: tuple) -> None:
    """Refuse new audit hooks while learner code may run: they cannot be removed."""
    if event == "sys.addaudithook" and _audit_state.open:
        _audit_state.refused += 1
        raise RuntimeError("no audit hooks while grading")  # sys.addaudithook swallows it


def stop_if_forked(pid: int) -> None:
    """End a process forked by learner code before it returns into the grader's caller."""
    if os.getpid() != pid:
        os._exit(0)


def _signals() -> Any:
    """The ``signal`` module, if this thread may set handlers (only the main thread may)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    try:  # the C module: signal's own wrappers make an enum of every handler they read
        import _signal as signal
    except ImportError:
        try:
            import signal
        except ImportError:
            return None
    return signal if hasattr(signal, "getsignal") and hasattr(signal, "valid_signals") else None


class Leftovers:
    """The process's timers, signal handlers, gc callbacks and threads before learner code."""

    def __init__(self) -> None:
        if not _audit_state.hooked and hasattr(sys, "addaudithook"):
            sys.addaudithook(_audit)
            _audit_state.hooked = True
        _audit_state.open += 1
        self.refused = _audit_state.refused
        self.pid = os.getpid()
        self.callbacks = list(gc.callbacks)
        self.collector = gc.isenabled(), gc.get_threshold()
        self.threads = set(threading.enumerate())
        self.idents = set(_frames())
        self.signal = signal = _signals()
        self.handlers: dict[int, Any] = {}
        self.timers: dict[int, tuple[float, float]] = {}
        # What exists now is the host's: the collection in cancel() then looks only at what
        # the submission made, however large the host's heap (unless the host freezes).
        self.froze = hasattr(gc, "freeze") and not gc.get_freeze_count()
        if self.froze:
            gc.freeze()
        if signal is not None:
            for number in signal.valid_signals():
                try:
                    self.handlers[number] = signal.getsignal(number)
                except (OSError, ValueError):
                    continue
            if hasattr(signal, "getitimer"):
                for which in (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF):
                    self.timers[which] = signal.getitimer(which)
        self.taken = time.monotonic()

    def cancel(self) -> list[str]:
        """Run pending finalizers, put back what changed and say what, in plain words.

        The caller runs this with the submission's output still captured: a ``__del__``
        that prints, or fails, is the submission's."""
        stop_if_forked(self.pid)
        gc.collect()
        if self.froze:
            gc.unfreeze()
        stop_if_forked(self.pid)  # a finalizer may fork too
        _audit_state.open -= 1
        found = []
        if _audit_state.refused != self.refused:
            found.append("an audit hook (sys.addaudithook), which was refused")
        if gc.callbacks != self.callbacks:
            gc.callbacks[:] = self.callbacks
            found.append("gc.callbacks")
        if (gc.isenabled(), gc.get_threshold()) != self.collector:
            enabled, threshold = self.collector
            if enabled:
                gc.enable()
            else:
                gc.disable()
            gc.set_threshold(*threshold)
            found.append("the garbage collector's settings")
        if self.signal is not None:
            found += self._put_back_signals()
        found += self._stop_threads()
        return found

    def _put_back_signals(self) -> list[str]:
        signal, found = self.signal, []
        for which, (left, interval) in self.timers.items():
            now_left, now_interval = signal.getitimer(which)
            elapsed = time.monotonic() - self.taken
            expected = max(left - elapsed, 0.0)
            if now_interval != interval:
                changed = True
            elif not left:
                changed = now_left != 0.0
            else:  # the host's own: only a one-shot wall-clock timer's course is known
                changed = (which == signal.ITIMER_REAL and not interval
                           and abs(now_left - expected) > _TIMER_SLACK_S)
            if changed:
                signal.setitimer(which, expected, interval)
                found.append("a timer (signal.setitimer or signal.alarm)")
        for number, handler in self.handlers.items():
            if signal.getsignal(number) is handler:
                continue
            try:
                name = sys.modules["signal"].Signals(number).name
            except (KeyError, ValueError):
                name = f"signal {number}"
            found.append(f"the handler of {name}")
            try:
                signal.signal(number, handler)
            except (TypeError, ValueError, OSError):
                pass  # set from C before (getsignal said None): reported, not restorable
        return list(dict.fromkeys(found))

    def _stop_threads(self) -> list[str]:
        """Cancel the timers it started and stop its threads at their next line of Python;
        a new thread that runs none of its code may be the host's: named, left alone."""
        started = [t for t in threading.enumerate() if t not in self.threads and t.is_alive()]
        timers = {t.ident for t in started if isinstance(t, threading.Timer)}
        for thread in started:
            if isinstance(thread, threading.Timer):
                thread.cancel()
        frames = _frames()  # raw _thread ones too, once they run Python
        new = set(frames) - self.idents
        for ident in new - timers:
            if _runs_learner_code(frames[ident]):
                _raise_in(ident, SystemExit)
        del frames  # they hold the threads' locals
        for thread in started:
            thread.join(1.0)
        return ["a thread left running"] if new or started else []


def _frames() -> dict[int, Any]:
    """The innermost frame of every thread running Python (raw ``_thread`` ones too)."""
    current = getattr(sys, "_current_frames", None)
    return current() if current is not None else {}


def _runs_learner_code(frame: Any) -> bool:
    while frame is not None:
        if frame.f_code.co_filename == FILENAME:
            return True
        frame = frame.f_back
    return False


def _raise_in(ident: int, kind: type[BaseException]) -> None:
    """Raise ``kind`` in another thread the next time it runs Python (CPython only)."""
    try:
        import ctypes

        set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except (ImportError, AttributeError):
        return
    set_async(ctypes.c_ulong(ident), ctypes.py_object(kind))
