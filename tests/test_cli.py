"""``python -m grader`` as learners and authors use it (README: "Grade from the command line")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader import exercise_ids, get_exercise


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


@pytest.fixture
def answer(tmp_path):
    def write(code: str) -> str:
        path = tmp_path / "answer.py"
        path.write_text(code, encoding="utf-8")
        return str(path)

    return write


def test_list_prints_every_exercise():
    out = cli("list")
    assert out.returncode == 0
    for exercise_id in exercise_ids():
        assert exercise_id in out.stdout
    assert "(needs numpy)" in out.stdout


def test_list_json():
    out = cli("list", "--json")
    rows = json.loads(out.stdout)
    assert [row["id"] for row in rows] == exercise_ids()
    assert {"id", "title", "function", "requires"} <= set(rows[0])


@pytest.mark.parametrize("exercise_id", exercise_ids())
def test_check_reference_exits_0(exercise_id, answer):
    out = cli("check", exercise_id, answer(get_exercise(exercise_id).solution))
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{exercise_id}: PASS" in out.stdout


def test_check_known_mistake_exits_1_and_names_it(answer):
    mistake = get_exercise("l2-penalty").mistakes[0]
    out = cli("check", "l2-penalty", answer(mistake.code))
    assert out.returncode == 1
    assert "l2-penalty: FAIL" in out.stdout
    assert mistake.message in out.stdout


def test_check_json_is_the_result_dict(answer):
    out = cli("check", "early-stop", answer("def stop_epoch(v, patience=1):\n    return 2\n"),
              "--json")
    assert out.returncode == 1
    result = json.loads(out.stdout)
    assert result["exercise"] == "early-stop"
    assert result["status"] == "fail"
    assert 0 < result["score"] < 1


def test_check_syntax_error_shows_the_line(answer):
    out = cli("check", "l2-penalty", answer("def l2_penalty(w):\nreturn 1\n"))
    assert out.returncode == 1
    assert "ERROR" in out.stdout and "line 2" in out.stdout


@pytest.mark.parametrize(
    ("code", "status", "fragment"),
    [
        ("def l2_penalty(w):\n    while True:\n        pass\n", "TIMEOUT", "more than 1 second "),
        ("import sys\nsys.exit(4)\n", "ERROR", "sys.exit()"),
        ("import os\nos._exit(0)\n", "ERROR", "ended the Python process"),
        ("x = 'a' * (40 * 1024 ** 3)\n", "ERROR", "out of memory"),
    ],
)
def test_check_runaway_submissions_give_a_result(answer, code, status, fragment):
    out = cli("check", "l2-penalty", answer(code), "--timeout", "1")
    assert out.returncode == 1
    assert f"l2-penalty: {status}" in out.stdout
    assert fragment in out.stdout


def test_check_unknown_exercise_exits_2(answer):
    out = cli("check", "l3-penalty", answer("x = 1\n"))
    assert out.returncode == 2
    assert "unknown exercise 'l3-penalty'" in out.stderr
    assert "l2-penalty" in out.stderr


def test_check_unreadable_file_exits_2(tmp_path):
    out = cli("check", "l2-penalty", str(tmp_path / "missing.py"))
    assert out.returncode == 2
    assert "cannot read" in out.stderr and "missing.py" in out.stderr
    binary = tmp_path / "binary.py"
    binary.write_bytes(b"\xff\xfe\x00bad")
    out = cli("check", "l2-penalty", str(binary))
    assert out.returncode == 2 and "binary.py" in out.stderr


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["check", "l2-penalty"],
                                  ["check", "l2-penalty", "x.py", "--timeout", "-1"]])
def test_bad_usage_exits_2(args):
    assert cli(*args).returncode == 2


def test_verify_passes_for_the_catalogue():
    out = cli("verify")
    assert out.returncode == 0, out.stdout
    assert f"{len(exercise_ids())} passed, 0 failed" in out.stdout


# Hostile and unusual input (issue 7): a well-formed result or a one-line usage error,
# never a crash or a hang. Each `cli(...)` call has a timeout of the check's limit plus a
# margin only to turn a hang into a failure; nothing here asserts speed.

GOOD = "def l2_penalty(w):\n    return float(sum(x * x for x in w))\n"
CONTRACT_KEYS = {"exercise", "status", "score", "feedback", "checks", "error", "stdout"}


def check(path: str, *extra: str, limit: float = 3) -> subprocess.CompletedProcess:
    return cli("check", "l2-penalty", path, "--timeout", f"{limit:g}", *extra,
               timeout=limit + 30)


def gone(pid: int) -> bool:
    """True once ``pid`` no longer runs (a zombie waiting for init counts as gone)."""
    for _ in range(100):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize(
    ("code", "signal_name"),
    [
        ("import os\nos.abort()\n", "SIGABRT"),
        ("import signal, time\nsignal.alarm(1)\ntime.sleep(30)\n", "SIGALRM"),
        ("import ctypes\nctypes.string_at(0)\n", "SIGSEGV"),
    ],
)
def test_a_child_killed_by_a_signal_gives_an_error_result(answer, code, signal_name):
    out = check(answer(code), "--json")
    assert out.returncode == 1, out.stderr
    result = json.loads(out.stdout)
    assert result["status"] == "error"
    assert f"signal {signal_name}" in result["feedback"]
    assert result["error"]["type"] == "Crash"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds processes in /proc")
@pytest.mark.parametrize(
    ("escape", "after", "status", "limit"),
    [
        # a new session holding the pipes, then the grading goes on
        ("os.setsid()", GOOD, "pass", 10),
        # a plain fork that sleeps, still in the child's process group
        ("pass", GOOD, "pass", 10),
        # the escapee outlives a submission that times out too
        ("os.setsid()", "while True:\n    pass\n", "timeout", 3),
    ],
)
def test_an_escaped_grandchild_neither_delays_the_verdict_nor_survives(
    answer, tmp_path, escape, after, status, limit
):
    pid_file = tmp_path / "pid"
    code = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        f"    {escape}\n"
        f"    open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        f"while not os.path.exists({str(pid_file)!r}):\n"
        "    time.sleep(0.01)\n"
    ) + after
    out = check(answer(code), "--json", limit=limit)
    assert json.loads(out.stdout)["status"] == status
    assert gone(int(pid_file.read_text())), "the forked process outlived check"


@pytest.mark.parametrize(
    ("code", "marker", "fragment"),
    [
        # raw fd 2 flood, then the process ends: stderr is shown, cut in the middle
        ("import os\nfor _ in range(2000):\n    os.write(2, b'E' * 65536)\n"
         "os.write(2, b'the end of stderr')\nos._exit(3)\n", "bytes cut", "the end of stderr"),
        # print() flood: captured by grade(), cut with its own marker
        ("for _ in range(2000):\n    print('p' * 10000)\n" + GOOD, "output cut", "PASS"),
        # raw fd 1 flood: goes nowhere, the result is intact
        ("import os\nfor _ in range(2000):\n    os.write(1, b'{' * 65536)\n" + GOOD, "", "PASS"),
    ],
)
def test_output_floods_are_cut_with_a_marker(answer, code, marker, fragment):
    out = check(answer(code))
    assert fragment in out.stdout
    assert marker in out.stdout
    assert len(out.stdout) < 100_000


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + GOOD.encode(),  # a UTF-8 byte-order mark
        "# -*- coding: latin-1 -*-\n# caf\xe9\n".encode("latin-1") + GOOD.encode(),
    ],
    ids=["bom", "coding-cookie"],
)
def test_source_is_decoded_as_python_decodes_it(tmp_path, data):
    path = tmp_path / "answer.py"
    path.write_bytes(data)
    out = check(str(path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "l2-penalty: PASS" in out.stdout


@pytest.mark.parametrize(
    ("data", "fragments"),
    [
        (b"x = 1\n# caf\xe9\n", ["not UTF-8 text", "byte 0xe9 on line 2", "coding"]),
        (b"\xff\xfe\x00bad", ["not UTF-8 text", "byte 0xff on line 1"]),
        (b"# coding: klingon\nx = 1\n", ["unknown encoding: klingon"]),
        (b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", ["byte-order mark", "another encoding"]),
        # codecs that are not text encodings (issue 23): were a LookupError traceback
        (b"# coding: rot13\nx = 1\n", ["'rot13', which is not a text encoding"]),
        (b"# coding: hex\nx = 1\n", ["'hex', which is not a text encoding"]),
        (b"# -*- coding: base64 -*-\nx = 1\n", ["'base64', which is not a text encoding"]),
    ],
)
def test_undecodable_source_is_a_one_line_usage_error(tmp_path, data, fragments):
    path = tmp_path / "answer.py"
    path.write_bytes(data)
    out = check(str(path))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "answer.py" in out.stderr
    for fragment in fragments:
        assert fragment in out.stderr


def _fifo(tmp_path: Path) -> str:
    os.mkfifo(tmp_path / "fifo")
    return str(tmp_path / "fifo")


def _big(tmp_path: Path) -> str:
    path = tmp_path / "big.py"
    path.write_bytes(b"#" * 1_500_000)
    return str(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX files")
@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda tmp: "/dev/zero", "it is a device"),
        (_fifo, "it is a FIFO"),
        (lambda tmp: str(tmp), "it is a folder"),
        (_big, "larger than 1 MB"),
    ],
    ids=["dev-zero", "fifo", "folder", "too-large"],
)
def test_a_file_that_is_not_a_submission_is_a_one_line_usage_error(tmp_path, make, fragment):
    out = check(make(tmp_path))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1
    assert fragment in out.stderr and "cannot read" in out.stderr


# Plain decimal seconds only (issue 23): float() read "5_0" as 50 and took "1e-9".
@pytest.mark.parametrize(
    "value", ["1e9", "inf", "nan", "0", "-1", "abc", "601", "5_0", "1e-9", "0.05", " 5", "0x10",
              "5.", "+5"]
)
def test_timeout_out_of_range_is_a_usage_error(answer, value):
    out = cli("check", "l2-penalty", answer(GOOD), f"--timeout={value}", timeout=30)
    assert out.returncode == 2
    assert "argument --timeout" in out.stderr and value in out.stderr
    assert out.stderr.count("\n") == 1, out.stderr


@pytest.mark.parametrize("value", ["2.5", "10", ".5"])
def test_timeout_takes_plain_decimal_seconds(answer, value):
    out = cli("check", "l2-penalty", answer(GOOD), f"--timeout={value}", "--json", timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["status"] == "pass"


def test_a_child_that_gives_no_result_is_described_with_what_it_wrote(answer):
    code = "import os\nos.write(2, b'something broke here')\nos._exit(1)\n"
    out = check(answer(code), "--json")
    result = json.loads(out.stdout)
    assert out.returncode == 1
    assert result["status"] == "error" and result["error"]["type"] == "NoResult"
    assert "exit code 1" in result["feedback"]
    assert "something broke here" in result["error"]["traceback"]


def test_an_exception_whose_str_raises_is_not_blamed_on_os_exit(answer):
    code = (
        "class Broken(Exception):\n"
        "    def __str__(self):\n"
        "        raise RuntimeError('no text')\n"
        "raise Broken()\n"
    )
    out = check(answer(code))
    assert out.returncode == 1
    assert "l2-penalty: ERROR" in out.stdout
    assert "os._exit" not in out.stdout


HOSTILE_TEXT = "\x1b[32mALL CHECKS PASSED\x1b[0m \x1b]0;owned\x07 \r\u202e \ud800"


def test_text_mode_escapes_control_characters_and_surrogates(answer):
    code = (
        f"print({HOSTILE_TEXT!r})\n"
        "def l2_penalty(w):\n"
        f"    raise ValueError({HOSTILE_TEXT!r})\n"
    )
    out = subprocess.run(
        [sys.executable, "-m", "grader", "check", "l2-penalty", answer(code)],
        capture_output=True, cwd=ROOT, timeout=60,
    )
    assert out.returncode == 1, out.stderr
    text = out.stdout.decode("utf-8")  # strict: a lone surrogate would not decode
    assert "l2-penalty: FAIL" in text
    for raw in ("\x1b", "\x07", "\r", "\u202e"):
        assert raw not in text
    assert "\\x1b[32mALL CHECKS PASSED" in text and "\\ud800" in text
    assert "  | \\x1b[32mALL CHECKS PASSED" in text  # printed lines are marked as printed
    assert "ValueError" in text


def test_json_mode_stays_valid_json_with_surrogates(answer):
    code = f"print({HOSTILE_TEXT!r})\n" + GOOD
    out = check(answer(code), "--json")
    assert out.returncode == 0
    assert out.stdout.isascii()
    assert json.loads(out.stdout)["stdout"].startswith(HOSTILE_TEXT[:10])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux subreaper, pdeathsig")
@pytest.mark.parametrize(
    "code",
    [
        "import os, time\nos.kill(os.getppid(), 9)\ntime.sleep(0.5)\n" + GOOD,
        # once per check: after the first, a parent further up would be hit
        "import os\ndef l2_penalty(w):\n    os.kill(os.getppid(), 9)\n    return 0.0\n",
    ],
    ids=["once", "every-check"],
)
def test_killing_the_parent_does_not_kill_check(answer, code):
    out = check(answer(code), "--json")
    assert out.returncode == 1, out.stderr
    result = json.loads(out.stdout)
    assert result["status"] == "error" and result["error"]["type"] == "ParentKilled"
    assert "signal SIGKILL" in result["feedback"] and "os.kill()" in result["feedback"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux subreaper, pdeathsig")
def test_a_killed_parent_is_named_even_when_its_output_is_read_late():
    """On a busy machine the child can be gone before the line naming the grading process
    has been read from its pipe: the verdict must not depend on that race. (In a Python of
    its own: the CLI's process is a subreaper, which pytest's must not become.)"""
    script = """
