"""grader.catalogue: how exercises are found, reloaded for ``mkdocs serve``, and reported."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from grader import UnknownExercise, all_exercises, exercise_ids, get_exercise


def python(code: str, cwd: Path, path: list[Path]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, path)),
           "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


def test_unknown_id_names_the_known_ones():
    with pytest.raises(UnknownExercise) as caught:
        get_exercise("l3-penalty")
    assert "'l3-penalty'" in str(caught.value)
    assert all(exercise_id in str(caught.value) for exercise_id in exercise_ids())


def test_the_catalogue_is_one_dict_in_course_order():
    # One object, so that the grader's integrity checks can watch it.
    assert all_exercises() is all_exercises()
    orders = [spec.order for spec in all_exercises().values()]
    assert orders == sorted(orders) and list(all_exercises()) == exercise_ids() != []


def test_the_grader_does_not_patch_sys_path_to_find_the_exercises(tmp_path):
    # Only grader/ is importable here: the catalogue must say so, not go looking.
    (tmp_path / "grader").symlink_to(ROOT / "grader", target_is_directory=True)
    code = (
        "import sys\n"
        "before = list(sys.path)\n"
        "from grader import exercise_ids\n"
        "from grader.catalogue import CatalogueError\n"
        "try:\n"
        "    exercise_ids()\n"
        "except CatalogueError as error:\n"
        "    print(error)\n"
        "assert sys.path == before, 'sys.path changed'\n"
    )
    out = python(code, tmp_path, [])
    assert out.returncode == 0, out.stderr
    assert "cannot import the 'exercises' package" in out.stdout


RELOAD = """\
import json, pathlib, sys
from grader import catalogue, exercise_ids, get_exercise
from grader.catalogue import CatalogueError

folder = pathlib.Path("exercises")
report = {"before": exercise_ids()}

def attempt():
    try:
        return sorted(catalogue.reload())
    except CatalogueError as error:
        return str(error)

penalty = folder / "l2_penalty.py"
penalty.write_text(penalty.read_text().replace('title="Compute the L2 penalty"', 'title="Edited"'))
copy = (folder / "pick_lambda.py").read_text().replace('id="pick-lambda"', 'id="pick-again"')
(folder / "pick_again.py").write_text(copy)
(folder / "_draft.py").write_text("raise RuntimeError('a helper module is not an exercise')")
report["edited"] = attempt()
report["title"] = get_exercise("l2-penalty").title
(folder / "pick_again.py").unlink()
report["deleted"] = attempt()
(folder / "broken.py").write_text("x = 1\\nraise RuntimeError('boom')\\n")
report["broken"] = attempt()
(folder / "broken.py").write_text("EXERCISE = 42\\n")
report["not_a_spec"] = attempt()
(folder / "broken.py").write_text((folder / "pick_lambda.py").read_text())
report["twice"] = attempt()
print(json.dumps(report))
"""


def test_reload_sees_edited_added_deleted_and_broken_exercise_files(tmp_path):
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises",
                    ignore=shutil.ignore_patterns("__pycache__"))
    out = python(RELOAD, tmp_path, [tmp_path, ROOT])
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["before"] == exercise_ids()
    assert report["edited"] == sorted([*exercise_ids(), "pick-again"])
    assert report["title"] == "Edited"
    assert report["deleted"] == sorted(exercise_ids())
    assert report["broken"] == "exercises/broken.py: RuntimeError: boom"
    assert report["not_a_spec"] == "exercises/broken.py: EXERCISE must be an ExerciseSpec"
    assert "'pick-lambda' is used twice" in report["twice"]
