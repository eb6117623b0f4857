"""Name what learner code changed in the Python that grades it, and put it back.

``Guard()`` takes a snapshot before learner code runs; ``guard.check()`` compares the
interpreter with it, restores what it can and returns what changed, in plain words (an
empty list when nothing did): such a submission gets a ``ChangedPython`` error instead of
a verdict it may have forged. The browser grades every submission in a fresh interpreter,
so there this only names the change; ``grade()`` in a long-lived CPython process relies on
the restoring too, and on ``grader.leftovers`` for timers, handlers and threads.

What is watched: the namespaces of ``builtins``, of the standard-library modules the
grader (or a learner's next submission) relies on, of numpy when it is loaded, of the
grader's and the exercises' own modules, their classes and the code of their functions,
the grader's module-level containers (``MESSAGES``, ``LIMITS``, the catalogue...), the
``sys.modules`` entries of all these, the recursion limit, trace and profile functions,
``sys.path``, ``sys.meta_path`` and ``sys.path_hooks``. Everything is compared by
identity, so an object whose ``__eq__`` says yes cannot hide a change. Deeper tampering
(``ctypes``, ``gc.get_referents``) is out of reach of any in-process check: the command
line grades in a fresh process, and so does the browser.

A warnings filter or numpy error setting is put back silently: it can change only the
submission's own numbers and output, and learners set them for good reasons.
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from itertools import chain
from operator import attrgetter, is_
from types import FunctionType, ModuleType
from typing import Any

from .catalogue import PACKAGE
from .execution import OutputBuffer, captured
from .leftovers import Leftovers, stop_if_forked

__all__ = ["Guard", "PythonChanged", "describe_changes"]

# Modules whose namespaces grading uses, or that a learner's next submission is likely
# to use (a patched math.sqrt would carry over into the next verdict).
STDLIB = (
    "builtins", "abc", "cmath", "collections", "contextlib", "copy", "copyreg",
    "dataclasses", "difflib", "enum", "fractions", "functools", "inspect", "io",
    "itertools", "json", "json.decoder", "json.encoder", "linecache", "math", "numbers",
    "operator", "pickle", "random", "reprlib", "statistics", "traceback", "types",
    "warnings", "numpy", "numpy.linalg", "numpy.random",
)
# ...and whose classes' namespaces too, because the grader uses their Python methods.
WITH_CLASSES = frozenset({
    "difflib", "enum", "fractions", "inspect", "io", "json.decoder", "json.encoder",
    "numbers", "reprlib", "traceback",
})
# Packages whose every module, class, function and container is watched.
OWN = frozenset({"grader", PACKAGE, "__main__"})
# Module-level containers of the standard library that change what grading does.
STDLIB_CONTAINERS = (("copy", "_deepcopy_dispatch"), ("copyreg", "dispatch_table"))
SYS_ATTRIBUTES = ("modules", "path", "meta_path", "path_hooks", "path_importer_cache")

_MISSING = object()
_REGISTRY = object()  # owner of a registry that importing a library may add to
_IMMUTABLE_TYPE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE: built-in types cannot be changed
_function_state = attrgetter("__code__", "__defaults__", "__kwdefaults__")
_settrace, _setprofile, _setlimit = sys.settrace, sys.setprofile, sys.setrecursionlimit


def _state(mapping: Any) -> tuple[tuple, tuple]:
    """A namespace's keys and values, in order: cheaper to take and compare than a copy."""
    return tuple(mapping), tuple(mapping.values())


def _unchanged(state: tuple[tuple, tuple], mapping: Any) -> bool:
    """Same keys in the same order, each bound to the very same object (no ``__eq__`` of
    a learner's object is asked: values are compared by identity)."""
    keys, values = state
    return tuple(mapping) == keys and all(map(is_, mapping.values(), values))