import json, time
from grader import sandbox
from grader._descendants import become_subreaper

pump = sandbox._pump
def late(stream, capture):
    time.sleep(0.4)  # the reader thread gets the CPU only after the child has died
    pump(stream, capture)
sandbox._pump = late
become_subreaper()
code = "import os\\ndef l2_penalty(w):\\n    os.kill(os.getppid(), 9)\\n    return 0.0\\n"
print(json.dumps(sandbox.grade_isolated("l2-penalty", code, timeout=5)))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    result = json.loads(out.stdout)
    assert result["status"] == "error" and result["error"]["type"] == "ParentKilled", result


def test_a_parent_killed_just_after_the_grading_finished_is_named_too(monkeypatch):
    """The other side of that race: the grading process wrote its whole result and ended,
    and only then did the kill its code sent land on the child (which reaped it)."""
    from grader import sandbox

    wait = sandbox._wait

    def killed_after(process, out, timeout):
        timed_out, code, orphan = wait(process, out, timeout)
        assert code == 0 and orphan is None  # it really ended normally
        return timed_out, -9, None  # ... as if the kill had landed after the result

    monkeypatch.setattr(sandbox, "_wait", killed_after)
    result = sandbox.grade_isolated("l2-penalty", get_exercise("l2-penalty").solution)
    assert result["status"] == "error" and result["error"]["type"] == "ParentKilled", result


