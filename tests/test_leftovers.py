"""``grade()`` in a long-lived CPython process: what a submission leaves behind (timers,
threads, signal handlers, gc callbacks, audit hooks, finalizers, a fork) is cancelled or
reported as its own fault before its verdict, and reaches no later submission."""

from __future__ import annotations

import gc
import shutil
import signal
import subprocess
import sys
import threading

import pytest
from conftest import ROOT

from grader import grade

GOOD = "def l2_penalty(weights):\n    return float(sum(w * w for w in weights))\n"


def changed(result) -> str:
    assert result["status"] == "error"
    assert result["error"]["type"] == "ChangedPython"
    return result["feedback"]


def test_a_timer_is_cancelled_and_reported():
    before = set(threading.enumerate())
    code = "import threading\nthreading.Timer(30, print, ('late',)).start()\n" + GOOD
    assert "a thread left running" in changed(grade("l2-penalty", code))
    assert [t for t in threading.enumerate() if t not in before] == []
    assert grade("l2-penalty", GOOD)["status"] == "pass"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_thread_running_python_is_stopped_and_reported():
    before = set(threading.enumerate())
    code = (
        "import threading, time\n"
        "def spin():\n"
        "    while True:\n"
        "        time.sleep(0.001)\n"
        "threading.Thread(target=spin, daemon=True).start()\n" + GOOD
    )
    assert "a thread left running" in changed(grade("l2-penalty", code))
    left = [t for t in threading.enumerate() if t not in before]
    for thread in left:
        thread.join(10)
    assert not any(t.is_alive() for t in left)
    assert grade("l2-penalty", GOOD)["status"] == "pass"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_raw_thread_running_python_is_stopped_and_reported():
    code = (
        "import _thread, time\n"
        "running = _thread.allocate_lock()\n"
        "running.acquire()\n"
        "def spin():\n"
        "    running.release()\n"
        "    while True:\n"
        "        time.sleep(0.001)\n"
        "_thread.start_new_thread(spin, ())\n"
        "running.acquire()\n" + GOOD
    )
    before = set(sys._current_frames())
    assert "a thread left running" in changed(grade("l2-penalty", code))
    for _ in range(1000):  # it ends at its next line of Python
        if set(sys._current_frames()) <= before:
            break
        threading.Event().wait(0.01)
    assert set(sys._current_frames()) <= before


def test_a_thread_of_the_host_is_not_stopped():
    started, stop = threading.Event(), threading.Event()
    host = threading.Thread(target=lambda: (started.set(), stop.wait(30)), daemon=True)
    code = "import time\n" + GOOD
    # The host's thread starts inside the grading window: after Leftovers() noted the
    # process, as in a threaded host. It runs no learner code, so it is only named.
    import grader.leftovers as leftovers

    real = leftovers.Leftovers.__init__

    def noted_then_host_starts(self):
        real(self)
        if not host.is_alive():
            host.start()
            started.wait(10)

    leftovers.Leftovers.__init__ = noted_then_host_starts
    try:
        result = grade("l2-penalty", code)
    finally:
        leftovers.Leftovers.__init__ = real
    assert "a thread left running" in changed(result)
    assert host.is_alive()
    stop.set()
    host.join(10)


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timers here")
def test_signal_handlers_and_interval_timers_are_put_back():
    handler, timer = signal.getsignal(signal.SIGALRM), signal.getitimer(signal.ITIMER_REAL)
    code = (
        "import signal\n"
        "signal.signal(signal.SIGALRM, lambda *args: None)\n"
        "signal.signal(signal.SIGUSR1, signal.SIG_IGN)\n"
        "signal.setitimer(signal.ITIMER_REAL, 10_000)\n" + GOOD
    )
    feedback = changed(grade("l2-penalty", code))
    assert "a timer (signal.setitimer or signal.alarm)" in feedback
    assert "the handler of SIGALRM" in feedback
    assert signal.getsignal(signal.SIGALRM) is handler
    assert signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL
    # pytest-timeout may have its own timer running: it is put back, not the learner's.
    assert signal.getitimer(signal.ITIMER_REAL)[0] <= timer[0]
    assert signal.getitimer(signal.ITIMER_REAL)[1] == timer[1]


