"""The sandbox for grading someone else's code (SPEC §7): bubblewrap, on Linux.

``wrap(argv, env)`` turns a command into one that runs under ``bwrap`` with:

- a root of its own holding, read-only, only the system's shared libraries, the Python
  install, the site-packages it imports from (numpy) and the repository's ``grader/`` and
  ``exercises/``: no home folder, no ``/etc``, no working directory, no teacher's files;
- an empty, writable ``/tmp`` (a tmpfs, gone with the sandbox) as its working directory,
  and a read-only ``/dev`` of the usual devices (so nothing written there outlasts a
  grading process; ``grader._batch`` gives each a ``/tmp`` and ``/dev/shm`` of its own);
- new user (mapped to ``nobody``, no capabilities), pid, network (loopback only, down),
  IPC, UTS and cgroup namespaces, and a new session (no controlling terminal to write to);
- an environment made only of what grading needs (``--clearenv``): none of the teacher's
  variables, so no token a CI job holds;
- ``--die-with-parent``: it is killed with the process that started it, and when its first
  process ends the kernel kills every process left in its pid namespace.

The time and memory limits are the grading processes' own (``grader._batch``).
``wrap_command(argv, reads)`` does the same for any program (the site's Python in Node),
with only the system's libraries and ``reads`` to see.
``available()`` says whether bwrap works here, and if not, why, in one sentence.
"""

from __future__ import annotations

import functools
import os
import shutil
import site
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

__all__ = ["COURSE_ROOT", "available", "wrap", "wrap_command"]

ROOT = Path(__file__).resolve().parent.parent
COURSE_ROOT = "/course"  # where grader/ and exercises/ are inside the sandbox
_LIBS = ("/usr/lib", "/usr/lib64", "/usr/lib32")
_ROOT_LINKS = ("/lib", "/lib64", "/lib32", "/bin", "/sbin")


def _python() -> str:
    return os.path.realpath(sys.executable)


def _site_packages() -> list[str]:
    paths = site.getsitepackages()  # not the user's: that is in their home folder
    return [p for p in dict.fromkeys(os.path.realpath(p) for p in paths) if os.path.isdir(p)]


class _Binds:
    """``--ro-bind`` arguments, each path once (a path under one bound already is left out)."""

    def __init__(self) -> None:
        self.args: list[str] = []
        self._bound: list[str] = []

    def ro(self, path: str, dest: str | None = None) -> None:
        dest = dest or path
        if any(dest == b or dest.startswith(b + "/") for b in self._bound):
            return
        self._bound.append(dest)
        self.args.extend(["--ro-bind", path, dest])


def _system(binds: _Binds) -> None:
    """The system's shared libraries, and the two files of /etc that loading a program
    reads, not /etc itself."""
    for path in _LIBS:
        if os.path.isdir(path) and not os.path.islink(path):
            binds.ro(path)
    for path in _ROOT_LINKS:
        if os.path.islink(path):
            binds.args.extend(["--symlink", os.readlink(path), path])
        elif os.path.isdir(path) and path in ("/lib", "/lib64", "/lib32"):
            binds.ro(path)
    for path in ("/etc/ld.so.cache", "/etc/localtime"):
        if os.path.exists(path):
            binds.args.extend(["--ro-bind", os.path.realpath(path), path])


def _binds() -> list[str]:
    binds = _Binds()
    _system(binds)
    binds.ro(os.path.realpath(sys.base_prefix))
    binds.ro(os.path.dirname(_python()))
    for path in _site_packages():
        binds.ro(path)
    for name in ("grader", "exercises"):
        binds.args.extend(["--ro-bind", str(ROOT / name), f"{COURSE_ROOT}/{name}"])
    return binds.args


def _sandbox(binds: list[str], environment: dict[str, str]) -> list[str]:
    args = [
        shutil.which("bwrap") or "bwrap",
        "--unshare-user",
        "--uid", "65534",
        "--gid", "65534",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--hostname", "sandbox",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        # The empty /tmp first: a course checked out under /tmp stays visible in it.
        "--proc", "/proc",
        "--dev", "/dev",
        "--tmpfs", "/tmp",
        *binds,
        "--remount-ro", "/dev",
        "--chdir", "/tmp",
    ]  # fmt: skip
    for name, value in environment.items():
        args.extend(["--setenv", name, value])
    return args


def wrap(argv: list[str], env: dict[str, str]) -> list[str]:
    """``argv`` (a ``python -m ...`` command) as it runs in the sandbox, with only ``env``."""
    python_path = os.pathsep.join([COURSE_ROOT, *_site_packages()])
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONPATH": python_path,
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        **env,
    }
    python, *rest = argv
    if python == sys.executable:
        python = _python()
    return [*_sandbox(_binds(), environment), "--", python, "-s", *rest]


def wrap_command(argv: list[str], reads: Iterable[Path]) -> list[str]:
    """Any command as it runs in the sandbox, seeing the system's libraries and, read-only
    at their own paths, only ``reads`` (files or folders): the site's Python in Node."""
    binds = _Binds()
    _system(binds)
    for path in reads:
        binds.ro(os.path.realpath(path), str(path))
    environment = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}
    return [*_sandbox(binds.args, environment), "--", *argv]


@functools.cache
def available() -> tuple[bool, str]:
    """(True, "") when the sandbox works here, else (False, one sentence saying why)."""
    if not sys.platform.startswith("linux"):
        return False, f"the sandbox needs Linux and bubblewrap; this is {sys.platform}."
    if shutil.which("bwrap") is None:
        return False, (
            "bubblewrap is not installed (Debian/Ubuntu: sudo apt-get install bubblewrap)."
        )
    probe = "import grader, exercises, socket; socket.socket().close()"
    try:
        done = subprocess.run(
            wrap([sys.executable, "-c", probe], {}),
            capture_output=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, f"bubblewrap could not start: {error}."
    if done.returncode == 0:
        return True, ""
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    why = lines[-1] if lines else f"it exited with status {done.returncode}"
    if "namespace" in why.lower() or "permission" in why.lower():
        why += (
            " (user namespaces are off: on Debian/Ubuntu, sysctl kernel.unprivileged_userns_clone=1"
            " or, with AppArmor, kernel.apparmor_restrict_unprivileged_userns=0)"
        )
    return False, f"bubblewrap does not work here: {why.rstrip('.')}."