class _Inventory:
    """What to watch: the namespaces, functions and lists found in the watched modules,
    walked afresh for every submission (one per interpreter in the browser)."""

    def __init__(self) -> None:
        self.modules = {
            name: module
            for name, module in list(sys.modules.items())
            if isinstance(module, ModuleType)
            and (name in STDLIB or name.partition(".")[0] in OWN)
        }
        # (label, mapping, owner): owner is the module or class whose namespace it is.
        self.dicts: list[tuple[str, Any, Any]] = []
        self.functions: list[tuple[str, FunctionType]] = []
        self.lists = [(f"sys.{n}", getattr(sys, n)) for n in ("path", "meta_path", "path_hooks")]
        for name, module in self.modules.items():
            self.dicts.append((name, vars(module), module))
            own = name.partition(".")[0] in OWN
            if own or name in WITH_CLASSES:
                self._walk(name, module, own)
        for module_name, attr in STDLIB_CONTAINERS:
            container = getattr(self.modules.get(module_name), attr, None)
            if type(container) is dict:  # libraries add to it: only a change is one
                self.dicts.append((f"{module_name}.{attr}", container, _REGISTRY))

    def _walk(self, name: str, module: ModuleType, own: bool) -> None:
        for key, value in list(vars(module).items()):
            label = f"{name}.{key}"
            if key.startswith("__"):  # __builtins__, __spec__...: watched on their own
                continue
            if isinstance(value, type):
                if value.__module__ == name and not value.__flags__ & _IMMUTABLE_TYPE:
                    self.dicts.append((label, value.__dict__, value))
                    if own:
                        self.functions += [
                            (f"{label}.{attr}", member)
                            for attr, member in list(value.__dict__.items())
                            if type(member) is FunctionType
                        ]
            elif not own or isinstance(value, ModuleType):
                continue
            elif type(value) is FunctionType:
                if value.__module__ == name:
                    self.functions.append((label, value))
            elif type(value) is dict:
                self.dicts.append((label, value, None))
            elif type(value) is list:
                self.lists.append((label, value))
            elif type(getattr(value, "__dict__", None)) is dict:
                self.dicts.append((label, vars(value), None))  # an instance: a reprlib.Repr



def _settings() -> tuple[int, Any, Any]:
    return sys.getrecursionlimit(), sys.gettrace(), sys.getprofile()


def _quiet_settings() -> tuple[tuple, Any]:
    numpy, warnings = sys.modules.get("numpy"), sys.modules.get("warnings")
    errors = numpy.geterr() if hasattr(numpy, "geterr") else None
    return tuple(getattr(warnings, "filters", ())), errors


class PythonChanged(Exception):
    """Learner code changed the interpreter: ``changes`` says what, in plain words."""

    def __init__(self, changes: list[str]) -> None:
        super().__init__(describe_changes(changes))
        self.changes = changes