# Property: whatever a submission combines, check returns a well-formed result in time.
# (code, may run inside the function: False where repeating it per check would multiply
# processes, as a fork that returns in both copies does)
HOSTILE_PIECES = [
    ("while True:\n    pass", True),
    ("x = bytearray(4 * 1024 ** 3)", True),
    ("chunks = [b' ' * 10 ** 8 for _ in range(20)]", True),
    ("import sys\nsys.exit(3)", True),
    ("import os\nos._exit(0)", True),
    ("import os\nos.abort()", True),
    ("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)", True),
    ("import signal, time\nsignal.alarm(1)\ntime.sleep(5)", True),
    ("import os\nos.kill(os.getppid(), 9)", True),
    ("import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(30)\n    os._exit(0)",
     True),
    ("import os\nos.fork()", False),
    ("import os\nfor _ in range(300):\n    os.write(2, b'E' * 65536)", True),
    ("import os\nfor _ in range(300):\n    os.write(1, b'{' * 65536)", True),
    ("for _ in range(300):\n    print('p' * 10000)", True),
    (f"print({HOSTILE_TEXT!r})", True),
    ("import sys\nsys.stderr.write('\\udcff\\x1b[2J')", True),
    ("raise ValueError('\\x1b[31mred\\ud800')", True),
    ("class E(Exception):\n    def __str__(self):\n        raise RuntimeError\nraise E()", True),
    ("raise KeyboardInterrupt", True),
]


