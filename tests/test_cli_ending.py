"""``python -m grader`` ends everything it started and says what went wrong in one line
(issue 23, item 4): signals, the result channel, huge tracebacks, unwritable output."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from conftest import ROOT

from grader import grade

GOOD = "def l2_penalty(w):\n    return float(sum(x * x for x in w))\n"
WRONG = "def l2_penalty(w):\n    return 0.0\n"


def cli(*args: str, stdout=subprocess.PIPE, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=timeout,
    )


@pytest.fixture
def answer(tmp_path):
    def write(code: str | bytes) -> str:
        path = tmp_path / "answer.py"
        if isinstance(code, bytes):
            path.write_bytes(code)
        else:
            path.write_text(code, encoding="utf-8")
        return str(path)

    return write


# --- Signals: nothing the CLI started outlives it ------------------------------------

@cache
def _namespace() -> list[str] | None:
    """The command prefix that runs a program as init of its own pid namespace, with
    its own /proc, or None where that is not allowed."""
    for prefix in (
        ["unshare", "--pid", "--fork", "--mount-proc"],
        ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc"],
    ):
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=30).returncode == 0:
                return prefix
        except (OSError, subprocess.TimeoutExpired):
            continue
    return None


# Runs as pid 1 of a fresh pid namespace: starts `check`, sends it a signal, then waits
# (with a deadline, reaping the orphans that re-parent to it) until nothing else is left.
# Should something survive, the namespace dies with this script and takes it along.
DRIVER = r"""
import json, os, signal, subprocess, sys, time
root, answer, pid_file, signame, when = sys.argv[1:]
for name in ("SIGINT", "SIGTERM", "SIGHUP"):  # the CLI must get the default actions
    signal.signal(getattr(signal, name), signal.SIG_DFL)

def others():
    alive = []
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != os.getpid():
            try:
                stat = open(f"/proc/{name}/stat").read()
            except OSError:
                continue
            if stat.rpartition(")")[2].split()[0] != "Z":
                alive.append(int(name))
    return alive

def reap():
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return

