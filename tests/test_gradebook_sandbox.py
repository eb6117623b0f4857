"""Hostile work files among honest ones, graded in the sandbox (SPEC §7, issue 20 item 3).

The run that signals processes (``os.kill(-1, 9)``, a sweep of ``/proc``) happens only
inside ``unshare --pid --fork``: a pid namespace of its own, so a sandbox bug could not
reach the machine's processes.
"""

from __future__ import annotations

import csv
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from class_files import Listener, first_mistakes, references, right_answers, work_file, write
from conftest import ROOT

from grader import bwrap

SANDBOX, WHY = bwrap.available()
UNSHARE = shutil.which("unshare")
pytestmark = pytest.mark.skipif(not SANDBOX, reason=f"no sandbox: {WHY}")

HONEST = references(numpy=False)["early-stop"]  # beside each hostile exercise
PENALTY = "def l2_penalty(weights):\n    return float(sum(w * w for w in weights))\n"


def hostile_codes(secret: Path, outside: Path, port: int, marker: str) -> dict[str, str]:
    return {
        "read-secret": f"raise ValueError(open({str(secret)!r}).read())\n",
        "list-home": f"import os\nraise ValueError(repr(os.listdir({str(secret.parent)!r})))\n",
        "write-outside": f"open({str(outside)!r}, 'w').write('pwned')\n" + PENALTY,
        "connect": (
            "import socket\n"
            f"socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'hi')\n"
            + PENALTY
        ),
        "environment": "import os\nprint(dict(os.environ))\nraise ValueError(repr(os.environ))\n",
        "kill-everyone-visible": (
            "import os, signal\n"
            "for name in os.listdir('/proc'):\n"
            "    if name.isdigit() and int(name) != os.getpid():\n"
            "        try:\n"
            "            os.kill(int(name), signal.SIGKILL)\n"
            "        except OSError:\n"
            "            pass\n"
            "for pid in (os.getppid(), 1):\n"
            "    try:\n"
            "        os.kill(pid, signal.SIGKILL)\n"
            "    except OSError:\n"
            "        pass\n" + PENALTY
        ),
        "kill-minus-one": "import os\nos.kill(-1, 9)\n" + PENALTY,
        "outlive": (
            "import os, sys\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    if os.fork() == 0:\n"
            f"        os.execv(sys.executable, [sys.executable, '-c', "
            f"'import time; time.sleep(600)', {marker!r}])\n"
            "    os._exit(0)\n" + PENALTY
        ),
        "loop": "while True:\n    pass\n",
        "allocate": "hoard = []\nwhile True:\n    hoard.append(bytearray(10 ** 7))\n",
        "gigabyte": (
            "import sys\nfor _ in range(1024):\n    sys.stdout.write('x' * (1 << 20))\n" + PENALTY
        ),
    }


@pytest.mark.skipif(UNSHARE is None, reason="needs util-linux's unshare")
def test_hostile_work_files_change_nothing_but_their_own_verdicts(tmp_path):
    secret_value = "s3cret-" + secrets.token_hex(8)
    teacher_value = "teacher-token-" + secrets.token_hex(8)
    marker = "l2-outlive-" + secrets.token_hex(6)
    home = tmp_path / "home"
    home.mkdir()
    secret = home / "secret.txt"
    secret.write_text(secret_value)
    outside = tmp_path / "pwned.txt"
    folder = tmp_path / "class"
    folder.mkdir()
    listener = Listener()
    try:
        write(folder, "000-ada.json", work_file("Ada", references(numpy=False), right_answers()))
        codes = hostile_codes(secret, outside, listener.port, marker)
        for name, code in codes.items():
            work = work_file(name, {"l2-penalty": code, "early-stop": HONEST})
            write(folder, f"h-{name}.json", work)
        mistakes = first_mistakes(numpy=False)
        answers = {"lambda-zero": right_answers()["lambda-zero"]}
        write(folder, "zzz-bob.json", work_file("Bob", mistakes, answers))
        out, feedback = tmp_path / "grades.csv", tmp_path / "feedback"
        env = {**os.environ, "TEACHER_TOKEN": teacher_value, "PYTHONPATH": str(ROOT)}
        user = [] if os.getuid() == 0 else ["--user", "--map-root-user"]
        command = [UNSHARE, *user, "--pid", "--fork", "--mount-proc", sys.executable, "-m",
                   "grader", "gradebook", str(folder), "--csv", str(out), "--feedback",
                   str(feedback), "--timeout", "2", "--jobs", "2"]  # fmt: skip
        done = subprocess.run(command, capture_output=True, env=env, cwd=ROOT, timeout=240)
    finally:
        listener.close()
    printed = (done.stdout + done.stderr).decode("utf-8", "replace")
    assert done.returncode == 0, printed[-2000:]
    with open(out, newline="") as handle:
        rows = {Path(row["file"]).stem: row for row in csv.DictReader(handle)}
    assert sorted(rows) == sorted(["000-ada", "zzz-bob", *(f"h-{n}" for n in codes)])
    ada, bob = rows["000-ada"], rows["zzz-bob"]
    for exercise_id in references(numpy=False):
        assert ada[exercise_id] == "pass", exercise_id
        assert bob[exercise_id] == "fail", exercise_id
    assert bob["lambda-zero"] == "correct"
    for name in codes:
        row = rows[f"h-{name}"]
        assert row["early-stop"] == "pass", name  # the learner's other verdict is intact
        assert row["problems"] == "", name
    assert rows["h-loop"]["l2-penalty"] == "timeout"
    assert rows["h-allocate"]["l2-penalty"] in ("error", "timeout")  # as check gives it
    for name in ("read-secret", "list-home", "environment", "kill-minus-one",
                 "kill-everyone-visible"):  # fmt: skip
        assert rows[f"h-{name}"]["l2-penalty"] == "error", name
    for name in ("write-outside", "connect"):  # the file system is read-only; no network
        assert rows[f"h-{name}"]["l2-penalty"] == "error", name
    assert not outside.exists()
    assert listener.seen == 0
    everything = printed + out.read_text() + "".join(
        p.read_text() for p in feedback.iterdir()
    )
    assert secret_value not in everything and "secret.txt'" not in printed
    assert teacher_value not in everything and "TEACHER_TOKEN" not in everything
    assert "PYTHONPATH" in (feedback / "h-environment.md").read_text()  # it did print
    assert len(everything) < 5_000_000  # a gigabyte printed is cut, not kept
    leftovers = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert marker not in leftovers