class Guard:
    """A snapshot of everything learner code could change that could affect grading.

    ``extra`` names more objects whose attributes (or items, for a dict) to watch: the
    grader passes the exercise catalogue and its specs.
    """

    def __init__(self, extra: list[tuple[str, Any]] = (), output: OutputBuffer | None = None):
        self.inventory = inventory = _Inventory()
        self.dicts = inventory.dicts + [
            (label, obj if type(obj) is dict else vars(obj), None) for label, obj in extra
        ]
        self.saved_dicts = [_state(mapping) for _, mapping, _ in self.dicts]
        self.saved_functions = [_function_state(fn) for _, fn in inventory.functions]
        self.saved_lists = [tuple(items) for _, items in inventory.lists]
        self.sys_attributes = {name: getattr(sys, name) for name in SYS_ATTRIBUTES}
        self.settings = _settings()
        self.quiet = _quiet_settings()
        self.found: list[str] = []
        self.output = output
        self.leftovers: Leftovers | None = Leftovers()
        self.pid = self.leftovers.pid

    def quick(self) -> None:
        """Between two calls of learner code: put back the cheap, dangerous settings now
        (a raised recursion limit can crash Python on the next call)."""
        stop_if_forked(self.pid)
        if _settings() != self.settings:
            self._restore_settings()

    def check(self) -> list[str]:
        """What changed since the snapshot, restored now; empty when nothing did."""
        stop_if_forked(self.pid)
        self._restore_settings()
        self._restore_quiet()
        found = self.found
        for name, value in self.sys_attributes.items():
            if getattr(sys, name, None) is not value:
                found.append(f"sys.{name}")
                setattr(sys, name, value)
        self._check_modules()
        self._check_dicts()
        self._check_functions()
        for (label, items), saved in zip(self.inventory.lists, self.saved_lists, strict=True):
            if len(items) != len(saved) or not all(map(is_, items, saved)):
                found.append(label)
                items[:] = saved
        return list(dict.fromkeys(found))

    def finish(self) -> list[str]:
        """``check()`` once learner code is done: its finalizers run first (their output
        is its own), then what it left behind is cancelled and named with the rest."""
        if self.leftovers is not None:
            leftovers, self.leftovers = self.leftovers, None
            with captured(self.output) if self.output is not None else nullcontext():
                self.found += leftovers.cancel()
        return self.check()

    def settle(self) -> None:
        """``check()``, raising ``PythonChanged`` if anything changed."""
        changes = self.check()
        if changes:
            raise PythonChanged(changes)

    def _restore_settings(self) -> None:
        limit, trace, profile = self.settings
        now = _settings()
        # Only what changed is set back: a debugger's or profiler's C-level hook that
        # was there before cannot be re-installed through sys.settrace.
        if now[1] is not trace:
            self.found.append("a trace function")
            _settrace(trace)
        if now[2] is not profile:
            self.found.append("a profile function")
            _setprofile(profile)
        if now[0] != limit:
            self.found.append("the recursion limit")
            _setlimit(limit)

    def _restore_quiet(self) -> None:
        filters, errors = self.quiet
        warnings, numpy = sys.modules.get("warnings"), sys.modules.get("numpy")
        if warnings is not None and tuple(warnings.filters) != filters:
            warnings.filters[:] = filters
            warnings._filters_mutated()
        if errors is not None and numpy.geterr() != errors:
            numpy.seterr(**errors)

    def _check_modules(self) -> None:
        modules = sys.modules
        for name, module in self.inventory.modules.items():
            if modules.get(name) is not module:
                self.found.append(f"sys.modules[{name!r}]")
                modules[name] = module
        for name in STDLIB:  # one slipped in where the grader would import it
            if name not in self.inventory.modules and not _genuine(name, modules.get(name)):
                self.found.append(f"sys.modules[{name!r}]")
                del modules[name]

    def _check_dicts(self) -> None:
        for (label, mapping, owner), state in zip(self.dicts, self.saved_dicts, strict=True):
            if _unchanged(state, mapping):
                continue
            saved = dict(zip(*state, strict=True))
            keys = [k for k in saved if mapping.get(k, _MISSING) is not saved[k]]
            keys += [k for k in mapping if k not in saved and not _allowed(owner, k, mapping[k])]
            self.found += [f"{label}.{key}" for key in keys]
            for key in keys:
                _put_back(mapping, owner, key, saved.get(key, _MISSING))

    def _check_functions(self) -> None:
        now = [_function_state(fn) for _, fn in self.inventory.functions]
        if all(map(is_, chain.from_iterable(now), chain.from_iterable(self.saved_functions))):
            return
        functions = self.inventory.functions
        for (label, fn), state, saved in zip(functions, now, self.saved_functions, strict=True):
            if not all(map(is_, state, saved)):
                self.found.append(f"the code of {label}")
                fn.__code__, fn.__defaults__, fn.__kwdefaults__ = saved


def _allowed(owner: Any, key: Any, value: Any) -> bool:
    """A name that Python itself adds to a module (an imported submodule, a warning's
    registry), or an addition to a registry such as copyreg.dispatch_table."""
    if owner is _REGISTRY:
        return True
    if not isinstance(owner, ModuleType) or type(key) is not str:
        return False
    return key == "__warningregistry__" or sys.modules.get(f"{owner.__name__}.{key}") is value


def _put_back(mapping: Any, owner: Any, key: Any, value: Any) -> None:
    try:
        if isinstance(owner, type):  # a class's namespace is read-only: go through setattr
            if value is _MISSING:
                delattr(owner, key)
            else:
                setattr(owner, key, value)
        elif value is _MISSING:
            del mapping[key]
        else:
            mapping[key] = value
    except Exception:  # noqa: BLE001, S110 - it is reported anyway, and the page restarts
        pass


def _genuine(name: str, module: Any) -> bool:
    """Absent, or loaded by the import system (not made by hand and slipped in)."""
    if module is None:
        return True
    spec = getattr(module, "__spec__", None) if isinstance(module, ModuleType) else None
    return spec is not None and spec.name == name


def describe_changes(changes: list[str], limit: int = 3) -> str:
    """``the built-in sum, math.isclose and 2 more``: what changed, for the learner."""
    shown = [
        "the built-in " + change.removeprefix("builtins.")
        if change.startswith("builtins.") else change
        for change in changes[:limit]
    ]
    if len(changes) > limit:
        return f"{', '.join(shown)} and {len(changes) - limit} more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
