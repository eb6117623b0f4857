"""Child side of ``grader.sandbox``: read source on stdin, write the result JSON.

Usage (internal): ``python -m grader._child EXERCISE_ID MEMORY_MB TIMEOUT``.
"""

from __future__ import annotations

import json
import os
import sys


def _limit_resources(memory_mb: int, timeout: float) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the parent's timeout still applies
        return
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = int(timeout) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def main() -> int:
    exercise_id, memory_mb, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    source = sys.stdin.buffer.read().decode("utf-8", "replace")
    # The result goes to the original stdout; learner writes to fd 1 go nowhere.
    result_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)

    from grader import grade, prepare

    # Load numpy and compute the trusted outcomes before the limits apply.
    prepare()
    _limit_resources(memory_mb, timeout)
    result = grade(exercise_id, source)
    data = json.dumps(result).encode("utf-8")
    with os.fdopen(result_fd, "wb") as out:
        out.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
