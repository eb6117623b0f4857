"""Find and kill what a graded child left behind: processes it forked that outlived it.

Used by ``grader.sandbox`` only. A learner's ``os.fork()`` may leave a process running
after the child ends; one that called ``os.setsid()`` has also left the child's process
group and session, so killing the group does not reach it. On Linux three marks find such
processes through ``/proc``:

- the child's session (or process group) id, for those that stayed in it;
- a random token in the child's environment, which every descendant inherits (what
  ``/proc/PID/environ`` shows is the environment a process started with, so clearing
  ``os.environ`` does not hide it; only an ``exec`` with a new environment does);
- being re-parented to us, once the CLI has made itself a *child subreaper*
  (``prctl(PR_SET_CHILD_SUBREAPER)``): orphans then become our children instead of
  init's, whatever they did to their environment.

Elsewhere (macOS, the BSDs) only the process group is killed; on Windows only the child.
"""

from __future__ import annotations

import os
import signal
import sys
import time

__all__ = [
    "ENV_TOKEN",
    "become_subreaper",
    "children_not_of",
    "die_with_parent",
    "hide_from_other_processes",
    "outlive_parent",
    "is_running",
    "kill_descendants",
    "our_children",
]

ENV_TOKEN = "L2_GRADER_RUN"
_PR_SET_PDEATHSIG = 1
_PR_SET_DUMPABLE = 4
_PR_SET_CHILD_SUBREAPER = 36
_PROC = "/proc"
_adopting = False  # True once this process is a child subreaper


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def become_subreaper() -> bool:
    """Make orphaned descendants re-parent to this process (Linux only); True if it did.

    Only for a process that runs nothing else, such as the CLI: afterwards every orphan
    among its descendants that is not one of ``our_children()`` from before a run is
    taken for the run's and killed with it.
    """
    global _adopting
    _adopting = _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    return _adopting


def die_with_parent(parent: int) -> None:
    """Have the kernel SIGKILL this process when ``parent``, its parent, ends (Linux)."""
    if _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) and os.getppid() != parent:
        os._exit(1)  # the parent ended before the request took effect


def outlive_parent() -> None:
    """Undo ``die_with_parent``, for a process that cleans up itself when its parent ends."""
    _prctl(_PR_SET_PDEATHSIG, 0)


def hide_from_other_processes() -> bool:
    """Keep other processes of the user out of this one's memory and file descriptors
    (``/proc/PID/mem``, ``/proc/PID/fd``, ptrace) on Linux; True if it did."""
    return _prctl(_PR_SET_DUMPABLE, 0)


def _processes() -> list[tuple[int, bytes, int, int, int]]:
    """``(pid, state, ppid, pgrp, session)`` of every process we may read, or []."""
    rows = []
    try:
        entries = os.listdir(_PROC)
    except OSError:
        return rows
    for name in entries:
        if not name.isdigit():
            continue
        try:
            with open(f"{_PROC}/{name}/stat", "rb") as file:
                stat = file.read(4096)
        except OSError:
            continue
        # The command name (field 2) may hold spaces and parentheses: split after it.
        fields = stat[stat.rfind(b")") + 2 :].split()
        try:
            rows.append((int(name), fields[0], int(fields[1]), int(fields[2]), int(fields[3])))
        except (IndexError, ValueError):
            continue
    return rows


def our_children() -> set[int]:
    """Pids whose parent is this process (empty where ``/proc`` is missing)."""
    me = os.getpid()
    return {pid for pid, _, ppid, _, _ in _processes() if ppid == me}


def children_not_of(token: str) -> set[int]:
    """This process's children that do not carry ``token`` in their environment: its own
    (a browser driver, another runner), never to be taken for a run's orphans."""
    mark = f"\0{ENV_TOKEN}={token}\0".encode()
    return {pid for pid in our_children() if not _has_token(pid, mark)}


def is_running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # the pid was reused by someone else's process
        return False
    try:
        with open(f"{_PROC}/{pid}/stat", "rb") as file:
            stat = file.read(4096)
    except OSError:
        return True
    return stat[stat.rfind(b")") + 2 :][:1] != b"Z"


def _has_token(pid: int, mark: bytes) -> bool:
    try:
        with open(f"{_PROC}/{pid}/environ", "rb") as file:
            return mark in b"\0" + file.read(1 << 20)
    except OSError:
        return False


def _strays(
    session: int, mark: bytes, known: set[int], uid: int | None = None
) -> tuple[list[int], list[int]]:
    """Live processes of the run (owned by ``uid``, ours by default), and zombies
    re-parented to us (to reap)."""
    me = os.getpid()
    uid = os.getuid() if uid is None else uid
    live, zombies = [], []
    for pid, state, ppid, pgrp, sid in _processes():
        if pid in (me, 1) or pid in known:
            continue
        adopted = _adopting and ppid == me
        if state == b"Z":
            if adopted:
                zombies.append(pid)
            continue
        try:
            if os.stat(f"{_PROC}/{pid}").st_uid != uid:
                continue
        except OSError:
            continue
        if session in (sid, pgrp) or adopted or _has_token(pid, mark):
            live.append(pid)
    return live, zombies


def kill_descendants(
    session: int,
    token: str,
    known: set[int],
    *,
    group: bool = True,
    rounds: int = 50,
    uid: int | None = None,
) -> None:
    """SIGKILL the run's process group (if ``group``) and every process of the run.

    ``session`` is the child's pid (it led a new session), ``token`` the value of
    ``ENV_TOKEN`` in its environment, ``known`` the children this process had before
    the run (never touched); this process itself is spared. ``uid`` is the user the
    run's code runs as, when it is not this process's (a root runner that drops it).
    Each round stops what it finds before killing it, so a process that keeps forking
    cannot outrun the scan.
    """
    killpg = getattr(os, "killpg", None)
    if group and killpg is not None:
        try:
            killpg(session, signal.SIGKILL)
        except OSError:  # the group is gone already
            pass
    if not os.path.isdir(_PROC) or not hasattr(os, "getuid"):
        return
    mark = f"\0{ENV_TOKEN}={token}\0".encode()
    for _ in range(rounds):
        live, zombies = _strays(session, mark, known, uid)
        for pid in zombies:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        if not live:
            return
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for pid in live:
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass
        time.sleep(0.01)  # let the kernel turn them into zombies before the next look
