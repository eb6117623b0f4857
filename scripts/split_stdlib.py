"""Split Pyodide's standard library in two; run under the site's own Pyodide by
scripts/precompile-stdlib.mjs (see there for why), importable by pytest for its rules.

``split(...)`` does what the page's worker does on a fresh boot (import the grader, prepare
it, grade every pure-Python exercise, look at a submission's imports), notes every module
of the standard library that was loaded on the way, and writes the boot zip (those
modules as bytecode, without their docstrings; Pyodide's own packages; and the
finder) and the rest zip (every other file as it was, the frozen modules' sources too).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import zipfile

STAMP = (2024, 1, 1, 0, 0, 0)  # same sources, same zips
FINDER_LINE = "REST = frozenset()"


def module_name(path: str) -> str:
    """``"json/tool.py"`` -> ``"json.tool"``, ``"email/__init__.py"`` -> ``"email"``."""
    return path[: -len(".py")].removesuffix("/__init__").replace("/", ".")


def in_boot(name: str, names: set[str], hot: set[str], frozen: set[str]) -> bool:
    """Whether the zip member ``name`` goes in the boot zip."""
    if name.endswith(".py"):
        # A frozen module is in the interpreter: its source would only quote lines in a
        # traceback, as the precompiled modules' cannot either, so it goes with the rest.
        own = name.startswith(("pyodide/", "_pyodide/"))  # Pyodide's own packages
        return (name in hot and module_name(name) not in frozen) or own
    # A data file goes with its package: a file of a package of the rest in the boot zip
    # would make that package an empty namespace package there.
    package = name.rsplit("/", 1)[0] + "/__init__.py" if "/" in name else None
    return package is None or package not in names or in_boot(package, names, hot, frozen)


def finder_for(finder_source: str, rest_names: list[str]) -> str:
    """scripts/sitecustomize.py with the rest's module names filled in."""
    if FINDER_LINE not in finder_source:
        raise ValueError(f"scripts/sitecustomize.py has no line {FINDER_LINE!r} to fill in")
    return finder_source.replace(FINDER_LINE, f"REST = frozenset({rest_names!r})", 1)


def warm_up(grader_dir: str) -> None:
    """What the page's worker does before and during a first verdict (web/worker.js)."""
    sys.path.insert(0, grader_dir)
    import grader
    import grader.worker

    grader.worker.prepare()
    for spec in grader.all_exercises().values():
        if spec.requires:  # numpy is not in Pyodide's npm core: not on a first verdict's path
            continue
        for code in (spec.solution, *(m.code for m in spec.mistakes), "def broken(:", "1/0"):
            grader.worker.imports_of(code)
            grader.worker.rest_path(grader.worker.imports_of(code), False)
            grader.worker.call("grade", spec.id, code)
    grader.worker.call("run", "print(1)", None)


def split(stdlib_zip: str, grader_dir: str, finder: str, boot_out: str, rest_out: str) -> str:
    """Write both zips; returns {"compiled": N, "rest": M} as JSON."""
    prefix = next(p for p in sys.path if p.endswith(".zip")) + "/"
    warm_up(grader_dir)
    # Where each module was loaded from (frozen modules, built into the interpreter, say "frozen").
    origins = {
        name: getattr(getattr(m, "__spec__", None), "origin", None)
        for name, m in list(sys.modules.items())
    }
    hot = {
        f[len(prefix) :]
        for f in origins.values()
        if isinstance(f, str) and f.startswith(prefix) and f.endswith(".py")
    }
    frozen = set(sys.builtin_module_names) | {name for name, f in origins.items() if f == "frozen"}
    with zipfile.ZipFile(stdlib_zip) as source:
        infos = [info for info in source.infolist() if not info.is_dir()]
        names = {info.filename for info in infos}
        boot = [i for i in infos if in_boot(i.filename, names, hot, frozen)]
        rest = [i for i in infos if not in_boot(i.filename, names, hot, frozen)]
        # The finder fetches the rest zip for these: never for a frozen one, already loaded.
        rest_names = sorted(
            module_name(i.filename) for i in rest
            if i.filename.endswith(".py") and module_name(i.filename) not in frozen
        )
        filled = finder_for(finder, rest_names).encode()
        finder_pyc = ("sitecustomize.pyc", pyc(filled, prefix + "sitecustomize.py"))
        write_zip(source, boot_out, boot, hot, prefix, extra=finder_pyc)
        write_zip(source, rest_out, rest, hot, prefix)
    return json.dumps({"compiled": len(hot), "rest": len(rest)})


def without_docstrings(source: bytes, path: str):
    """``source`` parsed, its docstrings left out: ``__doc__`` is then None, as under
    ``python -OO`` (which the standard library supports), but asserts stay. They are a
    sixth of the boot zip's bytes, and nothing on a verdict's way reads them."""
    import ast

    tree = ast.parse(source, path)
    for node in ast.walk(tree):
        kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        if isinstance(node, kinds) and node.body and isinstance(node.body[0], ast.Expr):
            value = node.body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                first = node.body[0]
                node.body = node.body[1:] or [ast.copy_location(ast.Pass(), first)]
    return tree


def pyc(source: bytes, path: str, docstrings: bool = True) -> bytes:
    """An unchecked hash-based .pyc of ``source``, which zipimport loads without the source."""
    from importlib._bootstrap_external import _code_to_hash_pyc

    tree = source if docstrings else without_docstrings(source, path)
    code = compile(tree, path, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), False))


def write_zip(source, out, members, hot, prefix, extra=None) -> None:
    """``members`` of ``source`` into ``out``, the ``hot`` ones compiled; plus ``extra``."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        # Folders are listed where they have files (zipimport looks for packages there).
        folders = {m.filename.rsplit("/", 1)[0] + "/" for m in members if "/" in m.filename}
        for folder in sorted(folders):
            target.writestr(zipfile.ZipInfo(folder, STAMP), b"")
        for info in members:
            data = source.read(info)
            if info.filename in hot:
                compiled = zipfile.ZipInfo(info.filename + "c", info.date_time)
                # Pyodide's own packages copy their docstrings onto its JavaScript types.
                own = info.filename.startswith(("pyodide/", "_pyodide/"))
                code = pyc(data, prefix + info.filename, docstrings=own)
                target.writestr(compiled, code, zipfile.ZIP_DEFLATED, 9)
            else:
                target.writestr(info, data, zipfile.ZIP_DEFLATED, 9)
        if extra:
            target.writestr(zipfile.ZipInfo(extra[0], STAMP), extra[1], zipfile.ZIP_DEFLATED, 9)