def test_gc_callbacks_are_dropped():
    before = list(gc.callbacks)
    code = "import gc\ngc.callbacks.append(lambda phase, info: print(phase))\n" + GOOD
    assert "gc.callbacks" in changed(grade("l2-penalty", code))
    assert gc.callbacks == before


def test_the_garbage_collector_is_switched_back_on():
    assert "the garbage collector's settings" in changed(
        grade("l2-penalty", "import gc\ngc.disable()\ngc.set_threshold(1)\n" + GOOD))
    assert gc.isenabled()
    assert gc.get_threshold()[0] > 1


def test_an_audit_hook_is_refused_and_reported():
    code = (
        "import sys\n"
        "def deny(event, args):\n"
        "    raise RuntimeError('no')\n"
        "sys.addaudithook(deny)\n" + GOOD
    )
    assert "an audit hook" in changed(grade("l2-penalty", code))
    assert grade("l2-penalty", GOOD)["status"] == "pass"  # the hook would break this
    assert not [ref for ref in gc.get_referrers(sys) if getattr(ref, "__name__", "") == "deny"]


FINALIZERS = {
    "__del__ on cyclic garbage": (
        "class Late:\n"
        "    def __del__(self):\n"
        "        print('finalized')\n"
        "late = Late()\n"
        "late.me = late\n"
    ),
    "weakref.finalize on cyclic garbage": (
        "import weakref\n"
        "class Late:\n"
        "    pass\n"
        "late = Late()\n"
        "late.me = late\n"
        "weakref.finalize(late, print, 'finalized')\n"
    ),
}


@pytest.mark.parametrize("name", list(FINALIZERS))
def test_finalizers_run_within_their_own_submission(name):
    gc.collect()
    result = grade("l2-penalty", FINALIZERS[name] + GOOD)
    assert result["status"] == "pass"
    assert "finalized" in result["stdout"]
    assert "finalized" not in grade("l2-penalty", GOOD)["stdout"]


def test_a_finalizer_that_changes_python_blames_its_own_submission():
    code = (
        "class Late:\n"
        "    def __del__(self):\n"
        "        import builtins\n"
        "        builtins.sum = lambda *args: 0.0\n"
        "late = Late()\n"
        "late.me = late\n" + GOOD
    )
    assert "the built-in sum" in changed(grade("l2-penalty", code))
    assert sum([1, 2]) == 3
    assert grade("l2-penalty", GOOD)["status"] == "pass"


# Hostile: a fork, and a timer that would kill the host. Each runs in a pid namespace of
# its own, so nothing it starts can outlive the test.
HOST = """
import os, sys, threading
from grader import grade
code = sys.stdin.read()
result = grade("l2-penalty", code)
print("returned", result["status"], flush=True)
import signal
assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0), "timer still armed"
assert threading.active_count() == 1, "thread still there"
threading.Event().wait(1.5)  # after the timer would have fired
print("alive", flush=True)
"""
UNSHARE = shutil.which("unshare")


def _host(code: str) -> subprocess.CompletedProcess:
    if UNSHARE is None or subprocess.run([UNSHARE, "--pid", "--fork", "true"],
                                         capture_output=True, check=False).returncode:
        pytest.skip("needs unshare --pid --fork (a pid namespace)")
    return subprocess.run([UNSHARE, "--pid", "--fork", sys.executable, "-c", HOST],
                          input=code, text=True, capture_output=True, check=False,
                          cwd=ROOT, timeout=60)


@pytest.mark.parametrize("where", ["at import", "in a check"])
def test_a_forked_child_never_returns_to_the_caller(where):
    fork = "import os\nos.fork()\n" if where == "at import" else ""
    body = "    import os\n    os.fork()\n" if where == "in a check" else ""
    code = fork + "def l2_penalty(weights):\n" + body + (
        "    return float(sum(w * w for w in weights))\n")
    out = _host(code)
    assert out.stdout.count("returned") == 1, out.stdout + out.stderr
    assert out.returncode == 0


@pytest.mark.parametrize("kill", [
    "import os, threading\nthreading.Timer(1, os._exit, (9,)).start()\n",
    "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_DFL)\n"
    "signal.setitimer(signal.ITIMER_REAL, 1)\n",
])
def test_a_timer_that_would_kill_the_host_is_cancelled(kill):
    out = _host(kill + GOOD)
    assert out.stdout.split() == ["returned", "error", "alive"], out.stderr
    assert out.returncode == 0