@st.composite
def hostile_submissions(draw) -> str:
    pieces = st.sampled_from(HOSTILE_PIECES)
    top = draw(st.lists(pieces, max_size=2))
    inside = draw(st.lists(pieces.filter(lambda piece: piece[1]), max_size=2))
    if not top and not inside:
        top = [draw(pieces)]
    body = "".join(
        "    " + line + "\n" for code, _ in inside for line in code.splitlines()
    )
    module = "".join(code + "\n" for code, _ in top)
    return module + "def l2_penalty(w):\n" + body + "    return float(sum(x * x for x in w))\n"


@settings(max_examples=15, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=hostile_submissions())
def test_check_gives_a_well_formed_result_for_any_hostile_submission(answer, source):
    limit = 1
    out = cli("check", "l2-penalty", answer(source), "--json", "--timeout", str(limit),
              timeout=limit + 20)
    assert out.returncode in (0, 1), out.stderr
    result = json.loads(out.stdout)
    assert set(result) == CONTRACT_KEYS
    assert result["exercise"] == "l2-penalty"
    assert result["status"] in {"pass", "fail", "error", "timeout"}
    assert (out.returncode == 0) == (result["status"] == "pass")


def test_text_mode_says_a_message_shared_by_many_checks_once():
    from grader import grade
    from grader.cli import format_result

    forgot_return = "def l2_penalty(weights):\n    total = sum(w * w for w in weights)\n"
    result = grade("l2-penalty", forgot_return)
    message = result["checks"][0]["message"]
    assert all(c["message"] == message for c in result["checks"])  # 13 alike
    text = format_result(result)
    assert text.count(message) == 2  # the headline, and the first check that failed
    assert text.count("  FAIL ") == 1
    others = ", ".join(c["name"] for c in result["checks"][1:])
    assert f"And {len(result['checks']) - 1} more like this: {others}." in text


def test_text_mode_keeps_distinct_failures_apart_and_in_order():
    from grader.cli import format_result

    checks = [
        {"name": "a", "passed": False, "message": "one"},
        {"name": "b", "passed": True, "message": ""},
        {"name": "c", "passed": False, "message": "two"},
        {"name": "d", "passed": False, "message": "one"},
    ]
    result = {"exercise": "x", "status": "fail", "feedback": "one", "checks": checks}
    lines = format_result(result).split("\n")[3:]
    assert lines == [
        "  FAIL a",
        "         one",
        "         And 1 more like this: d.",
        "  ok   b",
        "  FAIL c",
        "         two",
    ]