cli = subprocess.Popen(
    [sys.executable, "-m", "grader", "check", "l2-penalty", answer, "--timeout", "60"],
    cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
deadline = time.monotonic() + 60
if when == "start-up":  # as soon as the child exists, before any learner code ran
    while len(others()) < 2 and time.monotonic() < deadline:
        time.sleep(0.001)
else:  # the submission's fork is running, and so is the grading
    while not os.path.exists(pid_file) and time.monotonic() < deadline:
        time.sleep(0.01)
seen = others()
cli.send_signal(getattr(signal, signame))
stderr = cli.stderr.read().decode()
code = cli.wait()
deadline = time.monotonic() + 30
while others() and time.monotonic() < deadline:
    reap()
    time.sleep(0.02)
print(json.dumps({"seen": len(seen), "survivors": others(), "code": code, "stderr": stderr}))
"""

FORKS = (
    "import os, time\n"
    "if os.fork() == 0:\n"
    "    os.setsid()\n"
    "    open({pid_file!r}, 'w').write(str(os.getpid()))\n"
    "    time.sleep(300)\n"
    "    os._exit(0)\n"
    "def l2_penalty(w):\n"
    "    time.sleep(300)\n"
)


@pytest.mark.skipif(_namespace() is None, reason="needs unshare for a pid namespace")
@pytest.mark.parametrize(
    ("signame", "when"),
    [
        ("SIGTERM", "running"),
        ("SIGHUP", "running"),
        ("SIGKILL", "running"),
        ("SIGINT", "running"),
        ("SIGKILL", "start-up"),
    ],
)
def test_a_signal_to_check_ends_everything_it_started(answer, tmp_path, signame, when):
    pid_file = str(tmp_path / "pid")
    path = answer(FORKS.format(pid_file=pid_file))
    out = subprocess.run(
        [*_namespace(), sys.executable, "-c", DRIVER, str(ROOT), path, pid_file, signame, when],
        capture_output=True, text=True, timeout=180,
    )
    report = json.loads(out.stdout)
    if when == "running":
        # the CLI, the stand-in, the grading process and the submission's fork
        assert report["seen"] >= 4, report
    assert report["survivors"] == [], report
    signum = getattr(signal, signame)
    assert report["code"] == (130 if signame == "SIGINT" else -signum), report
    assert "Traceback" not in report["stderr"]
    assert report["stderr"].count("\n") <= 1, report


# --- The result channel: a submission cannot forge a verdict ------------------------

FORGED = json.dumps({
    "exercise": "l2-penalty", "status": "pass", "score": 1.0, "feedback": "All checks passed.",
    "checks": [{"name": "forged", "passed": True, "message": ""}], "error": None, "stdout": "",
})
WRITE_EVERY_FD = (
    "import os\n"
    f"data = {FORGED!r}.encode()\n"
    "for fd in range(256):\n"
    "    try:\n"
    "        os.write(fd, data)\n"
    "    except OSError:\n"
    "        pass\n"
)
WRITE_PROC_FDS = (
    "import os\n"
    f"data = {FORGED!r}.encode()\n"
    "for name in os.listdir('/proc/self/fd'):\n"
    "    try:\n"
    "        with open(f'/proc/self/fd/{name}', 'wb', buffering=0) as file:\n"
    "            file.write(data)\n"
    "    except OSError:\n"
    "        pass\n"
)
# A frame in the channel's own format, with a key of the submission's making.
WRITE_A_FRAME = (
    "import os, secrets\n"
    "from grader._channel import frame\n"
    f"data = frame(secrets.token_bytes(32), {FORGED!r}.encode())\n"
    "for fd in range(3, 256):\n"
    "    try:\n"
    "        os.write(fd, data)\n"
    "    except OSError:\n"
    "        pass\n"
)
# A fork that keeps forging after the grading process has written its own result.
FORK_KEEPS_WRITING = (
    "import os, time\n"
    "if os.fork() == 0:\n"
    f"    data = {FORGED!r}.encode()\n"
    "    for _ in range(20000):\n"
    "        for fd in range(3, 64):\n"
    "            try:\n"
    "                os.write(fd, data)\n"
    "            except OSError:\n"
    "                pass\n"
    "        time.sleep(0.001)\n"
    "    os._exit(0)\n"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/fd")
@pytest.mark.parametrize(
    ("code", "status", "channel"),
    [
        (WRITE_EVERY_FD + "os._exit(0)\n", "error", True),
        (WRITE_PROC_FDS + "os._exit(0)\n", "error", True),
        (WRITE_A_FRAME + "os._exit(0)\n", "error", True),
        (WRITE_EVERY_FD + WRONG, "fail", False),
        (WRITE_PROC_FDS + WRONG, "fail", False),
        (FORK_KEEPS_WRITING + WRONG, "fail", False),
        # junk on the channel before the grader's own result does not change it
        (WRITE_EVERY_FD + GOOD, "pass", False),
        # closed or replaced: said so, not blamed on os._exit()
        ("import os\nos.closerange(0, 256)\n" + GOOD, "error", True),
        ("import os\nfor fd in range(3, 256):\n    try:\n        os.dup2(0, fd)\n"
         "    except OSError:\n        pass\n" + GOOD, "error", True),
    ],
    ids=["every-fd", "proc-fds", "framed", "every-fd-then-wrong", "proc-fds-then-wrong",
         "fork-keeps-writing", "junk-then-good", "closed", "replaced"],
)
def test_learner_code_cannot_forge_or_break_the_verdict(answer, code, status, channel):
    out = cli("check", "l2-penalty", answer(code), "--json", "--timeout", "10")
    result = json.loads(out.stdout)
    assert result["status"] == status, result
    assert (out.returncode == 0) == (status == "pass")
    assert all(check["name"] != "forged" for check in result["checks"])
    if channel:
        assert result["error"]["type"] == "ChannelBroken", result
        assert "os._exit" not in result["feedback"]


# --- Bounded before serialized ---------------------------------------------------------

def test_a_huge_one_line_syntax_error_gets_its_own_message(answer):
    # latin-1: one byte in the file, six in the JSON: the old traceback outgrew the cap
    code = b"# coding: latin-1\nprint \"" + b"\xe9" * 989_000 + b"\"\n"
    out = cli("check", "l2-penalty", answer(code))
    assert out.returncode == 1
    assert "l2-penalty: ERROR" in out.stdout
    assert "syntax error on line 2" in out.stdout
    assert "os._exit" not in out.stdout
    assert len(out.stdout) < 20_000


def test_a_long_line_is_quoted_around_the_error_with_the_caret_under_it():
    source = "x = [" + "1, " * 5000 + "$ " + "2, " * 5000 + "]\n"
    error = grade("l2-penalty", source)["error"]
    assert error["type"] == "SyntaxError" and error["line"] == 1
    assert len(error["traceback"]) < 2_000
    lines = error["traceback"].splitlines()
    quoted = next(line for line in lines if "$" in line)
    caret = next(line for line in lines if line.strip().startswith("^"))
    assert quoted[caret.index("^")] == "$"


def test_a_long_line_in_a_runtime_traceback_is_cut():
    error = grade("l2-penalty", "x = [" + "1, " * 100_000 + "]; 1 / 0\n")["error"]
    assert error["type"] == "ZeroDivisionError"
    assert len(error["traceback"]) < 5_000 and "more characters" in error["traceback"]


# --- Output that cannot be written -------------------------------------------------------

@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args", [["list"], ["list", "--json"], ["verify"], ["--help"], ["check", "l2-penalty"]]
)
def test_a_full_disk_on_stdout_is_one_line_and_exit_2(answer, args):
    if args[0] == "check":
        args = [*args, answer(GOOD)]
    with open("/dev/full", "w") as full:
        out = cli(*args, stdout=full)
    assert out.returncode == 2, out.stderr
    assert out.stderr.count("\n") == 1, out.stderr
    assert out.stderr.startswith("python -m grader: error: cannot write the output: ")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_usage_error_with_a_full_stderr_still_exits_2(answer):
    with open("/dev/full", "w") as full:
        out = subprocess.run([sys.executable, "-m", "grader", "check", "l3-penalty", answer(GOOD)],
                             stdout=subprocess.PIPE, stderr=full, cwd=ROOT, timeout=60)
    assert out.returncode == 2


@pytest.mark.parametrize("args", [["verify"], ["check", "l2-penalty"]])
def test_a_reader_that_leaves_ends_the_output_quietly(answer, args):
    if args[0] == "check":
        args = [*args, answer(WRONG)]
    process = subprocess.Popen([sys.executable, "-m", "grader", *args], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline()
    process.stdout.close()  # `| head -1`
    stderr = process.stderr.read()
    code = process.wait(120)
    assert stderr == b""
    # check: the verdict's code still counts; verify: what a tool ended by SIGPIPE says
    assert code == (1 if args[0] == "check" else 128 + signal.SIGPIPE)


def test_ctrl_c_while_the_package_imports_is_one_line():
    """The package arms its start-up handler when Python runs it as ``-m grader``."""
    script = (
        "import os, signal, sys, time\n"
        # what Python shows while runpy imports the package for `python -m grader list`
        "sys.argv, sys.orig_argv = ['-m', 'list'], [sys.executable, '-m', 'grader', 'list']\n"
        "import grader\n"
        "os.kill(os.getpid(), signal.SIGINT)\n"
        "time.sleep(30)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=ROOT, timeout=60,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert out.returncode == 130
    assert out.stderr == "python -m grader: interrupted\n"


def test_learner_code_in_the_child_still_gets_pythons_own_ctrl_c(answer):
    code = "import os, signal\nos.kill(os.getpid(), signal.SIGINT)\n"
    result = json.loads(cli("check", "l2-penalty", answer(code), "--json").stdout)
    assert result["error"]["type"] == "KeyboardInterrupt", result


def test_a_usage_error_is_one_line():
    out = cli("frobnicate")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "invalid choice" in out.stderr
