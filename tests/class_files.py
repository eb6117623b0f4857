"""Work files for a made-up class: honest, wrong and hostile learners (the gradebook's
tests and benchmarks/bench_gradebook.py)."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

from grader import all_exercises
from grader.gradebook import course


def work_file(
    learner: str,
    exercises: dict[str, str],
    answers: dict[str, list[int]] | None = None,
    *,
    claimed: str = "pass",
    stale: tuple[str, ...] = (),
) -> dict:
    """A work file as the site writes it; ids in ``stale`` carry another version."""
    today, _ = course()

    def version(item_id: str, now: str) -> str:
        return "0ld0ld0ld0ld" if item_id in stale else now

    return {
        "format": "l2-course-work",
        "format_version": 1,
        "exported_at": "2026-12-01T12:00:00.000Z",
        "learner": learner,
        "site": {"url": "https://you.github.io/l2-course/", "build": "test"},
        "exercises": {
            exercise_id: {
                "version": version(exercise_id, today.exercises[exercise_id]),
                "code": code,
                "verdict": claimed,
            }
            for exercise_id, code in exercises.items()
        },
        "questions": {
            question_id: {
                "version": version(question_id, today.questions[question_id][0]),
                "selected": selected,
            }
            for question_id, selected in (answers or {}).items()
        },
    }


def right_answers() -> dict[str, list[int]]:
    _, questions = course()
    return {
        qid: [i for i, option in enumerate(q.options) if option.correct]
        for qid, q in questions.items()
    }


def references(numpy: bool = True) -> dict[str, str]:
    return {
        spec.id: spec.solution
        for spec in all_exercises().values()
        if numpy or not spec.requires
    }


def first_mistakes(numpy: bool = True) -> dict[str, str]:
    return {
        spec.id: spec.mistakes[0].code
        for spec in all_exercises().values()
        if numpy or not spec.requires
    }


def write(folder: Path, name: str, data: dict | str | bytes) -> Path:
    path = folder / name
    if isinstance(data, dict):
        data = json.dumps(data)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


# Hostile work files try the network: this is the server they must never reach.
class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it sees."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.seen = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.seen += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.server.close()