def test_a_fork_that_outlives_grading_is_gone_after_it(tmp_path):
    """Outside a pid namespace of the test's own: nothing here signals other processes."""
    marker = "l2-outlive-" + secrets.token_hex(6)
    code = hostile_codes(tmp_path / "s", tmp_path / "o", 9, marker)["outlive"]
    folder = tmp_path / "class"
    folder.mkdir()
    write(folder, "a.json", work_file("A", {"l2-penalty": code, "early-stop": HONEST}))
    command = [sys.executable, "-m", "grader", "gradebook", str(folder),
               "--csv", str(tmp_path / "g.csv"), "--timeout", "2"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0
    rows = list(csv.DictReader(open(tmp_path / "g.csv", newline="")))
    assert (rows[0]["l2-penalty"], rows[0]["early-stop"]) == ("pass", "pass")
    leftovers = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert marker not in leftovers


LEAVE_BEHIND = (
    "import ctypes, os, sys\n"
    "open('/tmp/left-behind', 'w').write('x')\n"
    "os.makedirs('/tmp/dir/sub')\n"
    "for path in ('/dev/left-behind', '/dev/shm/left-behind'):\n"
    "    try:\n"
    "        open(path, 'w').write('x')\n"
    "    except OSError:\n"
    "        pass\n"
    "ctypes.CDLL(None).shmget(0x4C32, 4096, 0o1666)\n"  # IPC_CREAT | 0o666
    "if os.fork() == 0:\n"
    "    os.setsid()\n"
    "    os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(600)'])\n"
    + PENALTY
)
LOOK_AROUND = (
    "import ctypes, os\n"
    "others = [p for p in os.listdir('/proc') if p.isdigit()\n"
    "          and int(p) not in (1, os.getpid(), os.getppid())]\n"
    "left = os.listdir('/tmp') + [p for p in ('/dev/left-behind', '/dev/shm/left-behind')\n"
    "                             if os.path.exists(p)]\n"
    "shm = ctypes.CDLL(None).shmget(0x4C32, 0, 0)\n"
    "if others or left or shm != -1:\n"
    "    raise ValueError(f'left behind: {others} {left} {shm}')\n" + PENALTY
)


@pytest.mark.skipif(UNSHARE is None, reason="needs util-linux's unshare")
def test_nothing_one_learner_leaves_behind_reaches_the_next(tmp_path):
    """One runner grades all four files in turn (--jobs 1); the third kills it."""
    folder = tmp_path / "class"
    folder.mkdir()
    kill = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n" + PENALTY
    for name, code in (("1-leave", LEAVE_BEHIND), ("2-look", LOOK_AROUND),
                       ("3-kill", kill), ("4-look", LOOK_AROUND)):  # fmt: skip
        work = work_file(name, {"l2-penalty": code, "early-stop": HONEST})
        write(folder, f"{name}.json", work)
    out = tmp_path / "grades.csv"
    user = [] if os.getuid() == 0 else ["--user", "--map-root-user"]
    command = [UNSHARE, *user, "--pid", "--fork", "--mount-proc", sys.executable, "-m",
               "grader", "gradebook", str(folder), "--csv", str(out), "--feedback",
               str(tmp_path / "feedback"), "--timeout", "3", "--jobs", "1"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, env=env, cwd=ROOT, timeout=240)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    with open(out, newline="") as handle:
        rows = {Path(row["file"]).stem: row for row in csv.DictReader(handle)}
    look = (tmp_path / "feedback" / "2-look.md").read_text()
    assert rows["1-leave"]["l2-penalty"] == "pass"
    assert rows["2-look"]["l2-penalty"] == "pass", look
    assert (rows["3-kill"]["l2-penalty"], rows["3-kill"]["early-stop"]) == ("error", "pass")
    assert rows["4-look"]["l2-penalty"] == "pass"
